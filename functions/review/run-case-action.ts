import { covers } from '../core/access/offices.js';
import type { Actor, StaffPrincipal } from '../core/access/roles.js';
import { auditedCaseState } from '../core/review/audited-state.js';
import type { CaseState, Refusal, Transition } from '../core/review/case-transitions.js';
import { readableUtc } from '../core/review/readable-time.js';
import { ConflictError, DependencyError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { PendingEffects, ReviewItem } from '../ports/review-queue.js';
import { FINISH_CLAIM_MS, finishPending } from './finish-pending.js';
import type { ReviewDeps } from './review-deps.js';

export type CaseActionName = 'claim' | 'release' | 'outcome' | 'correction';

export interface CaseActionRequest {
  principal: StaffPrincipal;
  actor: Actor;
  parcelKey: string;
  requestId: string;
  action: CaseActionName;
  transition: (state: CaseState, now: Date) => Transition;
  /** The feedback an outcome or a correction owes to history and statistics. */
  feedback?: (before: CaseState, after: CaseState, at: string) => PendingEffects['feedback'];
  /** The case already holds what this request asks for (a retry): answer with it, record nothing. */
  alreadyDone?: (state: CaseState) => boolean;
}

const ATTEMPTS = 4;
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, attempt * 200));

export const stateOf = (item: ReviewItem): CaseState => ({
  status: item.status,
  ...(item.lease ? { lease: item.lease } : {}),
  ...(item.outcome ? { outcome: item.outcome } : {}),
  ...(item.corrections ? { corrections: item.corrections } : {}),
});

const withState = (item: ReviewItem, state: CaseState): ReviewItem => {
  const { lease: _lease, outcome: _outcome, corrections: _corrections, ...rest } = item;
  return { ...rest, ...state };
};

/** "1 correction", "2 corrections". */
const corrections = (count: number): string => `${count} correction${count === 1 ? '' : 's'}`;

/** What each action does, as a refusal names it: "only the holder of a live claim may record its outcome". */
const ACTION_WORDS: Readonly<Record<CaseActionName, string>> = {
  claim: 'claim the parcel',
  release: 'release the parcel',
  outcome: "record the parcel's outcome",
  correction: "correct the parcel's outcome",
};

/**
 * A refused transition as the API answers it. Its text gives times as people read them, in UTC (offices
 * keep no time zone, and the API knows no caller's): `03:15 UTC, 1 Dec 2026`. Each time is also an
 * extension member holding the ISO instant (`leaseUntil`, `recordedAt`), for clients, and for the console
 * to show it in local time.
 */
const refusalError = (refusal: Refusal, action: CaseActionName): ConflictError | ValidationError => {
  const doing = ACTION_WORDS[action];
  switch (refusal.reason) {
    case 'leased-by-other':
      return new ConflictError(
        `the parcel is claimed by ${refusal.heldBy} until ${readableUtc(refusal.leaseUntil)}`,
        {
          details: { heldBy: refusal.heldBy, leaseUntil: refusal.leaseUntil },
        },
      );
    case 'not-lease-holder': {
      const { heldBy, leaseUntil } = refusal;
      return heldBy && leaseUntil
        ? new ConflictError(
            `only the holder of the claim may ${doing}; the parcel is claimed by ${heldBy} until ${readableUtc(leaseUntil)}`,
            { details: { heldBy, leaseUntil } },
          )
        : new ConflictError(`claim the parcel first: only the holder of a live claim may ${doing}`, {
            details: { claimed: false },
          });
    }
    case 'lease-expired':
      return new ConflictError(
        action === 'release'
          ? `your claim of the parcel ran out at ${readableUtc(refusal.leaseUntil)}: nobody holds it, so there is nothing to release`
          : `your claim of the parcel ran out at ${readableUtc(refusal.leaseUntil)}: claim it again, then ${doing}`,
        { details: { leaseUntil: refusal.leaseUntil, claimed: false } },
      );
    case 'closed':
      return new ConflictError(
        `an outcome (${refusal.outcome}) was already recorded at ${readableUtc(refusal.recordedAt)}; an admin correction changes it`,
        { details: { outcome: refusal.outcome, recordedAt: refusal.recordedAt } },
      );
    case 'not-closed':
      return new ConflictError('the parcel has no outcome to correct');
    case 'corrected-since':
      return new ConflictError(
        `the outcome was corrected since you read it: it reads ${refusal.outcome} (since ${readableUtc(refusal.recordedAt)}) after ${corrections(refusal.corrections)}; read the parcel again and send corrections: ${refusal.corrections} if it still needs correcting`,
        {
          details: {
            corrections: refusal.corrections,
            outcome: refusal.outcome,
            recordedAt: refusal.recordedAt,
          },
        },
      );
    case 'corrections-unseen':
      return new ValidationError('the correction names corrections the parcel does not have', [
        {
          path: 'corrections',
          message: `the parcel has ${corrections(refusal.corrections)}: send how many it showed when you read it`,
        },
      ]);
    case 'too-many-corrections':
      return new ConflictError(
        `the outcome was corrected ${refusal.limit} times, the most a parcel keeps; nothing changed`,
        { details: { limit: refusal.limit } },
      );
  }
};

