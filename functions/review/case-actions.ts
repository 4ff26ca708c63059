import type { Actor, StaffPrincipal } from '../core/access/roles.js';
import {
  claimCase,
  correctCaseOutcome,
  holdsCorrection,
  holdsOutcome,
  holdsRelease,
  recordCaseOutcome,
  releaseCase,
} from '../core/review/case-transitions.js';
import type { Finding } from '../core/review/outcome.js';
import type { ReviewDeps } from './review-deps.js';
import { runCaseAction } from './run-case-action.js';
import { caseView } from './views.js';

export interface CaseActionContext {
  principal: StaffPrincipal;
  actor: Actor;
  parcelKey: string;
  requestId: string;
}

/** POST …/claim: a lease of `leaseMinutes` on the parcel; a live lease of someone else's is a 409. */
export const makeClaimParcel = (deps: ReviewDeps) => async (context: CaseActionContext) => {
  const item = await runCaseAction(deps, {
    ...context,
    action: 'claim',
    transition: (state, now) => claimCase(state, context.actor, now, deps.leaseMinutes),
  });
  return caseView(item, deps.clock.now().toISOString());
};

/**
 * POST …/release: the lease holder gives the parcel back before the lease ends. The same officer
 * releasing again, with nobody's claim since (a retry), is answered with the released case.
 */
export const makeReleaseParcel = (deps: ReviewDeps) => async (context: CaseActionContext) => {
  const item = await runCaseAction(deps, {
    ...context,
    action: 'release',
    transition: (state, now) => releaseCase(state, context.actor, now),
    alreadyDone: (state) => holdsRelease(state, context.actor),
  });
  return caseView(item, deps.clock.now().toISOString());
};

/**
 * POST …/outcome: the lease holder records the one outcome; it feeds history and rule statistics. The
 * same officer sending the same finding again (a retry) is answered with the recorded case.
 */
export const makeRecordOutcome =
  (deps: ReviewDeps) => async (context: CaseActionContext, finding: Finding) => {
    const item = await runCaseAction(deps, {
      ...context,
      action: 'outcome',
      transition: (state, now) => recordCaseOutcome(state, context.actor, now, finding),
      feedback: (_before, _after, at) => ({ kind: 'outcome', outcome: finding.outcome, recordedAt: at }),
      alreadyDone: (state) => holdsOutcome(state, context.actor, finding),
    });
    return caseView(item, deps.clock.now().toISOString());
  };

/**
 * POST …/correction: an admin replaces a recorded outcome, with a reason and the number of corrections
 * they saw; statistics follow. The same correction sent again is answered with the case as it is now.
 */
export const makeCorrectOutcome =
  (deps: ReviewDeps) =>
  async (context: CaseActionContext, finding: Finding, reason: string, seen: number) => {
    const item = await runCaseAction(deps, {
      ...context,
      action: 'correction',
      transition: (state, now) => correctCaseOutcome(state, context.actor, now, finding, reason, seen),
      alreadyDone: (state) => holdsCorrection(state, context.actor, finding, reason, seen),
      // The correction's own time, never before the outcome it corrects (see correctCaseOutcome).
      feedback: (before, after) =>
        before.outcome && after.outcome && before.outcome.finding.outcome !== finding.outcome
          ? {
              kind: 'correction',
              from: before.outcome.finding.outcome,
              to: finding.outcome,
              correctedAt: after.outcome.recordedAt,
            }
          : undefined,
    });
    return caseView(item, deps.clock.now().toISOString());
  };
