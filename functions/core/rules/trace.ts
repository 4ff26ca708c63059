import type { ParcelPlaces } from '../places/parcel-places.js';
import type { Evaluation } from '../screening/decision.js';
import type { CompiledList } from './compile-env.js';

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

/** The most values of a named list a trace shows (more are counted, not shown). */
export const MAX_SHOWN_LIST_VALUES = 10;

/**
 * A named list a value was compared with, as a trace holds it: its name and version, how many values it
 * has and, when there are at most MAX_SHOWN_LIST_VALUES, the values as written, so a value that can
 * never match is seen. A watchlist's values (hashed keys of personal indicators) are never shown.
 */
export interface ListShown {
  list: string;
  version: number;
  size: number;
  values?: readonly unknown[];
  /** A watchlist: the kind of hashed keys it holds. */
  keys?: string;
}

export const listShown = (list: CompiledList): ListShown => {
  const size = list.values.length;
  const shown: ListShown = { list: list.name, version: list.version, size };
  if (list.keys !== undefined) shown.keys = list.keys;
  else if (size <= MAX_SHOWN_LIST_VALUES) shown.values = list.values;
  return shown;
};

const isListShown = (value: unknown): value is ListShown =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ListShown).list === 'string' &&
  typeof (value as ListShown).size === 'number';

/** Another fact a value was compared with (`ne: { fact: … }`), as a trace holds it: its concrete path and value. */
export interface FactShown {
  fact: string;
  value: unknown;
}

const isFactShown = (value: unknown): value is FactShown =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as FactShown).fact === 'string' &&
  Object.hasOwn(value, 'value');

/**
 * What a condition compared with, on one line: another fact as the compared one is shown, its path and
 * value (`parcel.route.destination.region = "Guangdong"`, `= null` when missing); a named list as `list
 * hs v1 (2 values: "940360", "4420")` (its size alone when it has more, `3 hashed phone keys` for a
 * watchlist); anything else as JSON.
 */
export const showExpected = (expected: unknown): string => {
  if (isFactShown(expected)) return `${expected.fact} = ${JSON.stringify(expected.value ?? null)}`;
  if (!isListShown(expected)) return JSON.stringify(expected ?? null);
  const { list, version, size, values, keys } = expected;
  const counted = `${size} ${keys === undefined ? 'value' : `hashed ${keys} key`}${size === 1 ? '' : 's'}`;
  const listed = values === undefined ? '' : `: ${values.map((value) => JSON.stringify(value)).join(', ')}`;
  return `list ${list} v${version} (${counted}${listed})`;
};

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
  /**
   * The places facts (`places.*`) of the parcel, why each one missing is, and each route point in CN
   * that names no province: only for a rule set that reads them.
   */
  places?: ParcelPlaces;
  rules: RuleTrace[];
}

export interface EvaluateOptions {
  /** Also return the full trace (slower; for analyst tools). */
  trace?: boolean;
}

export interface TracedEvaluation extends Evaluation {
  trace?: EvaluationTrace;
}
