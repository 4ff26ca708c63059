import type { PartyKeyKind } from '../parties/party-keys.js';
import type { IssueCollector } from './errors.js';
import type { EvaluationContext } from './evaluation-context.js';
import type { FactType } from './fact-types.js';
import type { PlacesReader } from './places-facts.js';

/** A named list, ready for matching: normalized values, expiry as epoch milliseconds. */
export interface CompiledList {
  name: string;
  version: number;
  kind: 'text' | 'number';
  /** A watchlist: the kind of the hashed party keys it holds, kept exactly as hashed. */
  keys?: PartyKeyKind;
  numbers: ReadonlySet<number>;
  /** Normalized values (a watchlist's keys as they are) in file order, for prefix and substring matching. */
  ordered: readonly string[];
  /** The text values as written, in file order: what enum facts and party keys are compared with. */
  written: readonly string[];
  /** Every value as the list file writes it, in its order: a load error names one by its index. */
  values: readonly unknown[];
  expiresMs: number;
}

export interface CompiledTable {
  name: string;
  /** How a key finds its entry (TableSchema's `match`): equal to it, or the longest it starts with. */
  match: 'exact' | 'prefix';
  lookup(key: string): number | undefined;
}

export interface DerivedRef {
  index: number;
  read: (ctx: EvaluationContext) => number | undefined;
  /** The facts it reads, directly or through other derived facts, that are missing: what explains a missing value. */
  missingInputs: (ctx: EvaluationContext) => string[];
}

/** Everything the compiler needs to resolve names and report issues at the right place. */
export interface CompileEnv {
  file: string;
  ruleId: string | undefined;
  issues: IssueCollector;
  lists: ReadonlyMap<string, CompiledList>;
  declaredLists: ReadonlySet<string>;
  tables: ReadonlyMap<string, CompiledTable>;
  /** The rule set's derived facts, by name: what `derived.<name>` may name, compiled or not. */
  derivedNames: ReadonlySet<string>;
  resolveDerived(name: string, at: string, env: CompileEnv): DerivedRef | undefined;
  /** The reader of `marks.<id>`, what this parcel adds to that tally (tally-marks.ts), or undefined (reported). */
  resolveMark(id: string, at: string, env: CompileEnv): ((ctx: EvaluationContext) => number) | undefined;
  /** The reader of `places.*`, the provinces of the parcel's places (places-facts.ts): only asked when read. */
  resolvePlaces(): PlacesReader;
  /** Lists referenced by the rule being compiled (for `{list}` in its reason). */
  usedLists: Set<string>;
  /** Quantifier variables bound in the rule being compiled (for `{line.x}` in its reason). */
  boundVars: Map<string, BoundVariable>;
  /** The conditions of the rule being compiled that can say which value of their set matched (for `{matched}`). */
  matchSources?: MatchSource[];
  /**
   * The constant numbers the rule being compiled compares each fact path with (`gt: 1.5`, `between`,
   * `eq`), by the path as written: its reason shows that fact apart from them (formatNumberApart).
   */
  thresholds?: Map<string, number[]>;
  /** Deepest quantifier nesting seen, to size the evaluation context. */
  maxDepth: { value: number };
  /**
   * The facts the rule set's rules read: the screening facts with its tallies under each history party
   * (factsTypeWithTallies); the screening facts alone when unset.
   */
  factsType?: FactType;
  /** While a derived fact compiles: the facts (outside quantifiers) it reads, with their readers. */
  factsRead?: Map<string, (ctx: EvaluationContext) => unknown>;
}

/** A quantifier variable as a reason sees it: `{line.description}` reads its first witness. */
export interface BoundVariable {
  type: FactType;
  /**
   * Bound by a quantifier that one element decides when the rule fires, so it records that element:
   * a `some` (true: the first element that passed), or under `not` an `every` (false: the first that
   * failed) or a `none` (false: the first that passed). Not a `some` under `not`, an `every` or `none`
   * (every element decides them), a `sum` or a `count`.
   */
  witnessed: boolean;
  /** Bound again to elements of another type: a placeholder could not know which one it reads. */
  ambiguous: boolean;
}

/** A condition that records the value of its set that matched, when the rule fires (see CompiledOperator.matched). */
export interface MatchSource {
  /** Its operator's path, `rules[2].when.some.where.containsAny`. */
  at: string;
  /** Inside a quantifier every element decides (an `every`): each element matched its own value. */
  everyElement: boolean;
  /** Set when the rule's reason shows `{matched}`: only then is the value recorded. */
  shown: boolean;
  /** The path of the group it is an alternative of (see Scope.alternativeOf): the rule can fire without it. */
  alternativeOf?: string;
}

export interface Variable {
  slot: number;
  type: FactType;
}

/** Quantifier variables visible at one point of a condition. */
export interface Scope {
  vars: ReadonlyMap<string, Variable>;
  /** Next free slot in the evaluation context. */
  depth: number;
  /** Slots this scope may use: rules use 0..RULE_SLOTS-1, derived facts the slots above, so no nesting clobbers another. */
  limit: number;
  /** Under an odd number of `not`s (a `none` counts as one, for its `where`): the rule fires when this part is false. */
  negated?: boolean;
  /** Inside a `sum` or `count`, whose elements a fired rule does not record. */
  unrecorded?: boolean;
  /** Inside a quantifier that every element decides when the rule fires (no one element is its witness). */
  everyElement?: boolean;
  /**
   * The path of the outermost group this part is one alternative of, such that the rule can fire through
   * another (`rules[0].when.any`): an `any` of two or more parts, or an `all` of two or more under an odd
   * number of `not`s (it is false when any one part is).
   */
  alternativeOf?: string;
}

/** Quantifiers in a rule nest at most this deep. */
export const RULE_SLOTS = 16;

export const ROOT_SCOPE: Scope = { vars: new Map(), depth: 0, limit: RULE_SLOTS };

export const report = (env: CompileEnv, path: string, reason: string): undefined => {
  env.issues.add({
    file: env.file,
    ...(env.ruleId === undefined ? {} : { ruleId: env.ruleId }),
    path,
    reason,
  });
  return undefined;
};
