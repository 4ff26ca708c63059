import { describe, expect, it } from 'vitest';
import { loadRuleSet, readCaseFiles } from '../../functions/adapters/file-rule-set-source.js';
import { baselineFacts, mergeFacts, runCases } from '../../functions/core/rules/index.js';

/**
 * The examples of rules/README.md for whole words (containsAnyWord), the value that matched ({matched})
 * and a number's decimals in a reason ({fact:0}): a fixture run against its own cases like every rule
 * set, and the reasons its rules give.
 */
const EXAMPLE = 'test/fixtures/rule-sets/cover-words';

describe('the cover-words example rule set', () => {
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

  it('names the cover word that matched and the whole days since the seizure', () => {
    // Prepare: the analyst's parcel of tea in carved boxes, shipper seized 42.21 days ago
    const facts = mergeFacts(baselineFacts(), {
      parcel: {
        goods: [
          {
            description: 'Steam iron',
            hsCode: '851640',
            quantity: 1,
            declaredValue: { amount: 200, currency: 'CNY' },
          },
          {
            description: '普洱茶叶 ＴＥＡ in carved boxes',
            hsCode: '442090',
            quantity: 1,
            declaredValue: { amount: 1565, currency: 'CNY' },
          },
        ],
      },
      history: { shipper: { seizures: 1, lastSeizureAt: '2026-04-20T03:00:00Z' } },
    });

    // Act
    const { firedRules } = policy.evaluate(facts);

    // Assess
    expect(firedRules.map((rule) => rule.reason)).toEqual([
      'goods description "普洱茶叶 ＴＥＡ in carved boxes" contains the cover word tea',
      'shipper had a parcel seized 42 days ago (on 2026-04-20T03:00:00Z)',
    ]);
    expect(firedRules[0]?.values).toEqual({
      'parcel.goods[1].description': '普洱茶叶 ＴＥＡ in carved boxes',
      'matched(parcel.goods[1].description)': 'tea',
    });
  });
});
