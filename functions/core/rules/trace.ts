import type { Evaluation } from '../screening/decision.js';

/** How a condition came out: `missing` when a fact it needs is absent (or a list has expired). */
export type TraceResult = 'true' | 'false' | 'missing';

/** One evaluated condition, for analysts: what was compared with what, and the outcome. */
export interface ConditionTrace {
  op: string;
  result: TraceResult;
  /** Concrete fact path, with quantifier elements resolved (`parcel.goods[1].hsCode`). */
  fact?: string;
  actual?: unknown;
  expected?: unknown;
  note?: string;
  children?: ConditionTrace[];
  elements?: ConditionTrace[];
}

export type RuleStatus = 'fired' | 'not-fired' | 'disabled' | 'not-effective';

export interface RuleTrace {
  ruleId: string;
  status: RuleStatus;
  condition?: ConditionTrace;
}

/** Every derived fact's value and every rule's condition tree: the analyst's view of one evaluation. */
export interface EvaluationTrace {
  now: string;
  derived: Record<string, number | null>;
  rules: RuleTrace[];
}

export interface EvaluateOptions {
  /** Also return the full trace (slower; for analyst tools). */
  trace?: boolean;
}

export interface TracedEvaluation extends Evaluation {
  trace?: EvaluationTrace;
}
