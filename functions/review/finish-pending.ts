import type { ReviewItem } from '../ports/review-queue.js';
import type { ReviewDeps } from './review-deps.js';

/**
 * Does what a stored action still owes: its audit entry, then, for an outcome, the feedback to the
 * party history (inspections, seizures, shared intelligence) and the rule statistics, and for a
 * correction the same feedback with the corrected outcome replacing the recorded one; then clears the
 * marker. Every step is idempotent, so finishing twice, or after a crash halfway, records everything once.
 */
export type FinishDeps = Pick<ReviewDeps, 'auditLog' | 'history' | 'ruleStatistics' | 'reviewQueue'>;

export const finishPending = async (deps: FinishDeps, item: ReviewItem): Promise<void> => {
  const pending = item.pending;
  if (!pending) return;
  await deps.auditLog.appendOnce(pending.audit);
  const feedback = pending.feedback;
  if (feedback) {
    const hits = {
      parcelKey: item.parcelKey,
      decidedAt: item.flaggedAt,
      ruleIds: item.firedRules.map((rule) => rule.ruleId),
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
  await deps.reviewQueue.clearPending(item.parcelKey, pending.actionId);
};
