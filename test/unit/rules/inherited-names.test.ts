import { describe, expect, it } from 'vitest';
import { checkFactsInput, factsFromInput } from '../../../functions/core/rules/cases/index.js';
import { compile, facts, issuesOf, RULE_SET_FILE, type RuleSetParts, rule } from './rule-set-factory.js';

const OK = { fact: 'parcel.pieceCount', gte: 1 };

/**
 * Every JavaScript object has `constructor`, `valueOf`, `toString`, … : a name lookup that reaches them
 * would take them for facts, fields, readers or tables. None is a name of the rule language.
 */
describe('names every JavaScript object has are not names of the rule language', () => {
  it.each<[string, RuleSetParts, { ruleId?: string; path: string; reason: RegExp }]>([
    [
      'parcel.valueOf as a fact',
      { rules: [rule('r', { fact: 'parcel.valueOf', missing: true })] },
      { ruleId: 'r', path: 'rules[0].when.fact', reason: /^unknown fact parcel\.valueOf; parcel has / },
    ],
    [
      'parcel.constructor as a fact',
      { rules: [rule('r', { fact: 'parcel.constructor', exists: true })] },
      { ruleId: 'r', path: 'rules[0].when.fact', reason: /^unknown fact parcel\.constructor; parcel has / },
    ],
    [
      'a field of a nested object',
      { rules: [rule('r', { fact: 'history.consignee.hasOwnProperty', exists: true })] },
      {
        ruleId: 'r',
        path: 'rules[0].when.fact',
        reason: /^unknown fact history\.consignee\.hasOwnProperty; history\.consignee has /,
      },
    ],
    [
      'a field of a quantifier variable',
      {
        rules: [
          rule('r', {
            some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.constructor', exists: true } },
          }),
        ],
      },
      {
        ruleId: 'r',
        path: 'rules[0].when.some.where.fact',
        reason: /^unknown fact line\.constructor; line has /,
      },
    ],
    [
      'a right-hand fact',
      { rules: [rule('r', { fact: 'parcel.pieceCount', gt: { fact: 'parcel.toString' } })] },
      { ruleId: 'r', path: 'rules[0].when.gt.fact', reason: /^unknown fact parcel\.toString; parcel has / },
    ],
    [
      'a fact in a reason',
      { rules: [rule('r', OK, { reason: 'seen {history.consignee.toString}' })] },
      {
        ruleId: 'r',
        path: 'rules[0].reason',
        reason: /^unknown fact history\.consignee\.toString; history\.consignee has /,
      },
    ],
    [
      'a variable field in a reason',
      {
        rules: [
          rule(
            'r',
            { some: { of: 'parcel.goods', as: 'line', where: OK } },
            { reason: 'line {line.__proto__}' },
          ),
        ],
      },
      { ruleId: 'r', path: 'rules[0].reason', reason: /^unknown fact line\.__proto__; line has / },
    ],
    [
      'a bare inherited name in a reason',
      { rules: [rule('r', OK, { reason: 'x {constructor}' })] },
      { ruleId: 'r', path: 'rules[0].reason', reason: /^unknown fact constructor: a path starts with / },
    ],
    [
      'an inherited name as a derived fact',
      { rules: [rule('r', { fact: 'derived.valueOf', gt: 1 })] },
      { ruleId: 'r', path: 'rules[0].when.fact', reason: /^unknown derived fact valueOf/ },
    ],
    [
      'an inherited name as a table key fact',
      {
        tables: { rates: { description: 'd', match: 'exact', entries: { CNY: 1 } } },
        derived: {
          rate: { description: 'r', value: { lookup: { table: 'rates', key: 'parcel.toLocaleString' } } },
        },
        rules: [rule('r', OK)],
      },
      { path: 'derived.rate.value.lookup.key', reason: /^unknown fact parcel\.toLocaleString; parcel has / },
    ],
    [
      'an inherited name as a table',
      {
        derived: {
          rate: { description: 'r', value: { lookup: { table: 'constructor', key: 'parcel.parcelId' } } },
        },
        rules: [rule('r', OK)],
      },
      { path: 'derived.rate.value.lookup.table', reason: /^unknown table constructor/ },
    ],
  ])('rejects %s at load time, naming the file, rule and path', (_name, parts, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ...expected,
      reason: expect.stringMatching(expected.reason),
    });
  });

  it('still reads every real field (no own reader is lost)', () => {
    // Prepare
    const policy = compile({
      rules: [
        rule(
          'r',
          { fact: 'history.consignee.known', eq: true },
          { reason: 'known {parcel.route.origin.city}' },
        ),
      ],
    });

    // Act
    const [fired] = policy.evaluate(facts()).firedRules;

    // Assess
    expect(fired?.reason).toBe('known Shenzhen');
  });

  it.each([
    [
      'constructor',
      { history: { consignee: { constructor: 1 } } },
      'history.consignee.constructor: unknown fact',
    ],
    [
      '__proto__',
      JSON.parse('{"history":{"consignee":{"__proto__":{"seizures":3}}}}'),
      'history.consignee.__proto__: unknown fact',
    ],
  ])('refuses explain facts naming %s, and never takes them for a prototype', (_name, input, problem) => {
    // Prepare / Act
    const built = factsFromInput(input);
    const problems = checkFactsInput(input, built).problems;

    // Assess
    expect(problems.some((line) => line.startsWith(problem))).toBe(true);
    expect(Object.getPrototypeOf(built.history.consignee)).toBe(Object.prototype);
    expect(built.history.consignee.seizures).toBe(0);
  });
});
