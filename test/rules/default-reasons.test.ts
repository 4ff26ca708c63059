import { describe, expect, it } from 'vitest';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { baselineFacts, mergeFacts } from '../../functions/core/rules/cases/index.js';

/**
 * The default rule set's reasons read as an officer reads a sentence: the values of the parcel, not the
 * rule set's own names pasted in (`paid by cash`, `… : on list border-origins`).
 */
const policy = loadRuleSetFromDirectory('rules/default');
const reasonOf = (ruleId: string, patch: unknown): string | undefined =>
  policy.evaluate(mergeFacts(baselineFacts(), patch)).firedRules.find((rule) => rule.ruleId === ruleId)
    ?.reason;

describe("the default rule set's reasons", () => {
  it.each<[string, string, unknown, string]>([
    [
      'a border town of origin',
      'origin-border-town',
      { parcel: { route: { origin: { country: 'CN', region: 'Yunnan', city: 'Ruili' } } } },
      "origin Ruili or shipper's city Shenzhen is a border town (list border-origins)",
    ],
    [
      'a border town on the route',
      'via-border-town',
      { parcel: { route: { via: [{ country: 'CN', region: 'Yunnan', city: '瑞丽市' }] } } },
      'route passes through 瑞丽市, a border town (list border-origins)',
    ],
    [
      'cash on delivery',
      'cash-payment',
      { parcel: { paymentMethod: 'cash-on-delivery' } },
      'paid in cash (payment method: cash-on-delivery)',
    ],
    ['cash', 'cash-payment', { parcel: { paymentMethod: 'cash' } }, 'paid in cash (payment method: cash)'],
  ])('says %s in words', (_name, ruleId, patch, reason) => {
    // Act / Assess
    expect(reasonOf(ruleId, patch)).toBe(reason);
  });
});
