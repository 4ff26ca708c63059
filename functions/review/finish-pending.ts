import { outcomeCountersOf } from '../core/screening/control-sample.js';
import type { PendingEffects, ReviewItem } from '../ports/review-queue.js';
import type { ReviewDeps } from './review-deps.js';

export type FinishDeps = Pick<
  ReviewDeps,
  'auditLog' | 'history' | 'ruleStatistics' | 'reviewQueue' | 'clock' | 'claimNotReleased'
>;

/**
 * Longer than any function that finishes effects may run (tested against their timeouts), so in Lambda
 * a claim outlives its holder only if the holder died. The embedded stack enforces no timeout.
 */
export const FINISH_CLAIM_MS = 3 * 60_000;

/**
 * Does what a stored action still owes: its audit entry, then, for an outcome, the feedback to the
 * party history (inspections, seizures, shared intelligence) and the rule statistics, and for a
 * correction the same feedback with the corrected outcome replacing the recorded one; then clears the
 * marker. Every step is idempotent, so finishing again after a crash halfway records everything once.
 *
 * It first claims the action for `finisher`: while the claim holds nobody else finishes or clears it,
 * and no later action can be stored, so effects are never replayed after a later action's. Returns
 * false, having done nothing, when the action is no longer pending or another finisher holds it.
 */
export const finishPending = async (
  deps: FinishDeps,
  item: ReviewItem,
  finisher: string,
): Promise<boolean> => {
  const pending = item.pending;
  if (!pending) return true;
  const now = deps.clock.now();
  const claim = {
    finisher,
    now: now.toISOString(),
    until: new Date(now.getTime() + FINISH_CLAIM_MS).toISOString(),
  };
  const claimed =
    (await deps.reviewQueue.claimPending(item.parcelKey, pending.actionId, claim)) ||
    (await tookClaim(deps, item.parcelKey, pending.actionId, claim));
  if (!claimed) return false;
  try {
    await applyEffects(deps, item, pending);
    await deps.reviewQueue.clearPending(item.parcelKey, pending.actionId, finisher);
  } catch (error) {
    // Given back at once, so a retry need not wait for the claim to run out; the error still surfaces.
    // A claim not given back runs out on its own (FINISH_CLAIM_MS), but is reported, once.
    await deps.reviewQueue
      .releasePending(item.parcelKey, pending.actionId, finisher)
      .catch((releaseError: unknown) => deps.claimNotReleased?.(item.parcelKey, releaseError));
    throw error;
  }
  return true;
};

/**
 * Whether a refused claim was taken after all, by this very call: a claim whose answer was lost is
 * retried by the SDK, and the retry fails its condition against the claim it took. The stored claim is
 * this call's if it names this finisher and ends when this call's did (read from this call's clock).
 */
const tookClaim = async (
  deps: FinishDeps,
  parcelKey: string,
  actionId: string,
  claim: { finisher: string; until: string },
): Promise<boolean> => {
  const pending = (await deps.reviewQueue.get(parcelKey))?.pending;
  return (
    pending?.actionId === actionId &&
    pending.finisher === claim.finisher &&
    pending.finishUntil === claim.until
  );
};

/** The audit entry, then for an outcome or a correction its feedback to history and statistics. */
const applyEffects = async (deps: FinishDeps, item: ReviewItem, pending: PendingEffects): Promise<void> => {
  await deps.auditLog.appendOnce(pending.audit);
  const feedback = pending.feedback;
  if (feedback) {
    const hits = {
      parcelKey: item.parcelKey,
      region: item.region,
      decidedAt: item.flaggedAt,
      ruleIds: outcomeCountersOf(item),
    };
    if (feedback.kind === 'outcome') {
      await deps.history.recordOutcome([
        {
          parcelKey: item.parcelKey,
          region: item.region,
          recordedAt: feedback.recordedAt,
          keys: item.partyKeys,
          outcome: feedback.outcome,
        },
      ]);
      await deps.ruleStatistics.recordOutcome(hits, feedback.outcome);
    } else {
      await deps.history.correctOutcome([
        {
          parcelKey: item.parcelKey,
          region: item.region,
          correctedAt: feedback.correctedAt,
          keys: item.partyKeys,
          outcome: feedback.to,
        },
      ]);
      await deps.ruleStatistics.correctOutcome(hits, feedback.from, feedback.to);
    }
  }
};
