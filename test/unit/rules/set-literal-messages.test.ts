import { describe, expect, it } from 'vitest';
import type { RuleSetIssue } from '../../../functions/core/rules/index.js';
import { compile, issuesOf, list, RULE_SET_FILE, type RuleSetParts, rule } from './rule-set-factory.js';

/**
 * Load-time messages on the values a condition compares with, as an analyst met them
 * (.scratch/ana2/report.md, B2, B3, B5): a literal set is held to what a list file is, a refused set
 * condition is not refused again through the reason's {matched}, and a wrong value says what to write.
 */

const onLine = (where: unknown) => ({ some: { of: 'parcel.goods', as: 'line', where } });
const weekday = { weekday: { of: 'manifest.submittedAt', zone: 'Asia/Shanghai' } };
const one = (when: unknown, extra: Partial<RuleSetParts> = {}, reason = 'r fired'): RuleSetParts => ({
  ...extra,
  rules: [rule('r', when, { reason })],
});
const AFTER = 'after normalization';
const SPACES = 'has leading or trailing spaces, which parcel text never has (the manifest contract trims it)';
const QUOTE_VALUES =
  'list tw holds numbers, not text: quote its values (YAML reads a plain 0813 as the number 813: keep their leading zeros inside the quotes)';

describe('a literal set repeating a value after normalization', () => {
  it.each<[string, RuleSetParts, RuleSetIssue[]]>([
    [
      'traditional and simplified Chinese, in containsAnyWord',
      one(onLine({ fact: 'line.description', containsAnyWord: ['茶叶', '茶葉'] })),
      [
        {
          file: RULE_SET_FILE,
          ruleId: 'r',
          path: 'rules[0].when.some.where.containsAnyWord[1]',
          reason: `"茶葉" repeats containsAnyWord[0] ("茶叶") ${AFTER}`,
        },
      ],
    ],
    [
      'two cases of a word, in containsAny',
      one(onLine({ fact: 'line.description', containsAny: ['tea', 'TEA'] })),
      [
        {
          file: RULE_SET_FILE,
          ruleId: 'r',
          path: 'rules[0].when.some.where.containsAny[1]',
          reason: `"TEA" repeats containsAny[0] ("tea") ${AFTER}`,
        },
      ],
    ],
    [
      'two cases of a city, in in',
      one({ fact: 'parcel.route.origin.city', in: ['Ruili', 'Hekou', 'RUILI'] }),
      [
        {
          file: RULE_SET_FILE,
          ruleId: 'r',
          path: 'rules[0].when.in[2]',
          reason: `"RUILI" repeats in[0] ("Ruili") ${AFTER}`,
        },
      ],
    ],
    [
      'a prefix written twice, in startsWith',
      one(onLine({ fact: 'line.hsCode', startsWith: ['4420', '9403', '4420'] })),
      [
        {
          file: RULE_SET_FILE,
          ruleId: 'r',
          path: 'rules[0].when.some.where.startsWith[2]',
          reason: '"4420" repeats startsWith[0]',
        },
      ],
    ],
    [
      'a number written twice, in in',
      one({ value: weekday, in: [6, 7, 6] }),
      [{ file: RULE_SET_FILE, ruleId: 'r', path: 'rules[0].when.in[2]', reason: '6 repeats in[0]' }],
    ],
  ])('is refused as a list file is: %s', (_name, parts, expected) => {
    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toEqual(expected);
  });

  it.each<[string, unknown]>([
    [
      'an enum fact, whose values differ as written',
      { fact: 'parcel.paymentMethod', in: ['cash', 'prepaid'] },
    ],
    [
      'words that differ after normalization',
      onLine({ fact: 'line.description', containsAny: ['tea', 'teas'] }),
    ],
  ])('still loads %s', (_name, when) => {
    // Act
    const load = () => compile(one(when));

    // Assess
    expect(load).not.toThrow();
  });
});

