import { describe, expect, it } from 'vitest';
import {
  caseFileName,
  findRuleSetDirectories,
  loadRuleSet,
  readCaseFiles,
} from '../../functions/adapters/file-rule-set-source.js';
import { runCases } from '../../functions/core/rules/cases/index.js';

/** Every rule set in rules/ is run against its cases: a rule set without cases, or with a rule no case fires, fails CI. */
const directories = findRuleSetDirectories('rules');

describe('rule sets in rules/', () => {
  it('finds at least the default rule set', () => {
    // Prepare / Act / Assess
    expect(directories).toContain('rules/default');
  });

  describe.each(directories)('%s', (directory) => {
    const { policy } = loadRuleSet(directory);
    // Read as `npm run rules -- test` reads them: cases/ and the folders under it.
    const { files, issues } = readCaseFiles(directory);
    const report = runCases(policy, files, issues);

    it('has cases', () => {
      // Assess
      expect(report.problems).toEqual([]);
      expect(report.invalidCaseFiles).toEqual([]);
      expect(report.results.length).toBeGreaterThan(0);
    });

    it('has every enabled rule fired by some case', () => {
      // Assess
      expect(report.unfiredRules).toEqual([]);
    });

    it.each(
      report.results.map(
        (result) => [`${caseFileName(directory, result.file)}: ${result.name}`, result] as const,
      ),
    )('passes case: %s', (_name, result) => {
      // Assess
      expect(result.failures).toEqual([]);
    });
  });
});
