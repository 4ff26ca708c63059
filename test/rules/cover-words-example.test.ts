import { describe, expect, it } from 'vitest';
import { baselineFacts, mergeFacts } from '../../functions/core/rules/cases/index.js';
import { itPassesItsOwnCases } from '../support/rule-set-cases.js';

/**
 * The examples of rules/README.md for whole words (containsAnyWord), the value that matched ({matched})
 * and a number's decimals in a reason ({fact:0}): a fixture run against its own cases like every rule
 * set, and the reasons its rules give.
 */
const EXAMPLE = 'test/fixtures/rule-sets/cover-words';

describe('the cover-words example rule set', () => {
  const policy = itPassesItsOwnCases(EXAMPLE);

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
