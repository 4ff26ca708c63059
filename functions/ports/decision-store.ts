import type { Evaluation } from '../core/screening/decision.js';
import type { ScreeningFacts } from '../core/screening/facts.js';
import type { ShadowEvaluation } from '../core/screening/shadow.js';

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
  /** The facts the parcel was screened with, for evidence and backtests. */
  facts: ScreeningFacts;
  /** What the shadow rule set decided, when one is deployed (core/screening/shadow.ts): never acted on. */
  shadow?: ShadowEvaluation;
  /** Set once the decision's effects (history, review queue, inspection queue) are all done. */
  effectsDoneAt?: string;
}

/** Port: one decision per parcel, ever. */
export interface DecisionStore {
  getMany(parcelKeys: string[]): Promise<Map<string, DecisionRecord>>;
  /** Records the decision unless one exists; returns the one that is stored either way. */
  createOrGet(record: DecisionRecord): Promise<DecisionRecord>;
  markEffectsDone(parcelKey: string, at: string): Promise<void>;
}
