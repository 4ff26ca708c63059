import type { ScreeningFacts } from '../../screening/facts.js';
import type { Lane } from '../../screening/lane.js';
import { MAX_TALLY_AMOUNT } from '../../screening/tallies.js';
import type { RuleSetSourceFile } from '../compile-rule-set.js';
import type { CompiledRuleSet, TallyVerdict } from '../compiled-rule-set.js';
import { didYouMean } from '../did-you-mean.js';
import { IssueCollector, type RuleSetIssue } from '../errors.js';
import { DECIMAL_PLACES, roundDecimal } from '../numeric.js';
import { parseSourceFile } from '../parse-source-file.js';
import { CaseFileSchema, type RuleCase } from '../rule-set-schema.js';
import { type EvaluationTrace, showExpected } from '../trace.js';
import {
  baselineFacts,
  checkCaseFacts,
  MORE_MAY_FOLLOW,
  mergeFacts,
  tallyProblems,
  withDerivedParties,
} from './case-facts.js';
import { followTallies, tallyInvariantProblems } from './fact-invariants.js';

/**
 * Why a rule did not fire, as the trace tells it: its status, or the first condition down its `all`s
 * that is not true (`rule: derived.valuePerKgCny = 62.5 lt 30 is false`).
 */
const whyNotFired = (trace: EvaluationTrace | undefined, ruleId: string): string => {
  const rule = trace?.rules.find((candidate) => candidate.ruleId === ruleId);
  if (rule === undefined || rule.status === 'fired') return ruleId;
  if (rule.status === 'disabled') return `${ruleId} is disabled`;
  if (rule.status === 'not-effective') return `${ruleId} is not in effect at now`;
  let node = rule.condition;
  while (node?.op === 'all') {
    const next = node.children?.find((child) => child.result !== 'true');
    if (next === undefined) break;
    node = next;
  }
  if (node === undefined) return ruleId;
  const shown = (value: unknown) => JSON.stringify(value ?? null);
  const what =
    node.children === undefined && node.elements === undefined && node.fact !== undefined
      ? `${node.fact} = ${shown(node.actual)} ${node.op} ${showExpected(node.expected)}`
      : `${node.op}${node.fact === undefined ? '' : ` ${node.fact}`}`;
  return `${ruleId}: ${what} is ${node.result}`;
};

export interface CaseResult {
  file: string;
  name: string;
  passed: boolean;
  /** Why it failed, one line each. */
  failures: string[];
  lane: Lane;
  fired: string[];
  score: number;
  /** The tallies the case's parcel marks, by id, in the rule set's order (ids sharing a counter all marked). */
  tallies: string[];
  /** Whether the case states `expect.tallies`, a list or a map (only such cases count towards every tally being marked). */
  expectsTallies: boolean;
}

