import { describe, expect, it } from 'vitest';
import { loadRuleSet, readCaseFiles } from '../../functions/adapters/file-rule-set-source.js';
import { runCases } from '../../functions/core/rules/index.js';

/**
 * The worked example of rules/README.md (night and weekend submissions with localHour and weekday), a
 * fixture rather than a rule set under rules/: it is run against its own cases like every rule set.
 */
const EXAMPLE = 'test/fixtures/rule-sets/local-time';

describe('the local-time example rule set', () => {
  const { policy } = loadRuleSet(EXAMPLE);
  const { files, issues } = readCaseFiles(EXAMPLE);
  const report = runCases(policy, files, issues);

  it('has cases, and every rule is fired by one', () => {
    // Assess
    expect(report.problems).toEqual([]);
    expect(report.invalidCaseFiles).toEqual([]);
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.unfiredRules).toEqual([]);
  });

  it.each(report.results.map((result) => [result.name, result] as const))(
    'passes case: %s',
    (_name, result) => {
      // Assess
      expect(result.failures).toEqual([]);
    },
  );
});
