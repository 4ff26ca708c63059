import type { AuditDraft } from '../core/audit/audit-chain.js';
import type { PartyKeys } from '../core/parties/party-keys.js';
import type { CaseState } from '../core/review/case-transitions.js';
import type { Outcome } from '../core/review/outcome.js';
import type { FiredRule } from '../core/screening/decision.js';
import type { Lane } from '../core/screening/lane.js';

/**
 * `open`: awaiting an outcome (claimed or not); `claimed`: open under a live lease; `closed`: outcome
 * recorded. Only `open` and `closed` are stored; `claimed` is `open` filtered on the lease's end.
 */
export type ReviewStatus = 'open' | 'claimed' | 'closed';

/**
 * What an action still has to do after its state change was stored: append its audit entry and feed
 * an outcome back to the party history and the rule statistics. Kept on the item until done, so an
 * interrupted action is finished by a retry, the next action on the parcel or the review sweep; every
 * step is idempotent. One finisher at a time holds it (`finisher` until `finishUntil`; not re-entrant,
 * not even under the same name), so a finisher working from an old read can never replay an action
 * after a later one has changed its effects.
 */
export interface PendingEffects {
  actionId: string;
  /** Who is finishing the effects now, and until when the claim holds (longer than any function runs). */
  finisher?: string;
  finishUntil?: string;
  audit: AuditDraft;
  feedback?:
    | { kind: 'outcome'; outcome: Outcome; recordedAt: string }
    | { kind: 'correction'; from: Outcome; to: Outcome; correctedAt: string };
}

/** One flagged parcel waiting for an officer of its inspection office. */
export interface ReviewItem extends Omit<CaseState, 'status'> {
  parcelKey: string;
  partnerId: string;
  manifestId: string;
  parcelId: string;
  /** The region (tenant) whose history the parcel's outcome feeds. */
  region: string;
  inspectionOffice: string;
  status: 'open' | 'closed';
  score: number;
  lane: Lane;
  firedRules: FiredRule[];
  /** Held at random as a control sample, though the rules released it: its officer is told so. */
  controlSample?: true;
  /** The score the queue orders it by, when not its own: a control sample's (control-sample.ts queueScoreOf). */
  queueScore?: number;
  ruleSetVersion: string;
  flaggedAt: string;
  goodsSummary: string;
  route: string;
  /** The hashed party keys the parcel was screened with: its outcome is counted against these. */
  partyKeys: PartyKeys;
  /** Optimistic concurrency: every stored change increments it. Absent on a freshly enqueued item. */
  version?: number;
  /**
   * The action that stored this version and the request that took it, kept once its effects are done:
   * a request told its save failed (the SDK's retry of a write whose answer was lost fails its
   * condition against that very write) recognises its own write by it and stores nothing twice.
   */
  lastAction?: { actionId: string; requestId: string };
  pending?: PendingEffects;
}

export interface ReviewPage {
  items: ReviewItem[];
  cursor?: string;
}

/** Parcels whose action still owes its effects, oldest action first. */
export interface PendingPage {
  parcelKeys: string[];
  cursor?: string;
}

/** Port: the review queue, per office and status, highest score first. */
export interface ReviewQueue {
  /** Adds the parcel once; a second add leaves the stored item (and any claim on it) untouched. */
  enqueue(item: ReviewItem): Promise<void>;
  /**
   * `now` decides which leases are live, for `claimed`, and which items have expired: those are left out,
   * as their parcel's records count as gone (see functions/core/retention.ts). With `claimedBy` (a staff
   * subject), only the open parcels under a live lease of theirs.
   */
  list(
    office: string,
    status: ReviewStatus,
    options: { now: string; limit?: number; cursor?: string; claimedBy?: string },
  ): Promise<ReviewPage>;
  /**
   * The stored item. With `liveAt`, an item expired by then reads as absent, as in `list`; without it,
   * any stored item, so that pending effects are finished even on an expired one.
   */
  get(parcelKey: string, liveAt?: string): Promise<ReviewItem | undefined>;
  /**
   * Stores the item if it is still at `expectedVersion` and has no pending effects, with the version
   * incremented; throws ConflictError otherwise. Returns the stored item.
   */
  save(item: ReviewItem, expectedVersion: number): Promise<ReviewItem>;
  /**
   * Takes the right to finish an action's pending effects until `until`: false when the action is no
   * longer pending or another finisher's claim has not yet run out at `now`.
   */
  claimPending(
    parcelKey: string,
    actionId: string,
    claim: { finisher: string; now: string; until: string },
  ): Promise<boolean>;
  /** Gives a claim back (its finisher failed), so the next finisher need not wait for it to run out. */
  releasePending(parcelKey: string, actionId: string, finisher: string): Promise<void>;
  /** Removes the pending effects once their finisher has done them; a no-op for anyone else. */
  clearPending(parcelKey: string, actionId: string, finisher: string): Promise<void>;
  /**
   * Parcels with pending effects of an action taken before `before` (ISO time), oldest first. Read from
   * an eventually consistent index: `get` the item to see what is still pending.
   */
  listPending(before: string, options?: { limit?: number; cursor?: string }): Promise<PendingPage>;
}
