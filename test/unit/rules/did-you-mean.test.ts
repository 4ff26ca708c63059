import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance } from '../../../functions/core/rules/did-you-mean.js';
import {
  compile,
  issuesOf,
  list,
  listFile,
  RULE_SET_FILE,
  type RuleSetParts,
  rule,
} from './rule-set-factory.js';

describe('editDistance', () => {
  it.each([
    ['origins', 'origins', 0],
    ['orgins', 'origins', 1],
    ['oirgins', 'origins', 1],
    ['orgnis', 'origins', 2],
    ['', 'abc', 3],
    ['ab', 'ba', 1],
    ['ca', 'abc', 3],
    ['木雕', '木彫', 1],
  ])('counts %s → %s as %i edits (a swap of neighbours is one)', (a, b, expected) => {
    // Prepare / Act / Assess
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe('closestName', () => {
  const known = ['origins', 'phones', 'hs-prefixes', 'valuePerKgCny', 'parcels30d', 'parcels90d'];

  it.each<[string, string, readonly string[], string | undefined]>([
    ['a misspelling', 'orgins', known, 'origins'],
    ['two neighbours swapped', 'phnoes', known, 'phones'],
    ['two edits in a longer name', 'hs-prefxs', known, 'hs-prefixes'],
    ['a case-only difference', 'Origins', known, 'origins'],
    ['camelCase for kebab-case', 'hsPrefixes', known, 'hs-prefixes'],
    ['kebab-case for camelCase', 'value-per-kg-cny', known, 'valuePerKgCny'],
    ['snake_case for camelCase', 'value_per_kg_cny', known, 'valuePerKgCny'],
    ['a name far from every known one', 'consignees', known, undefined],
    ['two known names as close', 'parcels60d', known, undefined],
    ['a short name two edits away', 'abc', ['xyc'], undefined],
    ['a short name one edit away', 'now', ['nov'], 'nov'],
    ['a four-letter name two edits away', 'abcd', ['xycd'], undefined],
    ['a longer name three edits away', 'abcdefg', ['abcxyzg'], undefined],
    [
      'two known names it differs from only in writing',
      'hsprefixes',
      ['hs-prefixes', 'hs_prefixes'],
      undefined,
    ],
    ['a one-letter name, every other one an edit away', 'x', ['a'], undefined],
    ['a one-letter name in another case', 'X', ['x'], 'x'],
    ['a two-letter name one edit away', 'ib', ['id'], 'id'],
    ['nothing known', 'origins', [], undefined],
    ['only itself known', 'origins', ['origins'], undefined],
  ])('suggests for %s', (_name, name, names, expected) => {
    // Prepare / Act / Assess
    expect(closestName(name, names)).toBe(expected);
  });
});

describe('didYouMean', () => {
  it.each<[string, readonly string[], ((found: string) => string) | undefined, string]>([
    ['orgins', ['origins', 'phones'], undefined, '; did you mean origins?'],
    ['valuePerKg', ['valuePerKgs'], (found) => `derived.${found}`, '; did you mean derived.valuePerKgs?'],
    ['consignees', ['origins', 'phones'], undefined, ''],
    [
      'shipments90d',
      ['parcels7d', 'parcels90d', 'flags'],
      (found) => `history.phone.${found}`,
      '; shipments90d was renamed parcels90d: did you mean history.phone.parcels90d?',
    ],
    ['shipments90d', ['origins', 'phones'], undefined, ''],
  ])('says %s is near %j as %j', (name, known, shownAs, expected) => {
    // Prepare / Act / Assess
    expect(didYouMean(name, known, shownAs)).toBe(expected);
  });
});

const OK = { fact: 'parcel.pieceCount', gte: 1 };
const origins = list('origins', ['Ruili']);
const RATES = { description: 'CNY per unit', match: 'exact', entries: { CNY: 1 } };

describe('load-time errors suggest the known name an unknown one is close to', () => {
  it.each<[string, RuleSetParts, { file?: string; ruleId?: string; path: string; reason: string }]>([
    [
      'a misspelled fact field',
      { rules: [rule('r', { fact: 'parcel.route.origin.citty', eq: 'Ruili' })] },
      {
        ruleId: 'r',
        path: 'rules[0].when.fact',
        reason:
          'unknown fact parcel.route.origin.citty; parcel.route.origin has country, region, city; did you mean parcel.route.origin.city?',
      },
    ],
    [
      'a fact field in another case',
      { rules: [rule('r', { fact: 'parcel.piececount', gte: 1 })] },
      {
        ruleId: 'r',
        path: 'rules[0].when.fact',
        reason: expect.stringMatching(/; did you mean parcel\.pieceCount\?$/),
      },
    ],
    [
      'a misspelled field of a quantifier variable',
      {
        rules: [
          rule('r', { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.hscode', eq: '1' } } }),
        ],
      },
      {
        ruleId: 'r',
        path: 'rules[0].when.some.where.fact',
        reason:
          'unknown fact line.hscode; line has description, hsCode, quantity, declaredValue; did you mean line.hsCode?',
      },
    ],
    [
      'a misspelled fact root',
      { rules: [rule('r', { fact: 'parcle.pieceCount', gte: 1 })] },
      {
        ruleId: 'r',
        path: 'rules[0].when.fact',
        reason: expect.stringMatching(
          /^unknown fact parcle\.pieceCount: .*; did you mean parcel\.pieceCount\?$/,
        ),
      },
    ],
    [
      'a misspelled list in a rule',
      { rules: [rule('r', { fact: 'parcel.route.origin.city', in: { list: 'orgins' } })], lists: [origins] },
      {
        ruleId: 'r',
        path: 'rules[0].when.in.list',
        reason: 'unknown list orgins: the rule set declares origins; did you mean origins?',
      },
    ],
    [
      'a declared list whose file names it otherwise',
      {
        rules: [rule('r', { fact: 'parcel.route.origin.city', in: { list: 'orgins' } })],
        lists: [origins],
        extra: { lists: ['orgins'] },
      },
      {
        path: 'lists[0]',
        reason: 'unknown list orgins: no list file defines it; did you mean origins?',
      },
    ],
    [
      'a rule on a declared list whose file names it otherwise',
      {
        rules: [rule('r', { fact: 'parcel.route.origin.city', in: { list: 'orgins' } })],
        lists: [origins],
        extra: { lists: ['orgins'] },
      },
      {
        ruleId: 'r',
        path: 'rules[0].when.in.list',
        reason: 'unknown list orgins: no list file defines it; did you mean origins?',
      },
    ],
    [
      'a misspelled derived root',
      {
        derived: { valuePerKg: { description: 'v', value: { fact: 'parcel.pieceCount' } } },
        rules: [rule('r', { fact: 'derivd.valuePerKg', gt: 1 })],
      },
      {
        ruleId: 'r',
        path: 'rules[0].when.fact',
        reason: expect.stringMatching(
          /^unknown fact derivd\.valuePerKg: .*; did you mean derived\.valuePerKg\?$/,
        ),
      },
    ],
    [
      'a misspelled quantifier variable',
      {
        rules: [
          rule('r', { some: { of: 'parcel.goods', as: 'line', where: { fact: 'lien.hsCode', eq: '1' } } }),
        ],
      },
      {
        ruleId: 'r',
        path: 'rules[0].when.some.where.fact',
        reason: expect.stringMatching(/^unknown fact lien\.hsCode: .*; did you mean line\.hsCode\?$/),
      },
    ],
    [
      "a misspelled quantifier variable in a rule's reason, told the rule's variables",
      {
        rules: [
          rule(
            'r',
            { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.hsCode', eq: '1' } } },
            { reason: 'goods {lien.hsCode}' },
          ),
        ],
      },
      {
        ruleId: 'r',
        path: 'rules[0].reason',
        reason: expect.stringMatching(
          /^unknown fact lien\.hsCode: .* or a variable \(line\); did you mean line\.hsCode\?$/,
        ),
      },
    ],
    [
      'a misspelled derived fact',
      {
        derived: { valuePerKg: { description: 'v', value: { fact: 'parcel.pieceCount' } } },
        rules: [rule('r', { fact: 'derived.valuePerKgs', gt: 1 })],
      },
      {
        ruleId: 'r',
        path: 'rules[0].when.fact',
        reason:
          'unknown derived fact valuePerKgs; derived facts: valuePerKg; did you mean derived.valuePerKg?',
      },
    ],
    [
      'a misspelled table',
      {
        tables: { rates: RATES },
        derived: { a: { description: 'a', value: { lookup: { table: 'rate', key: 'parcel.parcelId' } } } },
        rules: [rule('r', OK)],
      },
      {
        path: 'derived.a.value.lookup.table',
        reason: 'unknown table rate; tables: rates; did you mean rates?',
      },
    ],
    [
      'a history fact by the name it had before it was renamed',
      { rules: [rule('r', { fact: 'history.consignee.shipments30d', gte: 5 })] },
      {
        ruleId: 'r',
        path: 'rules[0].when.fact',
        reason: expect.stringMatching(
          /^unknown fact history\.consignee\.shipments30d; .*; shipments30d was renamed parcels30d: did you mean history\.consignee\.parcels30d\?$/,
        ),
      },
    ],
    [
      'a derived fact reading a history fact by its old name',
      {
        derived: { recent: { description: 'r', value: { fact: 'history.shipper.shipments7d' } } },
        rules: [rule('r', { fact: 'derived.recent', gte: 1 })],
      },
      {
        path: 'derived.recent.value.fact',
        reason: expect.stringMatching(
          /; shipments7d was renamed parcels7d: did you mean history\.shipper\.parcels7d\?$/,
        ),
      },
    ],
  ])('for %s, still naming the file, the rule and the path', (_name, parts, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toContainEqual({ file: RULE_SET_FILE, ...expected });
  });

  it('suggests nothing when no known name is close', () => {
    // Prepare / Act
    const issues = issuesOf(() =>
      compile({
        rules: [rule('r', { fact: 'parcel.route.origin.city', in: { list: 'phones' } })],
        lists: [origins],
      }),
    );

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ruleId: 'r',
      path: 'rules[0].when.in.list',
      reason: 'unknown list phones: the rule set declares origins',
    });
  });

  it('suggests no list the rule set declares already for a declared list no file defines', () => {
    // Prepare / Act: orgins is near origins, but origins has its own declaration and file
    const issues = issuesOf(() =>
      compile({
        rules: [rule('r', { fact: 'parcel.route.origin.city', in: { list: 'origins' } })],
        lists: [origins],
        extra: { lists: ['origins', 'orgins'] },
      }),
    );

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      path: 'lists[1]',
      reason: 'unknown list orgins: no list file defines it',
    });
  });

  it('names the list file the rule set does not declare, beside the suggestion', () => {
    // Prepare / Act
    const issues = issuesOf(() =>
      compile({ rules: [rule('r', OK)], lists: [origins], extra: { lists: ['origin'] } }),
    );

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      path: 'lists[0]',
      reason: 'unknown list origin: no list file defines it; did you mean origins?',
    });
    expect(issues).toContainEqual(expect.objectContaining({ file: listFile('origins'), path: 'name' }));
  });
});
