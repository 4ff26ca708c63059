import { describe, expect, it } from 'vitest';
import { compile, facts, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

const fromRuili = { parcel: { route: { origin: { country: 'CN', region: 'Yunnan', city: 'Ruili' } } } };

/** The reason of rule `r` with `reason`, fired on the patched baseline (undefined when it does not fire). */
const reasonOf = (when: unknown, reason: string, patch: unknown) =>
  compile({ rules: [rule('r', when, { reason })] }).evaluate(facts(patch)).firedRules[0]?.reason;

// A rule fires on notIn when the value is in none of the set: it matched no value to show.
describe('{matched} and notIn', () => {
  it('refuses {matched} when the only set condition is a notIn', () => {
    // Prepare / Act
    const issues = issuesOf(() =>
      compile({
        rules: [rule('r', { fact: 'parcel.route.origin.city', notIn: ['Ruili'] }, { reason: '{matched}' })],
      }),
    );

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ruleId: 'r',
      path: 'rules[0].reason',
      reason: expect.stringMatching(/^\{matched\} needs a condition .*this rule has none/),
    });
  });

  it('shows the in of a rule that also has a notIn', () => {
    // Prepare
    const when = {
      all: [
        { fact: 'parcel.route.origin.city', in: ['Ruili', 'Wanding'] },
        { fact: 'parcel.route.origin.region', notIn: ['Guangxi'] },
      ],
    };

    // Act
    const reason = reasonOf(when, 'from {matched}', fromRuili);

    // Assess
    expect(reason).toBe('from Ruili');
  });
});