/**
 * The one answer for a parcel that is not flagged, and for one flagged at an office outside the caller's
 * grants: whether a parcel is flagged, and where, is not for another office (or region) to learn.
 */
export const notInYourQueues = (parcelKey: string): NotFoundError =>
  new NotFoundError(`no flagged parcel ${parcelKey} in the review queues of your offices`);

/**
 * Runs one staff action on one parcel: read, check office scope (out of scope is 404, as absent), finish any action left pending,
 * apply the pure transition, store it under optimistic concurrency together with what it still owes
 * (audit entry, feedback), then do that. A concurrent change makes it read again and decide again;
 * a read showing this request's own refused save stored after all (it landed, and the SDK's retry of
 * it failed its condition) answers with it, whichever action it is and whether or not its effects
 * are done yet.
 */
export const runCaseAction = async (deps: ReviewDeps, request: CaseActionRequest): Promise<ReviewItem> => {
  let heldUntil: string | undefined;
  let setbacks = 0;
  /** The actions this request's saves were refused: any of them may have landed all the same. */
  const refused = new Set<string>();
  // Finishing a previous action is progress, not a setback; the bound on rounds only stops a livelock.
  for (let round = 0; setbacks < ATTEMPTS && round < 3 * ATTEMPTS; round += 1) {
    // An expired item reads as absent, as in the queue's listing; the sweep finishes any effects it owes.
    const item = await deps.reviewQueue.get(request.parcelKey, deps.clock.now().toISOString());
    // A parcel outside the caller's offices reads as absent, with the same answer: whether a parcel is
    // flagged, and at which office, is not for another office (or region) to learn.
    if (!item || !covers(deps.offices, request.principal.offices, item.inspectionOffice)) {
      throw notInYourQueues(request.parcelKey);
    }
    heldUntil = undefined;
    // This request's action is stored already: its save landed though it was answered as refused.
    if (isOwnAction(item, request, refused)) return settle(deps, item, request.requestId);
    if (item.pending) {
      if (await finishPending(deps, item, request.requestId)) continue;
      // Another finisher (a concurrent request, the sweep) holds it: give it time to finish.
      setbacks += 1;
      // The claim read may be stale (re-taken since): no claim taken by now outlasts this.
      heldUntil = new Date(deps.clock.now().getTime() + FINISH_CLAIM_MS).toISOString();
      if (setbacks < ATTEMPTS) await pause(setbacks);
      continue;
    }
    const now = deps.clock.now();
    const before = stateOf(item);
    if (request.alreadyDone?.(before)) return item;
    const result = request.transition(before, now);
    if (!result.ok) throw refusalError(result.refusal, request.action);
    const version = item.version ?? 0;
    // flaggedAt tells this life of the parcel key from an earlier one: review items expire, a partner may
    // use a house document number again, and the audit log keeps the earlier life's action ids for good.
    const actionId = `${request.action}:${item.parcelKey}:${item.flaggedAt}:v${version + 1}`;
    let stored: ReviewItem;
    try {
      stored = await deps.reviewQueue.save(
        withPendingAction(item, actionId, request, before, result.state, now),
        version,
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // A concurrent change, or this very save landed and the SDK's retry of it was refused: the next read tells.
      refused.add(actionId);
      setbacks += 1;
      continue;
    }
    return settle(deps, stored, request.requestId);
  }
  if (heldUntil !== undefined) {
    throw new ConflictError(
      `the parcel's previous action is still being finished; try again in a moment (at the latest after ${readableUtc(heldUntil)})`,
      { details: { finishingUntil: heldUntil } },
    );
  }
  throw new DependencyError(
    `parcel ${request.parcelKey} kept changing while this action was tried; try again`,
  );
};

/**
 * Whether the item's last stored action is one this request saved and was told was refused: the same
 * action on the same version (the action id) by the same request. Its effects may be done or not.
 */
const isOwnAction = (item: ReviewItem, request: CaseActionRequest, refused: ReadonlySet<string>): boolean =>
  item.lastAction?.requestId === request.requestId && refused.has(item.lastAction.actionId);

/** The request's stored action, finished: if another finisher claimed it first, that one does what it owes. */
const settle = async (deps: ReviewDeps, stored: ReviewItem, finisher: string): Promise<ReviewItem> => {
  await finishPending(deps, stored, finisher);
  const { pending: _done, ...settled } = stored;
  return settled;
};

/**
 * The item in its new state, marked as this request's action (its id names the version it makes), with
 * what the action owes: its audit entry and any feedback.
 */
const withPendingAction = (
  item: ReviewItem,
  actionId: string,
  request: CaseActionRequest,
  before: CaseState,
  after: CaseState,
  now: Date,
): ReviewItem => {
  const at = now.toISOString();
  const feedback = request.feedback?.(before, after, at);
  return {
    ...withState(item, after),
    lastAction: { actionId, requestId: request.requestId },
    pending: {
      actionId,
      audit: {
        chain: item.inspectionOffice,
        actionId,
        actor: request.actor.subject,
        actorName: request.actor.username,
        role: request.actor.role,
        at,
        action: request.action,
        target: item.parcelKey,
        before: auditedCaseState(before),
        after: auditedCaseState(after, before),
        requestId: request.requestId,
      },
      ...(feedback ? { feedback } : {}),
    },
  };
};
