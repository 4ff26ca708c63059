import type { ParcelFlagged } from '../../events/parcel-flagged-v1.js';
import type { ParcelReferred } from '../../events/parcel-referred-v1.js';
import type { ScreeningItem, ScreeningRequested } from '../../events/screening-requested-v1.js';
import { AppError } from '../core/app-error.js';
import { parcelKey as parcelKeyOf } from '../core/keys.js';
import { sharedDeliveryRef } from '../core/parties/shared-history.js';
import { summarizeGoods } from '../core/review/goods-summary.js';
import { countersOf, isFlaggedByRules, queueScoreOf } from '../core/screening/control-sample.js';
import { isFlagged, partnerLane } from '../core/screening/lane.js';
import { forEachLimited } from '../platform/concurrency.js';
import type { Clock } from '../ports/clock.js';
import type { DecisionRecord, DecisionStore } from '../ports/decision-store.js';
import type { InspectionQueue } from '../ports/inspection-queue.js';
import type { ManifestParts } from '../ports/manifest-parts.js';
import type { ParcelObservation, PartyHistory } from '../ports/party-history.js';
import type { ReferralQueue } from '../ports/referral-queue.js';
import type { ReviewItem, ReviewQueue } from '../ports/review-queue.js';
import type { RuleStatistics } from '../ports/rule-statistics.js';

/** Where a decision's effects go. */
export interface DecisionEffectsDeps {
  decisions: DecisionStore;
  history: PartyHistory;
  /** Which parts of a manifest screened in several messages are done (see `observationsToRecord`). */
  manifestParts: ManifestParts;
  reviewQueue: ReviewQueue;
  inspectionQueue: InspectionQueue;
  referralQueue: ReferralQueue;
  ruleStatistics: RuleStatistics;
  clock: Clock;
  /**
   * The lowest score the rule set in force holds a parcel at: where a control sample waits in the queue
   * when its decision does not say (decided before `queueScore` was recorded).
   */
  holdFloor?: number;
}

/** Decisions and review items written at once: one message's parcels should not wait on each other's latency. */
export const EFFECT_CONCURRENCY = 16;

const reviewItemOf = (
  decision: DecisionRecord,
  item: ScreeningItem,
  holdFloor: number | undefined,
): ReviewItem => {
  const { parcel } = decision.facts;
  const { route } = parcel;
  return {
    parcelKey: decision.parcelKey,
    partnerId: decision.partnerId,
    manifestId: decision.manifestId,
    parcelId: decision.parcelId,
    region: decision.region,
    inspectionOffice: decision.inspectionOffice,
    status: 'open',
    score: decision.score,
    lane: decision.lane,
    firedRules: decision.firedRules,
    ...(decision.controlSample === true
      ? { controlSample: true, queueScore: decision.queueScore ?? queueScoreOf(decision, holdFloor) }
      : {}),
    ruleSetVersion: decision.ruleSetVersion,
    flaggedAt: decision.decidedAt,
    goodsSummary: summarizeGoods(parcel.goods),
    route: [route.origin, ...route.via, route.destination].map((place) => place.city).join(' → '),
    partyKeys: item.partyKeys,
  };
};

/** What the partner is told of a parcel it must hold or not load: lane and referral id, never reasons. */
const referralOf = (decision: DecisionRecord): ParcelReferred[] => {
  const lane = partnerLane(decision.lane);
  if (lane === 'release') return [];
  return [
    {
      type: 'ParcelReferred',
      version: 1,
      partnerId: decision.partnerId,
      manifestId: decision.manifestId,
      parcelId: decision.parcelId,
      lane,
      referralId: decision.referralId,
      referredAt: decision.decidedAt,
    },
  ];
};

const flaggedMessageOf = (decision: DecisionRecord): ParcelFlagged => ({
  type: 'ParcelFlagged',
  version: 1,
  region: decision.region,
  partnerId: decision.partnerId,
  manifestId: decision.manifestId,
  parcelId: decision.parcelId,
  inspectionOffice: decision.inspectionOffice,
  lane: decision.lane,
  score: decision.score,
  ruleSetVersion: decision.ruleSetVersion,
  firedRuleIds: decision.firedRules.map((rule) => rule.ruleId),
  ...(decision.controlSample === true ? { controlSample: true } : {}),
  referralId: decision.referralId,
  decidedAt: decision.decidedAt,
});

/**
 * A decided parcel, as the party history counts it (from what the decision recorded), delivered in the
 * manifest received at `receivedAt`.
 */
const observationOf =
  (receivedAt: string) =>
  (decision: DecisionRecord): ParcelObservation => ({
    parcelKey: decision.parcelKey,
    region: decision.region,
    observedAt: decision.decidedAt,
    receivedAt,
    delivery: sharedDeliveryRef(decision.partnerId, decision.manifestId, receivedAt),
    keys: decision.facts.parties,
    originCity: decision.facts.parcel.route.origin.city,
    // A control sample is nobody's flag: chance held it, not what its parties did.
    flagged: isFlaggedByRules(decision),
    ...(decision.tallyMarks === undefined ? {} : { tallies: decision.tallyMarks }),
  });

