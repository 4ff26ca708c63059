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