export interface CaseReport {
  passed: boolean;
  results: CaseResult[];
  /** Enabled rules that no case fires. */
  unfiredRules: string[];
  /** Declared tallies that no case stating `expect.tallies` marks (told in `problems` too). */
  unmarkedTallies: string[];
  /** Problems with the cases as a whole (no cases at all). */
  problems: string[];
  /** Case files that could not be read or do not fit the case schema; the other files still run. */
  invalidCaseFiles: RuleSetIssue[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Reads case files: the cases of every well-formed one, and the issues (file and path) of the others. */
export const parseCaseFiles = (
  files: readonly RuleSetSourceFile[],
): { cases: { file: string; rule: RuleCase; index: number }[]; issues: RuleSetIssue[] } => {
  const issues = new IssueCollector();
  const cases = files.flatMap((source) => {
    const parsed = parseSourceFile(CaseFileSchema, source, issues);
    if (parsed === undefined) return [];
    return parsed.cases.map((rule, index) => ({ file: source.file, rule, index }));
  });
  return { cases, issues: issues.issues };
};

/**
 * Why a case's `expect.fired` cannot be met or means something else than it says, one line each with its
 * path: an id that names no rule (a misspelling), a disabled rule (it never fires), an id listed again.
 */
const firedExpectationProblems = (policy: CompiledRuleSet, fired: readonly string[]): string[] =>
  fired.flatMap((id, j) => {
    const at = `expect.fired[${j}]`;
    const first = fired.indexOf(id);
    if (first < j) return [`${at}: rule ${id} is listed twice, first at expect.fired[${first}]`];
    if (!policy.ruleIds.includes(id))
      return [
        `${at}: unknown rule ${id}; rules: ${policy.ruleIds.join(', ')}${didYouMean(id, policy.ruleIds)}`,
      ];
    if (!policy.enabledRuleIds.includes(id))
      return [`${at}: rule ${id} is disabled: a case cannot expect it to fire`];
    return [];
  });

/** Why a case's `expect.tallies` cannot be met: an id that names no tally, an id listed again. */
const tallyExpectationProblems = (policy: CompiledRuleSet, tallies: readonly string[]): string[] => {
  const declared = policy.tallies.map((tally) => tally.id);
  return tallies.flatMap((id, j) => {
    const at = `expect.tallies[${j}]`;
    const first = tallies.indexOf(id);
    if (first < j) return [`${at}: tally ${id} is listed twice, first at expect.tallies[${first}]`];
    if (!declared.includes(id))
      return [
        `${at}: unknown tally ${id}; the rule set's tallies: ${declared.join(', ') || 'none'}${didYouMean(id, declared)}`,
      ];
    return [];
  });
};

/**
 * Why a case's `expect.tallies` map (what the parcel adds to each tally) cannot be met: an id that names
 * no tally, `true` for a sum tally (whose amount is what the map is for), a number for a tally that counts.
 */
const tallyAddedProblems = (
  policy: CompiledRuleSet,
  added: Readonly<Record<string, number | true>>,
): string[] => {
  const declared = policy.tallies.map((tally) => tally.id);
  return Object.entries(added).flatMap(([id, adds]) => {
    const at = `expect.tallies.${id}`;
    const tally = policy.tallies.find((one) => one.id === id);
    if (tally === undefined)
      return [
        `${at}: unknown tally ${id}; the rule set's tallies: ${declared.join(', ') || 'none'}${didYouMean(id, declared)}`,
      ];
    if (tally.sum && adds === true)
      return [
        `${at}: ${id} is a sum tally: write the number this parcel adds to it (0 when it adds 0), not true`,
      ];
    if (!tally.sum && adds !== true)
      return [
        `${at}: ${id} counts ${tally.distinct ? 'distinct keys' : 'parcels'}: write true when this parcel marks it, not ${adds} (a number is what a parcel adds to a sum tally)`,
      ];
    return [];
  });
};

/**
 * Why an amount a case expects differs from the one its parcel adds when the reason is the mark's:
 * rounded to 6 places as an arithmetic step, or bounded to what one parcel adds.
 */
const amountHint = (written: number, amount: number): string => {
  if (Math.abs(written) > MAX_TALLY_AMOUNT && Math.abs(amount) === MAX_TALLY_AMOUNT)
    return ` (one parcel adds at most ${MAX_TALLY_AMOUNT}, either sign)`;
  return roundDecimal(written) === amount
    ? ` (an amount is rounded to ${DECIMAL_PLACES} decimal places)`
    : '';
};

/** The tallies (by id) a parcel marks, in the rule set's order (ids sharing a counter all marked). */
const markedTallies = (verdicts: ReadonlyMap<string, TallyVerdict>): string[] =>
  [...verdicts].filter(([, verdict]) => verdict.marked).map(([id]) => id);

/**
 * Why a tally expected was not marked: a distinct tally whose key the parcel lacks (it would be marked
 * with one: `parties.phone`), a sum tally whose sum is missing on the parcel, else its when, which is
 * not true on the parcel.
 */
const whyNotMarked = (verdicts: ReadonlyMap<string, TallyVerdict>, id: string): string => {
  const verdict = verdicts.get(id);
  if (verdict?.marked !== false || typeof verdict.whyNot !== 'object')
    return `${id}: its when is not true on this parcel`;
  return 'lacks' in verdict.whyNot
    ? `${id}: its when is true, but the parcel has no ${verdict.whyNot.lacks}, whose distinct values it counts`
    : `${id}: its when is true, but its sum ${verdict.whyNot.sumMissing} is missing on the parcel`;
};

/**
 * Runs one case. Every failure starts with the case's path in its file (`cases[2].facts.…`,
 * `cases[2].expect.…`), as the issues of an invalid case file do; every problem of its facts is told at
 * once, then `cases[2].facts: more may follow…` when some checks wait for these to be fixed. A case
 * whose `expect.fired` names no rule, a disabled rule or one rule twice fails with that, and its fired
 * rules are not compared. `expect.tallies` as a map is compared as the list of its ids, then by what
 * the parcel adds to each sum tally it marks.
 */
const runOne = (policy: CompiledRuleSet, file: string, index: number, rule: RuleCase): CaseResult => {
  const at = `cases[${index}]`;
  const declared = policy.tallies.map((tally) => tally.id);
  const facts = followTallies(
    withDerivedParties(mergeFacts<ScreeningFacts>(baselineFacts(), rule.facts)),
    rule.facts,
    policy.tallies,
  );
  const checked = checkCaseFacts(rule.facts, facts);
  const failures = [
    ...checked.problems,
    ...tallyProblems(rule.facts, declared),
    ...tallyInvariantProblems(facts, rule.facts, policy.tallies),
  ].map((problem) => `${at}.facts.${problem}`);
  if (checked.moreMayFollow) failures.push(`${at}.facts: ${MORE_MAY_FOLLOW}`);
  const expectation = firedExpectationProblems(policy, rule.expect.fired).map(
    (problem) => `${at}.${problem}`,
  );
  const evaluation = policy.evaluate(facts);
  const fired = evaluation.firedRules.map((fired) => fired.ruleId);
  if (evaluation.lane !== rule.expect.lane)
    failures.push(`${at}.expect.lane: lane is ${evaluation.lane}, expected ${rule.expect.lane}`);
  if (expectation.length > 0) failures.push(...expectation);
  else if (!sameSet(fired, rule.expect.fired)) {
    const extra = fired.filter((id) => !rule.expect.fired.includes(id));
    const absent = rule.expect.fired.filter((id) => !fired.includes(id));
    const trace = absent.length > 0 ? policy.evaluate(facts, { trace: true }).trace : undefined;
    const parts = [
      ...(extra.length > 0 ? [`unexpected [${extra.join(', ')}]`] : []),
      ...(absent.length > 0
        ? [`not fired [${absent.join(', ')}] (${absent.map((id) => whyNotFired(trace, id)).join('; ')})`]
        : []),
    ];
    failures.push(`${at}.expect.fired: fired rules differ: ${parts.join(', ')}`);
  }
  if (rule.expect.score !== undefined && evaluation.score !== rule.expect.score) {
    failures.push(`${at}.expect.score: score is ${evaluation.score}, expected ${rule.expect.score}`);
  }
  const verdicts = policy.tallyVerdicts(facts);
  const tallies = markedTallies(verdicts);
  const written = rule.expect.tallies;
  // A list names the tallies marked; a map names them too, with what the parcel adds to each.
  const added = written === undefined || Array.isArray(written) ? undefined : written;
  const expected = written === undefined || Array.isArray(written) ? written : Object.keys(written);
  const tallyExpectation = (
    added !== undefined
      ? tallyAddedProblems(policy, added)
      : expected === undefined
        ? []
        : tallyExpectationProblems(policy, expected)
  ).map((problem) => `${at}.${problem}`);
  if (tallyExpectation.length > 0) failures.push(...tallyExpectation);
  else if (expected !== undefined && !sameSet(tallies, expected)) {
    const extra = tallies.filter((id) => !expected.includes(id));
    const absent = expected.filter((id) => !tallies.includes(id));
    const parts = [
      ...(extra.length > 0 ? [`unexpected [${extra.join(', ')}]`] : []),
      ...(absent.length > 0
        ? [`not marked [${absent.join(', ')}] (${absent.map((id) => whyNotMarked(verdicts, id)).join('; ')})`]
        : []),
    ];
    failures.push(`${at}.expect.tallies: marked tallies differ: ${parts.join(', ')}`);
  }
  // What a sum tally the parcel marks adds, exactly as marked (rounded to 6 places, bounded): 0 is an amount.
  for (const [id, adds] of tallyExpectation.length > 0 ? [] : Object.entries(added ?? {})) {
    const verdict = verdicts.get(id);
    if (typeof adds !== 'number' || verdict?.marked !== true || verdict.amount === undefined) continue;
    if (verdict.amount !== adds)
      failures.push(
        `${at}.expect.tallies: ${id} adds ${verdict.amount}, not ${adds}${amountHint(adds, verdict.amount)}`,
      );
  }
  return {
    file,
    name: rule.name,
    passed: failures.length === 0,
    failures,
    lane: evaluation.lane,
    fired,
    score: evaluation.score,
    tallies,
    expectsTallies: expected !== undefined,
  };
};

/**
 * Runs every case of a rule set; it fails without cases, when an enabled rule is fired by none, or on a
 * case file that is invalid: one of `files` that does not fit the schema, or one the reader could not
 * parse (`unreadable`, its issues).
 */
export const runCases = (
  policy: CompiledRuleSet,
  files: readonly RuleSetSourceFile[],
  unreadable: readonly RuleSetIssue[] = [],
): CaseReport => {
  const { cases, issues } = parseCaseFiles(files);
  const invalidCaseFiles = [...unreadable, ...issues];
  const results = cases.map(({ file, rule, index }) => runOne(policy, file, index, rule));
  const firedSomewhere = new Set(results.flatMap((result) => result.fired));
  const unfiredRules = policy.enabledRuleIds.filter((id) => !firedSomewhere.has(id));
  // Marked by a case that states expect.tallies: there the marks are compared, so the filter is tested.
  const markedSomewhere = new Set(
    results.filter((result) => result.expectsTallies).flatMap((result) => result.tallies),
  );
  const unmarkedTallies = policy.tallies.map((tally) => tally.id).filter((id) => !markedSomewhere.has(id));
  const problems = [
    ...(cases.length === 0 && invalidCaseFiles.length === 0 ? [`rule set ${policy.id} has no cases`] : []),
    ...(cases.length === 0 || unmarkedTallies.length === 0
      ? []
      : [
          `tallies no case marks: ${unmarkedTallies.join(', ')} (a case that states expect.tallies must list each tally its parcel marks: give each tally one whose parcel meets its when, and one beside it whose parcel does not)`,
        ]),
  ];
  return {
    passed:
      problems.length === 0 &&
      unfiredRules.length === 0 &&
      invalidCaseFiles.length === 0 &&
      results.every((result) => result.passed),
    results,
    unfiredRules,
    unmarkedTallies,
    problems,
    invalidCaseFiles,
  };
};
