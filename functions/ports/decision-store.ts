import type { Evaluation } from '../core/screening/decision.js';
import type { ScreeningFacts } from '../core/screening/facts.js';
import type { ShadowEvaluation } from '../core/screening/shadow.js';
import type { TallyMark } from '../core/screening/tallies.js';

/** A recorded decision: the evaluation plus what is needed to reproduce and act on it. */
export interface DecisionRecord extends Evaluation {
  parcelKey: string;
  partnerId: string;
  manifestId: string;
  parcelId: string;
  region: string;
  inspectionOffice: string;
  referralId: string;
  decidedAt: string;
  /** Held at random for inspection, though the rules released it (core/screening/control-sample.ts). */
  controlSample?: true;
  /**
   * A control sample's place in its office's queue (queueScoreOf), fixed with the decision: from the
   * lane bands of the rule set that decided it, though another is in force when its effects are retried.
   * None on other decisions, nor on samples decided before it was recorded.
   */
  queueScore?: number;
  /** The facts the parcel was screened with, for evidence and backtests. */
  facts: ScreeningFacts;
  /** What the shadow rule set decided, when one is deployed (core/screening/shadow.ts): never acted on. */
  shadow?: ShadowEvaluation;
  /**
   * The tallies the parcel marks (of the rule set and of the shadow's), fixed with the decision so that a
   * redelivery records the same marks in party history; none on decisions from before tallies.
   */
  tallyMarks?: TallyMark[];
  /**
   * Set once the decision's effects (review queue, inspection and referral queues, rule statistics, party
   * history) are done. For a parcel of a manifest screened in several parts, party history is not among
   * them: the part that completes the manifest records it for every parcel (see decision-effects.ts).
   */
  effectsDoneAt?: string;
}

/**
 * The screening of one delivery of a parcel: the manifest it came in, with its `receivedAt` (its
 * screening message's), and the time of screening. A parcel id becomes free again when its parcel's
 * record expires, 400 days after its manifest was received; so for this screening a stored decision
 * under the id is none once it has expired (`expiresAt` at or before `at`, whether or not TTL has
 * deleted it yet), nor when it was decided for an earlier delivery of the id, received before this one
 * (the decision is kept 400 days from its own, later, time: the id may be delivered again before it
 * expires). A decision stored before decisions recorded their delivery's `receivedAt` belongs to a
 * delivery of its own manifest received before it was decided.
 */
export interface ScreeningOf {
  manifestId: string;
  receivedAt: string;
  at: string;
}

/** What a partner may learn of a decision: its lane and referral id, with the manifest it was for. */
export type DecidedLane = Pick<DecisionRecord, 'lane' | 'referralId' | 'manifestId'>;

/**
 * Port: the lanes of stored decisions, for a partner's status read: only what the answer shows is read,
 * never a decision's facts (names, phones, addresses of every parcel of a manifest).
 */
export interface DecidedLanes {
  /** The lanes of the decisions of these parcels that count for `screening` (see ScreeningOf). */
  lanesOf(parcelKeys: string[], screening: ScreeningOf): Promise<Map<string, DecidedLane>>;
}

/** Port: one decision per delivered parcel (a parcel id names one parcel until its record expires). */
export interface DecisionStore {
  /**
   * The stored decisions of these parcels; with `screening`, only those that count for it (see
   * ScreeningOf). Without, every stored one, expired or not (as TTL left it).
   */
  getMany(parcelKeys: string[], screening?: ScreeningOf): Promise<Map<string, DecisionRecord>>;
  /**
   * Records the decision unless one that counts for its screening (the delivery of its manifest received
   * at `receivedAt`, at the decision's `decidedAt`) is stored; returns the one that is stored either way.
   * Without `receivedAt`, only an expired decision is replaced.
   */
  createOrGet(record: DecisionRecord, receivedAt?: string): Promise<DecisionRecord>;
  markEffectsDone(parcelKey: string, at: string): Promise<void>;
}
