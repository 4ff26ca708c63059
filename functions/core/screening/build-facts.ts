import type { ScreeningItem, ScreeningRequested } from '../../../events/screening-requested-v1.js';
import type { HistoryFacts, ScreeningFacts } from './facts.js';

/** Assembles the frozen facts one parcel is screened with. */
export const buildScreeningFacts = (
  message: ScreeningRequested,
  item: ScreeningItem,
  history: HistoryFacts,
  now: string,
): ScreeningFacts =>
  deepFreeze({
    parcel: item.parcel,
    manifest: {
      manifestId: message.manifestId,
      partnerId: message.partnerId,
      transport: message.transport,
      ...(message.submittedAt === undefined ? {} : { submittedAt: message.submittedAt }),
      receivedAt: message.receivedAt,
      ...item.manifestFacts,
    },
    history,
    parties: item.partyKeys,
    now,
  });

/**
 * The facts a shadow whose tallies name history otherwise (tallyNamer) is evaluated on: the live set's,
 * their history as the shadow names it, frozen as deeply (the rest is the live facts', frozen already).
 */
export const shadowFacts = (live: ScreeningFacts, history: HistoryFacts): ScreeningFacts =>
  Object.freeze({ ...live, history: deepFreeze(history) });

/** Freezes a value and everything it holds; what is frozen already is taken as frozen all through. */
const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};
