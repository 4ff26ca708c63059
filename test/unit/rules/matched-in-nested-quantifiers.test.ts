import { describe, expect, it } from 'vitest';
import { compile, facts, issuesOf, list, RULE_SET_FILE, rule } from './rule-set-factory.js';

const lists = [list('origins', ['Ruili', '瑞丽市'])];
const viaInOrigins = {
  some: { of: 'parcel.route.via', as: 'stop', where: { fact: 'stop.city', in: { list: 'origins' } } },
};

// An `every` lets every element decide: a quantifier nested in it (even a `some`, which one element
// decides on its own) runs once per element of the `every`, so no one value is the one matched.
describe('{matched} in a quantifier nested inside an every', () => {
  it.each<[string, unknown, RegExp]>([
    [
      'a some inside an every',
      { every: { of: 'parcel.goods', as: 'line', where: viaInOrigins } },
      /^\{matched\}: rules\[0\]\.when\.every\.where\.some\.where\.in is inside an every, which every element decides/,
    ],
    [
      'a some inside a some inside an every',
      {
        every: {
          of: 'parcel.goods',
          as: 'line',
          where: { some: { of: 'parcel.goods', as: 'other', where: viaInOrigins } },
        },
      },
      /^\{matched\}: rules\[0\]\.when\.every\.where\.some\.where\.some\.where\.in is inside an every/,
    ],
  ])('refuses %s', (_name, when, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ lists, rules: [rule('r', when, { reason: '{matched}' })] }));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ruleId: 'r',
      path: 'rules[0].reason',
      reason: expect.stringMatching(expected),
    });
  });

  it('shows the value a some nested inside a some matched', () => {
    // Prepare
    const when = { some: { of: 'parcel.goods', as: 'line', where: viaInOrigins } };
    const policy = compile({ lists, rules: [rule('r', when, { reason: 'via {matched}' })] });
    const patch = { parcel: { route: { via: [{ country: 'CN', region: 'Yunnan', city: 'RUILI' }] } } };

    // Act
    const [fired] = policy.evaluate(facts(patch)).firedRules;

    // Assess
    expect(fired?.reason).toBe('via Ruili');
  });
});
