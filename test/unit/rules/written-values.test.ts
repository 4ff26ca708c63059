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
const CITY = 'parcel.route.origin.city';

/** A rule set of one rule, r, matching the origin city with `operator` against list `name` of these values. */
const withList = (name: string, values: string[], operator = 'containsAny'): RuleSetParts => ({
  lists: [list(name, values)],
  rules: [rule('r', { fact: CITY, [operator]: { list: name } })],
});

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

  it.each<[string, unknown, string]>([
    ['an eq literal', { fact: CITY, eq: 'Shenzhen ' }, 'rules[0].when.eq'],
    ['an ne literal', { fact: CITY, ne: ' Shenzhen' }, 'rules[0].when.ne'],
    ['an in literal (U+3000)', { fact: CITY, in: ['Ruili', '瑞丽\u3000'] }, 'rules[0].when.in[1]'],
    ['a notIn literal', { fact: CITY, notIn: ['\tRuili'] }, 'rules[0].when.notIn[0]'],
    ['a startsWith literal', { fact: CITY, startsWith: ' Shen' }, 'rules[0].when.startsWith'],
    [
      'a startsWith literal in a list of them',
      { fact: CITY, startsWith: ['Ru', 'Shen '] },
      'rules[0].when.startsWith[1]',
    ],
    ['a contains literal', { fact: CITY, contains: ' zhen' }, 'rules[0].when.contains'],
    ['a containsAny literal', { fact: CITY, containsAny: ['zhen', 'teak '] }, 'rules[0].when.containsAny[1]'],
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
    const parts = withList('origins', ['Baise', value], 'in');

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

  it.each([
    ['contains', { contains: ' zhen' }, ' (to find a whole word, use containsAnyWord)'],
    ['containsAny', { containsAny: ['teak '] }, ' (to find a whole word, use containsAnyWord)'],
    [
      'containsAnyWord',
      { containsAnyWord: [' teak'] },
      ' (containsAnyWord finds each value only as a whole word already)',
    ],
  ])('tells how to find a whole word when %s is given a word in spaces', (_name, operator, hint) => {
    // Prepare / Act
    const [issue] = issuesOf(() => compile({ rules: [rule('r', { fact: CITY, ...operator })] }));

    // Assess
    expect(issue!.reason.endsWith(`: remove them${hint}`)).toBe(true);
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

  it.each([
    ['an exact table', 'C\u200bNY', 'exact', 'C\\u200bNY', 'U+200B'],
    // Only invisible characters: normalized, the key would be empty, a prefix of every HS code.
    ['a prefix table', '\u2060', 'prefix', '\\u2060', 'U+2060'],
  ])(
    'refuses a table key with invisible characters in %s, showing them escaped',
    (_name, key, match, shown, code) => {
      // Prepare / Act
      const issues = issuesOf(() => compile({ tables: table({ [key]: 1 }, match), rules: [rule('r', OK)] }));

      // Assess
      expect(issues).toEqual([
        {
          file: RULE_SET_FILE,
          path: `tables.rates.entries.${shown}`,
          reason: `table key "${shown}" has invisible characters (${code}), which text matching ignores and no reader of the file can see: remove them`,
        },
      ]);
    },
  );

  it('accepts spaces inside a value', () => {
    // Prepare / Act / Assess
    expect(() => compile(withList('words', ['teak furniture']))).not.toThrow();
  });
});

/**
 * Text matching drops invisible characters (Default_Ignorable_Code_Point), so one written in a rule set
 * would match as if it were not there while nobody reading the file can see it: refused where it is
 * written, shown escaped.
 */
describe('values written with invisible characters', () => {
  const because = (codes: string) =>
    `has invisible characters (${codes}), which text matching ignores and no reader of the file can see: remove them`;
  const invisible = (shown: string, codes: string) => `${shown} ${because(codes)}`;

  it.each<[string, Record<string, unknown>, string, string, string]>([
    ['an eq literal', { eq: 'Rui\u200bli' }, 'eq', '"Rui\\u200bli"', 'U+200B'],
    ['an ne literal', { ne: 'Rui\u2060li' }, 'ne', '"Rui\\u2060li"', 'U+2060'],
    ['an in literal', { in: ['Ruili', '瑞\ufeff丽'] }, 'in[1]', '"瑞\\ufeff丽"', 'U+FEFF'],
    ['a notIn literal', { notIn: ['Rui\u00adli'] }, 'notIn[0]', '"Rui\\u00adli"', 'U+00AD'],
    ['a startsWith literal', { startsWith: 'Shen\u200dzhen' }, 'startsWith', '"Shen\\u200dzhen"', 'U+200D'],
    ['a contains literal', { contains: '木\u200c雕' }, 'contains', '"木\\u200c雕"', 'U+200C'],
    [
      'a containsAny literal with two kinds',
      { containsAny: ['teak', '木\u200b雕\u{e0100}'] },
      'containsAny[1]',
      '"木\\u200b雕\\u{e0100}"',
      'U+200B, U+E0100',
    ],
    // Dropped, it would be empty, and every text contains the empty text.
    [
      'a containsAny literal that is nothing but a soft hyphen',
      { containsAny: ['\u00ad'] },
      'containsAny[0]',
      '"\\u00ad"',
      'U+00AD',
    ],
    [
      'a matches pattern',
      { matches: '^rui\u200bli$' },
      'matches',
      'regular expression ^rui\\u200bli$',
      'U+200B',
    ],
  ])('refuses %s, naming the rule, its position and the character', (_name, operator, at, shown, codes) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ rules: [rule('r', { fact: CITY, ...operator })] }));

    // Assess
    expect(issues).toEqual([
      { file: RULE_SET_FILE, ruleId: 'r', path: `rules[0].when.${at}`, reason: invisible(shown, codes) },
    ]);
  });

  it('says where and which in the one line the load fails with', () => {
    // Prepare
    const parts: RuleSetParts = { rules: [rule('r', OK), rule('origin', { fact: CITY, eq: 'Rui\u200bli' })] };

    // Act
    const load = () => compile(parts);

    // Assess
    expect(load).toThrow(
      `${RULE_SET_FILE} (rule origin) at rules[1].when.eq: ${invisible('"Rui\\u200bli"', 'U+200B')}`,
    );
  });

  it('refuses a list value, naming the list file, its position and the character', () => {
    // Prepare
    const parts = withList('words', ['红木', 'rose\u00adwood']);

    // Act
    const issues = issuesOf(() => compileRuleSet(ruleSetInput(parts)));

    // Assess
    expect(issues).toEqual([
      {
        file: listFile('words'),
        path: 'values[1]',
        reason: `list words: ${invisible('"rose\\u00adwood"', 'U+00AD')}`,
      },
    ]);
  });

  it('shows a repeat that differs only by an invisible character escaped, beside its refusal', () => {
    // Prepare
    const parts = withList('words', ['木雕', '木\u200b雕']);

    // Act
    const issues = issuesOf(() => compileRuleSet(ruleSetInput(parts)));

    // Assess
    expect(issues.map((issue) => issue.reason)).toEqual([
      `list words: ${invisible('"木\\u200b雕"', 'U+200B')}`,
      'list words: "木\\u200b雕" repeats values[0] ("木雕") after normalization',
    ]);
  });

  it('accepts visible text that is not ASCII: accents, Hangul, ideographic punctuation', () => {
    // Prepare / Act / Assess
    expect(() => compile(withList('words', ['crème brûlée', '목조', '红木、紫檀']))).not.toThrow();
  });
});
