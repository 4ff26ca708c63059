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

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};
