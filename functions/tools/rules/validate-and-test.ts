import { caseFileName, type LoadedRuleSet, readCaseFiles } from '../../adapters/file-rule-set-source.js';
import { runCases } from '../../core/rules/cases/index.js';
import type { ListDocument, RuleSetIssue } from '../../core/rules/index.js';
import { expiryNoticeOf } from '../../operations/list-publication.js';
import {
  describeTallies,
  documentOf,
  EXIT_FAILED,
  EXIT_OK,
  err,
  loadOrReport,
  out,
  ruleSetDirectories,
} from './cli-shared.js';
import { sumMissingReads, sumMissingWarning } from './sum-missing-reads.js';
import { unusedDefinitions } from './unused-definitions.js';

/**
 * Loads every rule set under `path` and runs `check` on each that loads; one that does not load, or
 * whose check fails, fails the run without stopping the others.
 */
const everyRuleSet = (path: string, check: (directory: string, loaded: LoadedRuleSet) => boolean): number => {
  let failed = false;
  for (const directory of ruleSetDirectories(path)) {
    const loaded = loadOrReport(directory);
    if (loaded === undefined || !check(directory, loaded)) failed = true;
  }
  return failed ? EXIT_FAILED : EXIT_OK;
};

/** Checks every rule set under `path`, an invalid one not stopping the others; fails if any is invalid. */
export const validate = (path: string): number =>
  everyRuleSet(path, (directory, loaded) => {
    const { policy, input } = loaded;
    // Its tallies, when it declares any: each a history the screen function counts.
    const document = documentOf(loaded);
    const tallies = Object.keys(document.tallies ?? {});
    const counted =
      tallies.length === 0
        ? ''
        : `, ${tallies.length} ${tallies.length === 1 ? 'tally' : 'tallies'}: ${describeTallies(document)}`;
    out(
      `ok  ${directory}: ${policy.id} ${policy.label} (${policy.version}), ${policy.ruleIds.length} rules, ${input.lists.length} lists${counted}`,
    );
    // Valid, so a hard hit may name a disabled rule (disabling stays a one-line change); it forces nothing.
    const { lanes } = input.ruleSet.document as { lanes: { hardHits?: { rule: string; lane: string }[] } };
    (lanes.hardHits ?? []).forEach((hit, i) => {
      if (!policy.enabledRuleIds.includes(hit.rule)) {
        err(
          `warn ${input.ruleSet.file}: lanes.hardHits[${i}] names disabled rule ${hit.rule}; it forces ${hit.lane} only once the rule is enabled`,
        );
      }
    });
    // Valid too: a list may be declared ahead of the rule that will use it, or stay after its rule went.
    for (const name of policy.unusedLists)
      err(`warn ${input.ruleSet.file}: lists declares ${name}, which no rule uses`);
    // Valid as well, and counted all the same: declared ahead of its rule, it gathers history meanwhile.
    // A rule reading only its mark (marks.<id>) reads what this parcel adds, not the tally's history.
    for (const id of policy.unusedTallies) {
      const read = policy.unusedTalliesReadAsMarks.includes(id)
        ? `whose history no rule reads (a rule reads only marks.${id}, this parcel's own mark)`
        : 'which no rule reads';
      err(
        `warn ${input.ruleSet.file}: tallies declares ${id}, ${read}; it is counted all the same (a history write for each party of each parcel it marks)`,
      );
    }
    // Valid as well, and never computed: a derived fact or table kept after its rule went, or declared ahead.
    const unused = unusedDefinitions(document);
    for (const name of unused.derived)
      err(
        `warn ${input.ruleSet.file}: derived declares ${name}, which no rule or tally reads (directly or through another derived fact)`,
      );
    for (const name of unused.tables)
      err(
        `warn ${input.ruleSet.file}: tables declares ${name}, which no rule or tally looks up (directly or through a derived fact)`,
      );
    // Valid too, and silent at screening: a parcel without a fact its tally's sum reads adds nothing.
    for (const [id, tally] of Object.entries(document.tallies ?? {}))
      for (const read of sumMissingReads(tally, document.derived))
        err(`warn ${input.ruleSet.file}: ${sumMissingWarning(id, read)}`);
    const now = new Date();
    for (const { file, document } of input.lists) {
      const notice = expiryNoticeOf(document as ListDocument, now);
      if (notice !== undefined) err(`warn ${file}: ${notice}`);
    }
    return true;
  });

const describeInvalidCaseFile = ({ file, path, reason }: RuleSetIssue): string =>
  `case file invalid: ${file}: ${path === '(root)' ? '' : `${path}: `}${reason}`;

/**
 * Runs every rule set's cases under `path` (in cases/ and the folders under it); an invalid case file fails
 * its rule set, while the other case files are still run. Each case is named by its file's path in the
 * rule set and its name; each failure by the file as typed, the case's place in it and the path at fault.
 */
export const test = (path: string): number =>
  everyRuleSet(path, (directory, { policy }) => {
    out(`${directory}: ${policy.id} ${policy.label} (${policy.version})`);
    const { files, issues } = readCaseFiles(directory);
    const report = runCases(policy, files, issues);
    for (const issue of report.invalidCaseFiles) out(`  FAIL  ${describeInvalidCaseFile(issue)}`);
    for (const result of report.results) {
      const name = `${caseFileName(directory, result.file)}: ${result.name}`;
      out(`  ${result.passed ? 'pass' : 'FAIL'}  ${name}  → ${result.lane} (${result.score})`);
      for (const failure of result.failures) out(`          ${result.file}: ${failure}`);
    }
    for (const problem of report.problems) out(`  FAIL  ${problem}`);
    if (report.unfiredRules.length > 0) out(`  FAIL  rules no case fires: ${report.unfiredRules.join(', ')}`);
    const passed = report.results.filter((result) => result.passed).length;
    // A case file that did not load ran none of its cases: counted, so the tally never reads as all passed.
    const invalid = new Set(report.invalidCaseFiles.map((issue) => issue.file)).size;
    const notRun =
      invalid === 0
        ? ''
        : `, ${invalid} case file${invalid === 1 ? '' : 's'} invalid (${invalid === 1 ? 'its' : 'their'} cases not run)`;
    out(
      `  ${passed}/${report.results.length} cases passed${notRun}, ${policy.enabledRuleIds.length - report.unfiredRules.length}/${policy.enabledRuleIds.length} rules fired by a case`,
    );
    return report.passed;
  });
