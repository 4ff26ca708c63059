import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { type OfficeTree, regionOf } from '../core/access/offices.js';
import { parcelKey as parcelKeyOf, referralIdOf } from '../core/keys.js';
import { sharedDeliveryRef } from '../core/parties/shared-history.js';
import { buildScreeningFacts, shadowFacts } from '../core/screening/build-facts.js';
import { asControlSample, queueScoreOf } from '../core/screening/control-sample.js';
import type { ScreeningPolicy } from '../core/screening/decision.js';
import { evaluateInShadow } from '../core/screening/shadow.js';
import { mergeTallyMarks, namesAlike, tallyNamer, tallyWindows } from '../core/screening/tallies.js';
import { forEachLimited } from '../platform/concurrency.js';
import { type InputIssue, ValidationError } from '../platform/errors.js';
import type { ControlSampler } from '../ports/control-sampler.js';
import type { DecisionRecord } from '../ports/decision-store.js';
import { applyDecisionEffects, type DecisionEffectsDeps, EFFECT_CONCURRENCY } from './decision-effects.js';

export interface ScreenParcelsDeps extends DecisionEffectsDeps {
  policy: ScreeningPolicy;
  offices: OfficeTree;
  /** Asked once for each parcel the rules release: hold it as a control sample? */
  controlSampler: ControlSampler;
  /** The shadow rule set, if one is deployed, and where a parcel it failed on is reported. */
  shadow?: { policy: ScreeningPolicy; failed: (parcelKey: string, reason: string) => void };
}

/**
 * Parcels of the message whose inspection office is not in the message's region. Screening reads and
 * feeds the history of the message's region, and its officers see the decision, so such a parcel would
 * leak one region's history to another: ingest never sends one, and screen refuses it (not retryable).
 */
const misplacedParcels = (offices: OfficeTree, message: ScreeningRequested): InputIssue[] =>
  message.items.flatMap((item, index) => {
    const office = item.parcel.route.inspectionOffice;
    const region = regionOf(offices, office);
    if (region === message.region) return [];
    return [
      {
        path: `items[${index}].parcel.route.inspectionOffice`,
        message:
          region === undefined
            ? `${office} is not an office of the hierarchy`
            : `${office} is in region ${region}, not in the message's region ${message.region}`,
      },
    ];
  });

/**
 * Screens one message's parcels, exactly once in effect: a parcel keeps the first decision ever
 * recorded for it, and each effect of that decision is idempotent, so a redelivered message (after a
 * crash at any step) finishes what is unfinished and repeats nothing that counts.
 */
export const makeScreenParcels = (deps: ScreenParcelsDeps) => {
  const nameLive = tallyNamer(deps.policy.tallies);
  // The shadow reads the same history under its own tally ids: named apart only when they differ.
  const shadowTallies = deps.shadow?.policy.tallies ?? [];
  const nameShadow =
    deps.shadow === undefined || namesAlike(deps.policy.tallies, shadowTallies)
      ? undefined
      : tallyNamer(shadowTallies);
  return async (message: ScreeningRequested): Promise<DecisionRecord[]> => {
    const misplaced = misplacedParcels(deps.offices, message);
    if (misplaced.length > 0) {
      throw new ValidationError(
        `parcels outside region ${message.region} in its screening message`,
        misplaced,
      );
    }
    const keys = message.items.map((item) => parcelKeyOf(message.partnerId, item.parcel.parcelId));
    const now = deps.clock.now().toISOString();
    // A decision under a parcel id counts only for the delivery it was made for: once the id is free
    // again (its parcel's record expired), a new parcel under it is screened afresh.
    const screening = { manifestId: message.manifestId, receivedAt: message.receivedAt, at: now };
    const recorded = await deps.decisions.getMany(keys, screening);
    const undecided = message.items.filter((_, index) => !recorded.has(keys[index]!));

    // The shadow's tallies are counted beside the live set's: its rules read them as the live set's do.
    const histories = await deps.history.summarize(
      undecided.map((item) => item.partyKeys),
      message.region,
      now,
      sharedDeliveryRef(message.partnerId, message.manifestId, message.receivedAt),
      tallyWindows([...deps.policy.tallies, ...shadowTallies]),
    );
    await forEachLimited(
      undecided.map((item, index) => ({ item, history: histories[index]! })),
      EFFECT_CONCURRENCY,
      async ({ item, history }) => {
        const facts = buildScreeningFacts(message, item, nameLive(history), now);
        const evaluation = deps.policy.evaluate(facts);
        const sample =
          evaluation.lane === 'release' && deps.controlSampler.pick()
            ? asControlSample(evaluation)
            : undefined;
        const sampled = sample ?? evaluation;
        const parcelKey = parcelKeyOf(message.partnerId, item.parcel.parcelId);
        const inShadow =
          deps.shadow === undefined
            ? undefined
            : evaluateInShadow(
                deps.shadow.policy,
                nameShadow === undefined ? facts : shadowFacts(facts, nameShadow(history)),
              );
        if (inShadow !== undefined && 'failure' in inShadow) deps.shadow!.failed(parcelKey, inShadow.failure);
        const shadowed = inShadow !== undefined && 'shadow' in inShadow ? inShadow : undefined;
        const tallyMarks = mergeTallyMarks(
          deps.policy.tallies,
          deps.policy.tallyMarks(facts),
          shadowed?.tallyMarks ?? [],
        );
        const decision = await deps.decisions.createOrGet(
          {
            ...sampled,
            ...(shadowed === undefined ? {} : { shadow: shadowed.shadow }),
            // Fixed with the decision: a redelivery records the marks of the first screening, once.
            ...(tallyMarks.length === 0 ? {} : { tallyMarks }),
            // Likewise a sample's place in the queue, by the lane bands of the rule set deciding it.
            ...(sample === undefined
              ? {}
              : { queueScore: queueScoreOf(sample, deps.policy.laneFloor('hold')) }),
            parcelKey,
            partnerId: message.partnerId,
            manifestId: message.manifestId,
            parcelId: item.parcel.parcelId,
            region: message.region,
            inspectionOffice: item.parcel.route.inspectionOffice,
            referralId: referralIdOf(parcelKey, message.receivedAt),
            decidedAt: now,
            facts,
          },
          message.receivedAt,
        );
        recorded.set(decision.parcelKey, decision);
      },
    );

    const decisions = keys.map((key) => recorded.get(key)!);
    const unfinished = decisions.filter((decision) => !decision.effectsDoneAt);
    await applyDecisionEffects({ ...deps, holdFloor: deps.policy.laneFloor('hold') }, message, unfinished);
    return decisions;
  };
};
