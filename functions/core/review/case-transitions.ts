import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../access/roles.js';
import type { Finding } from './outcome.js';

/**
 * The life of one flagged parcel in the review queue, as pure transitions: an officer claims it (a
 * lease that ends by itself at `until`), may release it, and the lease holder records exactly one
 * outcome, which closes it; an admin may then correct the outcome. A refused transition is a value
 * that says why and, for a lease held by someone else, by whom and until when.
 */

export interface Lease {
  holder: string;
  holderName: string;
  claimedAt: string;
  until: string;
  /** Set by its holder's release, which ends it: kept on record so a retried release is recognised. */
  releasedAt?: string;
}

export interface OutcomeRecord {
  finding: Finding;
  recordedBy: string;
  recordedByName: string;
  recordedAt: string;
}

export interface OutcomeCorrection {
  from: Finding;
  /**
   * Who recorded the finding it replaced, and when (the officer, or the admin of the correction before).
   * Absent on corrections stored before it was kept: the audit log holds it (`npm run audit -- show`).
   */
  fromRecordedBy?: string;
  fromRecordedByName?: string;
  fromRecordedAt?: string;
  to: Finding;
  reason: string;
  correctedBy: string;
  correctedByName: string;
  correctedAt: string;
}

export interface CaseState {
  status: 'open' | 'closed';
  lease?: Lease;
  outcome?: OutcomeRecord;
  corrections?: OutcomeCorrection[];
}

export type Refusal =
  | { reason: 'leased-by-other'; heldBy: string; leaseUntil: string }
  | { reason: 'not-lease-holder'; heldBy?: string; leaseUntil?: string }
  | { reason: 'lease-expired'; leaseUntil: string }
  | { reason: 'closed'; outcome: string; recordedAt: string }
  | { reason: 'not-closed' }
  | { reason: 'corrected-since'; corrections: number; outcome: string; recordedAt: string }
  | { reason: 'corrections-unseen'; corrections: number }
  | { reason: 'too-many-corrections'; limit: number };

export type Transition = { ok: true; state: CaseState } | { ok: false; refusal: Refusal };

/**
 * A lease counts only until its end: expiry is a comparison, never a deletion. A released lease never
 * counts, whatever a clock a little behind the releasing one reads.
 */
export const activeLease = (state: CaseState, now: string): Lease | undefined =>
  state.lease && state.lease.releasedAt === undefined && state.lease.until > now ? state.lease : undefined;

const refuse = (refusal: Refusal): Transition => ({ ok: false, refusal });

const closedRefusal = (state: CaseState): Transition =>
  refuse({
    reason: 'closed',
    outcome: state.outcome?.finding.outcome ?? 'unknown',
    recordedAt: state.outcome?.recordedAt ?? '',
  });

const withoutLease = ({ lease: _lease, ...rest }: CaseState): CaseState => rest;

/** Claims the parcel for `leaseMinutes`; the holder claiming again extends the lease. */
export const claimCase = (state: CaseState, actor: Actor, now: Date, leaseMinutes: number): Transition => {
  const at = now.toISOString();
  if (state.status === 'closed') return closedRefusal(state);
  const lease = activeLease(state, at);
  if (lease && lease.holder !== actor.subject) {
    return refuse({ reason: 'leased-by-other', heldBy: lease.holderName, leaseUntil: lease.until });
  }
  const until = new Date(now.getTime() + leaseMinutes * 60_000).toISOString();
  return {
    ok: true,
    state: {
      ...state,
      lease: { holder: actor.subject, holderName: actor.username, claimedAt: lease?.claimedAt ?? at, until },
    },
  };
};

/** Gives the lease back before it ends; only its holder can. The lease stays on record, ended. */
export const releaseCase = (state: CaseState, actor: Actor, now: Date): Transition => {
  if (state.status === 'closed') return closedRefusal(state);
  const at = now.toISOString();
  const lease = activeLease(state, at);
  if (!lease || lease.holder !== actor.subject) return refuse(holderRefusal(state, lease, actor));
  return { ok: true, state: { ...state, lease: { ...lease, until: at, releasedAt: at } } };
};

/**
 * Whether the case is as this actor's release left it: open, and the lease on record is theirs,
 * released. Any claim since replaces that lease and an outcome closes the case, so a retried release
 * is answered as done only while that release is still the last word on the lease.
 */
export const holdsRelease = (state: CaseState, actor: Actor): boolean =>
  state.status === 'open' && state.lease?.holder === actor.subject && state.lease.releasedAt !== undefined;