/**
 * The parcels whose party history to record now. A manifest screened in one message: its decisions. One
 * screened in several (parts): none until every part is screened, then every parcel of the manifest, by
 * the part that completes it. So each parcel's history facts hold no parcel of its own manifest, whatever
 * the order or timing of its parts (the manifest facts count those), and a part redelivered after that
 * records them again, which counts nothing twice.
 */
const observationsToRecord = async (
  deps: DecisionEffectsDeps,
  message: ScreeningRequested,
  decisions: DecisionRecord[],
): Promise<ParcelObservation[]> => {
  const { part } = message;
  if (part === undefined) return decisions.map(observationOf(message.receivedAt));
  const complete = await deps.manifestParts.markScreened(message, part.index, part.of);
  if (!complete) return [];
  const keys = part.parcelIds.map((parcelId) => parcelKeyOf(message.partnerId, parcelId));
  const all = await deps.decisions.getMany(keys, {
    manifestId: message.manifestId,
    receivedAt: message.receivedAt,
    at: deps.clock.now().toISOString(),
  });
  // Every part marks itself screened after its decisions are stored, so all are here (those of this
  // delivery: a decision stored under a reused id for an earlier one is not).
  const missing = keys.filter((key) => !all.has(key));
  if (missing.length > 0) {
    throw new AppError(
      'MANIFEST_PART_MISSING',
      `manifest ${message.manifestId}: every part is marked screened but ${missing.length} decision(s) are not stored`,
      { retryable: true },
    );
  }
  return [...all.values()].map(observationOf(message.receivedAt));
};

/** One failure, as a log line names it: its class, code and message. */
const describeFailure = (failure: unknown): string =>
  failure instanceof AppError
    ? `${failure.name} ${failure.code}: ${failure.message}`
    : failure instanceof Error
      ? `${failure.name}: ${failure.message}`
      : String(failure);

/**
 * Both bookkeeping stores failed: one error that names both (the edge logs once, so a second failure
 * rethrown on its own would never be seen), retryable only when each of them is.
 */
const bookkeepingFailed = (failures: unknown[]): AppError =>
  new AppError(
    'BOOKKEEPING_FAILED',
    `${failures.length} bookkeeping writes failed: ${failures.map(describeFailure).join('; ')}`,
    {
      retryable: failures.every((failure) => failure instanceof AppError && failure.retryable),
      cause: failures[0],
      details: { failures },
    },
  );

/**
 * The decisions' effects, each idempotent, in order of who waits for them: the officers' review items,
 * the inspection queue and the partner's referral first, then the bookkeeping (party history and rule
 * statistics, side by side), and `effectsDoneAt` last. A bookkeeping write that keeps failing (a DynamoDB item at its
 * size limit, say) then costs a retry and, in the end, a dead letter and its alarm, but no flagged parcel
 * misses its officer or its partner meanwhile.
 */
export const applyDecisionEffects = async (
  deps: DecisionEffectsDeps,
  message: ScreeningRequested,
  decisions: DecisionRecord[],
): Promise<void> => {
  // A part whose decisions are all finished still marks itself: another message (a redelivery, a resumed
  // hand-over) may have finished them without marking this part, and the manifest completes with it.
  if (decisions.length === 0 && message.part === undefined) return;
  const itemsByKey = new Map(
    message.items.map((item) => [parcelKeyOf(message.partnerId, item.parcel.parcelId), item]),
  );
  const flagged = decisions.filter((decision) => isFlagged(decision.lane));
  await forEachLimited(flagged, EFFECT_CONCURRENCY, (decision) =>
    deps.reviewQueue.enqueue(reviewItemOf(decision, itemsByKey.get(decision.parcelKey)!, deps.holdFloor)),
  );
  // The inspection queue is at-least-once: every receive of this message before its decisions are marked
  // done sends them again (each retry while a bookkeeping write below keeps failing, not only after a
  // crash); consumers key on referralId.
  if (flagged.length > 0) await deps.inspectionQueue.send(flagged.map(flaggedMessageOf));
  // So are referrals, as often: the webhook id is the referral id, which partners use to drop a repeat.
  const referrals = decisions.flatMap(referralOf);
  if (referrals.length > 0) await deps.referralQueue.send(referrals);
  // The two bookkeeping stores side by side: one that keeps failing holds back `effectsDoneAt` (the
  // message is retried), never the other's counts.
  const recordHistory = async () => {
    const observations = await observationsToRecord(deps, message, decisions);
    if (observations.length > 0) await deps.history.record(observations);
  };
  const recordHits = () =>
    deps.ruleStatistics.recordHits(
      decisions.map((decision) => ({
        parcelKey: decision.parcelKey,
        region: decision.region,
        decidedAt: decision.decidedAt,
        ruleIds: countersOf(decision),
      })),
    );
  const failures = (await Promise.allSettled([recordHistory(), recordHits()])).flatMap((result) =>
    result.status === 'rejected' ? [result.reason as unknown] : [],
  );
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw bookkeepingFailed(failures);
  if (decisions.length === 0) return;
  const doneAt = deps.clock.now().toISOString();
  await forEachLimited(decisions, EFFECT_CONCURRENCY, (decision) =>
    deps.decisions.markEffectsDone(decision.parcelKey, doneAt),
  );
};
