/** Rule test cases: the facts a case describes, and running a rule set's cases against it. */

export {
  baselineFacts,
  checkFactsInput,
  checkOverlay,
  factsFromInput,
  factsFromManifest,
  type InputProblems,
  MORE_MAY_FOLLOW,
  mergeFacts,
  RULE_CASE_PARTY_KEY_SALT,
  tallyProblems,
  withDerivedParties,
} from './case-facts.js';
export { type CaseReport, type CaseResult, parseCaseFiles, runCases } from './run-cases.js';