/** Records the one outcome of the parcel and closes it; only the holder of a live lease can. */
export const recordCaseOutcome = (
  state: CaseState,
  actor: Actor,
  now: Date,
  finding: Finding,
): Transition => {
  if (state.status === 'closed') return closedRefusal(state);
  const at = now.toISOString();
  const lease = activeLease(state, at);
  if (!lease || lease.holder !== actor.subject) return refuse(holderRefusal(state, lease, actor));
  return {
    ok: true,
    state: {
      ...withoutLease(state),
      status: 'closed',
      outcome: { finding, recordedBy: actor.subject, recordedByName: actor.username, recordedAt: at },
    },
  };
};

/** A parcel keeps at most this many corrections: each is kept whole, on the item and in audit entries. */
export const MAX_CORRECTIONS = 10;

/**
 * Replaces a recorded outcome, keeping what it replaced and why; only a closed parcel can be corrected.
 * `seen` is how many corrections the admin saw on the parcel: a correction made since (by anyone) is
 * never overwritten by one decided without it, be it a stale view or a request sent again.
 */
export const correctCaseOutcome = (
  state: CaseState,
  actor: Actor,
  now: Date,
  finding: Finding,
  reason: string,
  seen: number,
): Transition => {
  if (state.status !== 'closed' || !state.outcome) return refuse({ reason: 'not-closed' });
  const corrections = state.corrections?.length ?? 0;
  if (seen > corrections) return refuse({ reason: 'corrections-unseen', corrections });
  if (seen < corrections) {
    return refuse({
      reason: 'corrected-since',
      corrections,
      outcome: state.outcome.finding.outcome,
      recordedAt: state.outcome.recordedAt,
    });
  }
  if (corrections >= MAX_CORRECTIONS)
    return refuse({ reason: 'too-many-corrections', limit: MAX_CORRECTIONS });
  // Never timed before what it corrects: the party history keeps the latest correction by this time, and
  // the clocks of two hosts may differ by more than the time between two corrections.
  const after = Date.parse(state.outcome.recordedAt) + 1;
  const at = new Date(Math.max(now.getTime(), after)).toISOString();
  const correction: OutcomeCorrection = {
    from: state.outcome.finding,
    fromRecordedBy: state.outcome.recordedBy,
    fromRecordedByName: state.outcome.recordedByName,
    fromRecordedAt: state.outcome.recordedAt,
    to: finding,
    reason,
    correctedBy: actor.subject,
    correctedByName: actor.username,
    correctedAt: at,
  };
  return {
    ok: true,
    state: {
      ...state,
      outcome: { finding, recordedBy: actor.subject, recordedByName: actor.username, recordedAt: at },
      corrections: [...(state.corrections ?? []), correction],
    },
  };
};

/**
 * Why `actor` may not act without a live lease of theirs: another's lease, their own that ran out (not
 * given back: a lease they released is no claim of theirs), or none.
 */
const holderRefusal = (state: CaseState, lease: Lease | undefined, actor: Actor): Refusal => {
  if (lease) return { reason: 'not-lease-holder', heldBy: lease.holderName, leaseUntil: lease.until };
  const lapsed = state.lease;
  if (lapsed && lapsed.holder === actor.subject && lapsed.releasedAt === undefined)
    return { reason: 'lease-expired', leaseUntil: lapsed.until };
  return { reason: 'not-lease-holder' };
};

/**
 * Whether the case already holds this actor's outcome, uncorrected: a request retried after its answer
 * was lost, to be answered as done rather than refused or recorded twice.
 */
export const holdsOutcome = (state: CaseState, actor: Actor, finding: Finding): boolean =>
  state.status === 'closed' &&
  state.outcome?.recordedBy === actor.subject &&
  isDeepStrictEqual(state.outcome.finding, finding) &&
  state.corrections === undefined;

/**
 * Whether a correction needs no recording: the parcel already reads its finding (nothing to change,
 * however many corrections the admin saw), or this actor's correction, decided after `seen`
 * corrections, is on record as the next one (a request sent again, even when later ones followed it).
 */
export const holdsCorrection = (
  state: CaseState,
  actor: Actor,
  finding: Finding,
  reason: string,
  seen: number,
): boolean => {
  if (state.status === 'closed' && isDeepStrictEqual(state.outcome?.finding, finding)) return true;
  const correction = state.corrections?.[seen];
  return (
    correction !== undefined &&
    correction.correctedBy === actor.subject &&
    correction.reason === reason &&
    isDeepStrictEqual(correction.to, finding)
  );
};

/** The status shown to staff: an open parcel under a live lease is `claimed`. */
export const viewStatus = (state: CaseState, now: string): 'open' | 'claimed' | 'closed' =>
  state.status === 'closed' ? 'closed' : activeLease(state, now) ? 'claimed' : 'open';
