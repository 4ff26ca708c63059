/** The rule engine: compile a rule set once, evaluate it on screening facts many times. */

export { canonicalJson, contentVersion } from './canonical-hash.js';
export { withoutRepeatedValues } from './compile-list.js';
export {
  compileRuleSet,
  keyedWithOtherSalt,
  listVersionsOf,
  type RuleSetInput,
  type RuleSetSourceFile,
  saltProofsOf,
  withListsReplaced,
} from './compile-rule-set.js';
export { CompiledRuleSet } from './compiled-rule-set.js';
export { formatIssue, RuleSetError, type RuleSetIssue } from './errors.js';
export { daysBetweenMs, isDayText, parseInstant, periodBoundOf } from './instants.js';
export { ruleSetJsonSchemas } from './json-schema.js';
export { listContent, listContentVersion } from './list-content.js';
export {
  addDecimal,
  DECIMAL_PLACES,
  divDecimal,
  mulDecimal,
  roundDecimal,
  subDecimal,
} from './numeric.js';
export { outlineRuleSet, type RuleOutline, type RuleSetOutline } from './rule-set-outline.js';
export {
  type CaseFile,
  CaseFileSchema,
  type Condition,
  type Expression,
  type ListDocument,
  ListDocumentSchema,
  type Rule,
  type RuleCase,
  type RuleSetDocument,
  RuleSetDocumentSchema,
  WATCHLIST_KINDS,
  type WatchlistKind,
} from './rule-set-schema.js';
export type {
  ConditionTrace,
  EvaluateOptions,
  EvaluationTrace,
  RuleStatus,
  RuleTrace,
  TracedEvaluation,
  TraceResult,
} from './trace.js';
export { showExpected } from './trace.js';
