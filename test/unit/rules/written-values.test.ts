import { describe, expect, it } from 'vitest';
import { compileRuleSet } from '../../../functions/core/rules/index.js';
import {
  compile,
  issuesOf,
  list,
  listFile,
  RULE_SET_FILE,
  type RuleSetParts,
  rule,
  ruleSetInput,
} from './rule-set-factory.js';

const OK = { fact: 'parcel.pieceCount', gte: 1 };

const table = (entries: Record<string, number>, match = 'exact') => ({
  rates: { description: 'rates', match, entries },
});

describe('table keys equal after normalization', () => {
  it.each<[string, Record<string, unknown>, { path: string; reason: string }[]]>([
    [
      'an exact table',
      table({ CNY: 1, cny: 7, ＣＮＹ: 100 }),
      [
        { path: 'tables.rates.entries.cny', reason: 'same key as CNY after normalization' },
        { path: 'tables.rates.entries.ＣＮＹ', reason: 'same key as CNY after normalization' },
      ],
    ],
    [
      'a prefix table',
      table({ '9403': 20, '９４０３': 5 }, 'prefix'),
      [{ path: 'tables.rates.entries.９４０３', reason: 'same key as 9403 after normalization' }],
    ],
  ])('are refused in %s, each naming the key it repeats', (_name, tables, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ tables, rules: [rule('r', OK)] }));

    // Assess
    expect(issues).toEqual(expected.map((issue) => ({ file: RULE_SET_FILE, ...issue })));
  });

  it('keeps keys that differ after normalization', () => {
    // Prepare / Act / Assess
    expect(() =>
      compile({ tables: table({ CNY: 1, USD: 7.1, '9403': 1, '940391': 2 }), rules: [rule('r', OK)] }),
    ).not.toThrow();
  });
});

/**
 * The manifest contract trims parcel text (U+3000 included), so a value written with leading or trailing
 * spaces could never equal it: refused where it is written, rather than silently never matching.
 */
describe('values written with leading or trailing spaces', () => {
  const spaces =
    /^".*" has leading or trailing spaces, which parcel text never has \(the manifest contract trims it\): remove them/;
  const city = 'parcel.route.origin.city';

  it.each<[string, unknown, string]>([
    ['an eq literal', { fact: city, eq: 'Shenzhen ' }, 'rules[0].when.eq'],
    ['an ne literal', { fact: city, ne: ' Shenzhen' }, 'rules[0].when.ne'],
    ['an in literal (U+3000)', { fact: city, in: ['Ruili', '瑞丽\u3000'] }, 'rules[0].when.in[1]'],
    ['a notIn literal', { fact: city, notIn: ['\tRuili'] }, 'rules[0].when.notIn[0]'],
    ['a startsWith literal', { fact: city, startsWith: ' Shen' }, 'rules[0].when.startsWith'],
    [
      'a startsWith literal in a list of them',
      { fact: city, startsWith: ['Ru', 'Shen '] },
      'rules[0].when.startsWith[1]',
    ],
    ['a contains literal', { fact: city, contains: ' zhen' }, 'rules[0].when.contains'],
    ['a containsAny literal', { fact: city, containsAny: ['zhen', 'teak '] }, 'rules[0].when.containsAny[1]'],
  ])('refuses %s, naming its position', (_name, when, path) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ rules: [rule('r', when)] }));

    // Assess
    expect(issues).toEqual([
      { file: RULE_SET_FILE, ruleId: 'r', path, reason: expect.stringMatching(spaces) },
    ]);
  });

  it.each([
    ['a trailing space', 'Ruili ', 'values[1]'],
    ['a leading ideographic space (U+3000)', '\u3000瑞丽', 'values[1]'],
  ])('refuses a list value with %s, naming the list file and position', (_name, value, path) => {
    // Prepare
    const parts: RuleSetParts = {
      lists: [list('origins', ['Baise', value])],
      rules: [rule('r', { fact: 'parcel.route.origin.city', in: { list: 'origins' } })],
    };

    // Act
    const issues = issuesOf(() => compileRuleSet(ruleSetInput(parts)));

    // Assess
    expect(issues).toEqual([
      {
        file: listFile('origins'),
        path,
        reason: expect.stringMatching(/^list origins: ".*" has leading or trailing spaces/),
      },
    ]);
  });

  it('refuses a table key with spaces', () => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ tables: table({ 'CNY ': 1 }), rules: [rule('r', OK)] }));

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        path: 'tables.rates.entries.CNY ',
        reason: expect.stringMatching(/^table key "CNY " has leading or trailing spaces/),
      },
    ]);
  });

  it('accepts spaces inside a value', () => {
    // Prepare / Act / Assess
    expect(() =>
      compile({
        lists: [list('words', ['teak furniture'])],
        rules: [rule('r', { fact: 'parcel.route.origin.city', containsAny: { list: 'words' } })],
      }),
    ).not.toThrow();
  });
});
