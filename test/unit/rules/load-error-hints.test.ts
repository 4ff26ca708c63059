import { describe, expect, it } from 'vitest';
import { compile, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

/**
 * Load errors for the mistakes rules/README.md warns of say how to write it instead, not zod's words
 * (`Invalid input: expected number, received string`, `expected string or array or object`).
 */

const QUOTE_94 =
  'quote it, "94" (YAML reads a plain 0813 as the number 813: keep its leading zeros inside the quotes)';

describe('load errors with the hint the rule language promises', () => {
  it('says a table maps text keys to numbers when a value is text', () => {
    // Act
    const issues = issuesOf(() =>
      compile({
        tables: {
          province: { description: 'province', match: 'exact', entries: { Yunnan: 'YN', Guangxi: 45 } },
        },
        rules: [rule('r', { fact: 'parcel.pieceCount', gt: 1 })],
      }),
    );

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        path: 'tables.province.entries.Yunnan',
        reason:
          'expected a number, not "YN": a table maps text keys to numbers (write a code for what is text, such as a province\'s GB/T 2260 code)',
      },
    ]);
  });

  it.each<[string, unknown, string]>([
    ['a score written as quoted digits', '30', 'expected a number, not "30": write 30 without quotes'],
    ['a score written as a word', 'thirty', 'expected a number, not "thirty"'],
  ])('says what a number field takes for %s', (_name, score, reason) => {
    // Act
    const issues = issuesOf(() =>
      compile({ rules: [rule('r', { fact: 'parcel.pieceCount', gt: 1 }, { score })] }),
    );

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path: 'rules[0].score', reason }]);
  });

  it.each<[string, unknown, string, string]>([
    [
      'startsWith given a number',
      { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.hsCode', startsWith: 94 } } },
      'rules[0].when.some.where.startsWith',
      `expected text, a list of texts or { list: name }, not the number 94: ${QUOTE_94}`,
    ],
    [
      'contains given a number',
      { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.hsCode', contains: 94 } } },
      'rules[0].when.some.where.contains',
      `expected text, not the number 94: ${QUOTE_94}`,
    ],
    [
      "a lookup's key written { fact: … }",
      {
        some: {
          of: 'parcel.route.via',
          as: 'stop',
          where: { value: { lookup: { table: 'province', key: { fact: 'stop.region' } } }, gt: 0 },
        },
      },
      'rules[0].when.some.where.value.lookup.key',
      "a lookup's key is a bare fact path: write key: stop.region, not key: { fact: stop.region }",
    ],
    [
      "a list's name given to in without { list: … }",
      { fact: 'parcel.route.origin.city', in: 'border-origins' },
      'rules[0].when.in',
      'expected a list of values or { list: name }, not "border-origins": write { list: border-origins } for the list of that name, or [border-origins] for that one value',
    ],
    [
      'one word given to containsAny without its array',
      { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.description', containsAny: '红木' } } },
      'rules[0].when.some.where.containsAny',
      'expected a list of values or { list: name }, not "红木": write [红木] for that one value',
    ],
    [
      'eq: null to test that a fact is absent',
      { fact: 'history.consignee.lastSeizureAt', eq: null },
      'rules[0].when.eq',
      'null is no value to compare with: to test that a fact is absent write missing: true (exists: true for present)',
    ],
    [
      'a range as gte and lte in one condition',
      { fact: 'parcel.pieceCount', gte: 2, lte: 5 },
      'rules[0].when',
      'a condition has exactly one operator; found lte, gte: for a range write between: [2, 5] (both ends included)',
    ],
    [
      'a range with an end left out, as gt and lt in one condition',
      { fact: 'parcel.pieceCount', gt: 2, lt: 5 },
      'rules[0].when',
      'a condition has exactly one operator; found lt, gt: for a range write two conditions in an all (between: [low, high] when both ends are included)',
    ],
  ])('tells how to write %s', (_name, when, path, reason) => {
    // Act
    const issues = issuesOf(() =>
      compile({
        tables: { province: { description: 'province', match: 'exact', entries: { Guangxi: 45 } } },
        rules: [rule('r', when)],
      }),
    );

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
  });
});
