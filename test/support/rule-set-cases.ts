import { expect, it } from 'vitest';
import { loadRuleSet, readCaseFiles } from '../../functions/adapters/file-rule-set-source.js';
import { runCases } from '../../functions/core/rules/cases/index.js';
import type { CompiledRuleSet } from '../../functions/core/rules/index.js';

/**
 * Runs the rule set in `directory` against its own cases, as every rule set under rules/ is run: declares,
 * in the calling describe, that it has cases and every rule is fired by one, and that each case passes.
 * Returns the compiled rule set, for the caller's own tests of it.
 */
export const itPassesItsOwnCases = (directory: string): CompiledRuleSet => {
  const { policy } = loadRuleSet(directory);
  const { files, issues } = readCaseFiles(directory);
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

  return policy;
};