describe('a set condition refused for its own values', () => {
  it.each<[string, RuleSetParts, RuleSetIssue[]]>([
    [
      'a list of numbers used with startsWith',
      one(
        onLine({ fact: 'line.hsCode', startsWith: { list: 'tw' } }),
        { lists: [list('tw', [902, 813])] },
        'x {matched}',
      ),
      [
        {
          file: RULE_SET_FILE,
          ruleId: 'r',
          path: 'rules[0].when.some.where.startsWith.list',
          reason: QUOTE_VALUES,
        },
      ],
    ],
    [
      'a containsAnyWord value with spaces',
      one(onLine({ fact: 'line.description', containsAnyWord: [' tea'] }), {}, 'x {matched}'),
      [
        {
          file: RULE_SET_FILE,
          ruleId: 'r',
          path: 'rules[0].when.some.where.containsAnyWord[0]',
          reason: `" tea" ${SPACES}: remove them (containsAnyWord finds each value only as a whole word already)`,
        },
      ],
    ],
    [
      'a literal repeat',
      one({ fact: 'parcel.route.origin.city', in: ['Ruili', 'RUILI'] }, {}, 'from {matched}'),
      [
        {
          file: RULE_SET_FILE,
          ruleId: 'r',
          path: 'rules[0].when.in[1]',
          reason: `"RUILI" repeats in[0] ("Ruili") ${AFTER}`,
        },
      ],
    ],
    [
      'an unknown fact on its left',
      one(onLine({ fact: 'line.hsCdoe', startsWith: ['4420', '9403'] }), {}, 'HS {matched}'),
      [
        {
          file: RULE_SET_FILE,
          ruleId: 'r',
          path: 'rules[0].when.some.where.fact',
          reason: expect.stringMatching(/^unknown fact line\.hsCdoe.*did you mean line\.hsCode\?$/),
        },
      ],
    ],
  ])(
    'is refused once, with no second error saying {matched} has no condition: %s',
    (_name, parts, expected) => {
      // Act
      const issues = issuesOf(() => compile(parts));

      // Assess
      expect(issues).toEqual(expected);
    },
  );

  it('still refuses {matched} in a rule with no set condition at all', () => {
    // Act
    const issues = issuesOf(() =>
      compile(one({ fact: 'parcel.route.origin.city', eq: 'Ruili' }, {}, '{matched}')),
    );

    // Assess
    expect(issues).toMatchObject([
      {
        file: RULE_SET_FILE,
        ruleId: 'r',
        path: 'rules[0].reason',
        reason: expect.stringMatching(/^\{matched\} needs/),
      },
    ]);
  });
});

describe('a value with spaces, by the operator it is written for', () => {
  it.each<[string, string, string]>([
    [
      'containsAnyWord, which finds whole words already',
      'containsAnyWord',
      'containsAnyWord finds each value only as a whole word already',
    ],
    ['containsAny, which searches within words', 'containsAny', 'to find a whole word, use containsAnyWord'],
  ])('%s', (_name, operator, hint) => {
    // Act
    const issues = issuesOf(() => compile(one(onLine({ fact: 'line.description', [operator]: ['tea '] }))));

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        ruleId: 'r',
        path: `rules[0].when.some.where.${operator}[0]`,
        reason: `"tea " ${SPACES}: remove them (${hint})`,
      },
    ]);
  });
});

describe('a weekday written by its name', () => {
  it.each<[string, unknown, string, string]>([
    [
      'Sunday, with eq',
      { value: weekday, eq: 'Sunday' },
      'rules[0].when.eq',
      'eq compares value (number) with "Sunday": weekdays are numbers, 1 (Monday) to 7 (Sunday), so write 7',
    ],
    [
      'Sat, in in',
      { value: weekday, in: ['Sat', 7] },
      'rules[0].when.in',
      'in compares value (number) with "Sat": weekdays are numbers, 1 (Monday) to 7 (Sunday), so write 6',
    ],
    [
      'monday in lower case',
      { value: weekday, eq: 'monday' },
      'rules[0].when.eq',
      'eq compares value (number) with "monday": weekdays are numbers, 1 (Monday) to 7 (Sunday), so write 1',
    ],
    [
      'text that is no weekday: no hint',
      { value: weekday, eq: 'Su' },
      'rules[0].when.eq',
      'eq compares value (number) with "Su"',
    ],
  ])('says which number it is: %s', (_name, when, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(one(when)));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
  });
});
