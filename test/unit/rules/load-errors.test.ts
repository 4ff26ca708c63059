import { describe, expect, it } from 'vitest';
import { hashIndicator } from '../../../functions/core/parties/party-keys.js';
import { compileRuleSet, type RuleSetError } from '../../../functions/core/rules/index.js';
import {
  compile,
  DEFAULT_LANES,
  facts,
  issuesOf,
  list,
  listFile,
  RULE_SET_FILE,
  type RuleSetParts,
  rule,
  ruleSetInput,
} from './rule-set-factory.js';

const OK = { fact: 'parcel.pieceCount', gte: 1 };
const origins = list('origins', ['Ruili']);
const words = list('words', ['teak']);

/** `depth` quantifiers, each nested in the previous one's `where`, with their own variables v1, v2, … */
const nestedQuantifiers = (depth: number, where: unknown = OK): unknown =>
  depth === 0
    ? where
    : { some: { of: 'parcel.goods', as: `v${depth}`, where: nestedQuantifiers(depth - 1, where) } };

const oneRule = (
  when: unknown,
  extra: Record<string, unknown> = {},
  parts: Partial<RuleSetParts> = {},
): RuleSetParts => ({
  ...parts,
  rules: [rule('first', OK), rule('broken', when, extra)],
});

describe('load-time errors name the file, the rule and the JSON path', () => {
  it.each<[string, RuleSetParts, { ruleId?: string; path: string; reason: RegExp }]>([
    [
      'an unknown fact path',
      oneRule({ fact: 'parcel.route.origin.town', eq: 'Ruili' }),
      { ruleId: 'broken', path: 'rules[1].when.fact', reason: /unknown fact parcel\.route\.origin\.town/ },
    ],
    [
      'a score no sum of scores could hold',
      oneRule(OK, { score: 1e308 }),
      { ruleId: 'broken', path: 'rules[1].score', reason: /expected number to be <=1000000/ },
    ],
    [
      'a reason with a terminal escape, which would rewrite an analyst’s terminal',
      oneRule(OK, { reason: 'origin \u001b]8;;https://example.com\u001b\\click' }),
      { ruleId: 'broken', path: 'rules[1].reason', reason: /^no control characters, bidirectional/ },
    ],
    [
      'a title with a right-to-left override, which would show officers reversed words',
      oneRule(OK, { title: 'Origin \u202Eetats' }),
      { ruleId: 'broken', path: 'rules[1].title', reason: /^no control characters, bidirectional/ },
    ],
    [
      'a score finer than millionths, which could not add up exactly',
      oneRule(OK, { score: 0.0000005 }),
      { ruleId: 'broken', path: 'rules[1].score', reason: /^has at most 6 decimal places$/ },
    ],
    [
      'an unknown fact root',
      oneRule({ fact: 'shipment.weight', gt: 1 }),
      { ruleId: 'broken', path: 'rules[1].when.fact', reason: /unknown fact shipment\.weight/ },
    ],
    [
      'text compared with gt',
      oneRule({ all: [OK, { fact: 'parcel.route.origin.city', gt: 5 }] }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.all[1].gt',
        reason: /gt needs a number, but parcel\.route\.origin\.city is text/,
      },
    ],
    [
      'a number compared with text',
      oneRule({ fact: 'parcel.pieceCount', eq: 'one' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.eq',
        reason: /compares parcel\.pieceCount \(number\) with "one"/,
      },
    ],
    [
      'a value outside an enum',
      oneRule({ fact: 'parcel.paymentMethod', in: ['cod'] }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.in',
        reason: /"cod" is not one of prepaid, cash-on-delivery, cash/,
      },
    ],
    [
      'an enum compared with a list holding a value outside the enum',
      oneRule(
        { fact: 'parcel.paymentMethod', in: { list: 'payments' } },
        {},
        {
          lists: [list('payments', ['cash', 'CASH-ON-DELIVERY'])],
        },
      ),
      {
        ruleId: 'broken',
        path: 'rules[1].when.in.list',
        reason: /list payments holds "CASH-ON-DELIVERY", which is not one of prepaid, cash-on-delivery, cash/,
      },
    ],
    [
      'between with low above high',
      oneRule({ fact: 'parcel.declaredGrossWeightKg', between: [2, 1] }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.between',
        reason: /between needs \[low, high\] with low <= high, got \[2, 1\]/,
      },
    ],
    [
      'a text operator on a number',
      oneRule({ fact: 'parcel.pieceCount', contains: '1' }),
      { ruleId: 'broken', path: 'rules[1].when.contains', reason: /contains needs text/ },
    ],
    [
      'a scalar operator on a list',
      oneRule({ fact: 'parcel.goods', contains: 'teak' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.contains',
        reason: /parcel\.goods is a list \(use some\/every\/none\)/,
      },
    ],
    [
      'an unknown list',
      oneRule({ fact: 'parcel.route.origin.city', in: { list: 'nowhere' } }, {}, { lists: [origins] }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.in.list',
        reason: /unknown list nowhere: the rule set declares origins/,
      },
    ],
    [
      'a list of numbers used as text',
      oneRule(
        { fact: 'parcel.route.origin.city', in: { list: 'numbers' } },
        {},
        { lists: [list('numbers', [1, 2])] },
      ),
      { ruleId: 'broken', path: 'rules[1].when.in', reason: /with 1/ },
    ],
    [
      'a duplicate rule id',
      { rules: [rule('same', OK), rule('other', OK), rule('same', OK)] },
      { ruleId: 'same', path: 'rules[2].id', reason: /duplicate rule id same, first used at rules\[0\]/ },
    ],
    [
      'a regular expression with a backreference (not RE2 syntax)',
      oneRule({
        some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.description', matches: '(a)\\1' } },
      }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.some.where.matches',
        reason: /invalid regular expression .*no backreferences, no lookaround/,
      },
    ],
    [
      'a regular expression with lookahead',
      oneRule({ fact: 'parcel.parcelId', matches: 'SWF(?=7)' }),
      { ruleId: 'broken', path: 'rules[1].when.matches', reason: /invalid regular expression/ },
    ],
    [
      'a regular expression with full-width characters',
      oneRule({ fact: 'parcel.parcelId', matches: '^ＳＷＦ' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason: /full-width or compatibility .*write \^SWF/,
      },
    ],
    [
      'a regular expression with an accented letter, which text matching folds away',
      oneRule({ fact: 'parcel.route.origin.city', matches: 'roséwood' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason: /^regular expression roséwood: "é" is folded to "e" in the text .*: write e$/,
      },
    ],
    [
      'a text search on an enum fact, whose values are compared exactly',
      oneRule({ fact: 'parcel.paymentMethod', startsWith: 'CASH' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.startsWith',
        reason:
          /^startsWith searches text, but parcel\.paymentMethod is one of .*cash.*, compared exactly as written: use eq or in$/,
      },
    ],
    [
      'a pattern on a province, whose codes are compared exactly',
      oneRule({ fact: 'places.origin.province', matches: '^cn-g' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason:
          /^matches searches text, but places\.origin\.province is one of CN-.*, compared exactly as written: use eq or in$/,
      },
    ],
    [
      'a regular expression with an accent standing alone after a Latin letter, which text matching drops',
      oneRule({ fact: 'parcel.route.origin.city', matches: 'kni\u1dc4fe' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason:
          /^regular expression kni\u1dc4fe: U\+1DC4, an accent on "i", is dropped from the text it is matched against \(accents on Latin, Greek and Cyrillic letters are\): leave it out$/,
      },
    ],
    [
      'a regular expression escaping an accent after a Latin letter',
      oneRule({ fact: 'parcel.route.origin.city', matches: 'q\\x{301}' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason: /\\x\{301\} \(U\+0301\), an accent on "q", is dropped/,
      },
    ],
    [
      'a regular expression with a Cyrillic look-alike letter',
      oneRule({ fact: 'parcel.route.origin.city', matches: 'r\u043esewood' }),
      { ruleId: 'broken', path: 'rules[1].when.matches', reason: /"о" is folded to "o" .*: write o$/ },
    ],
    [
      'a regular expression with a traditional Chinese character',
      oneRule({ fact: 'parcel.route.origin.city', matches: '紅木' }),
      { ruleId: 'broken', path: 'rules[1].when.matches', reason: /"紅" is folded to "红" .*: write 红$/ },
    ],
    [
      'a regular expression escaping a full-width character',
      oneRule({ fact: 'parcel.parcelId', matches: '^\\x{FF33}WF' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason: /\\x\{FF33\} is U\+FF33, which never occurs in the normalized text .*write S$/,
      },
    ],
    [
      'a regular expression escaping an invisible character',
      oneRule({ fact: 'parcel.parcelId', matches: 'a\\x{200b}b' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason: /\\x\{200b\} is U\+200B, an invisible character, which text matching drops/,
      },
    ],
    [
      'a regular expression escaping a compatibility character in hex',
      oneRule({ fact: 'parcel.parcelId', matches: 'n\\xBA' }),
      { ruleId: 'broken', path: 'rules[1].when.matches', reason: /\\xBA is U\+00BA, .*write o$/ },
    ],
    [
      'a regular expression escaping a soft hyphen in octal',
      oneRule({ fact: 'parcel.parcelId', matches: 'rose\\255wood' }),
      { ruleId: 'broken', path: 'rules[1].when.matches', reason: /\\255 is U\+00AD, an invisible character/ },
    ],
    [
      'a regular expression escaping a Cyrillic look-alike letter, which text matching folds away',
      oneRule({ fact: 'parcel.route.origin.city', matches: 'r\\x{043E}sewood' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason:
          /^regular expression r\\x\{043E\}sewood: \\x\{043E\} is U\+043E, "о", which is folded to "o" in the text it is matched against .*: write o$/,
      },
    ],
    [
      'a regular expression escaping an accented letter in hex',
      oneRule({ fact: 'parcel.route.origin.city', matches: 'caf\\xE9' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason: /\\xE9 is U\+00E9, "é", which is folded to "e" .*: write e$/,
      },
    ],
    [
      'a regular expression with a range of Cyrillic letters, listing them as text matching folds them',
      oneRule({
        some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.description', matches: '^[а-я]+$' } },
      }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.some.where.matches',
        reason:
          /^regular expression \^\[а-я\]\+\$: "а" ends the range а-я, and the text it is matched against has letters such as it folded .*, so a range through letters that fold cannot be matched as written: list the folded letters in place of the range: aбbrдeжзиkлmhoпpctyфxцчшщъыэюя$/,
      },
    ],
    [
      'a regular expression with a range of accented letters too wide to list',
      oneRule({ fact: 'parcel.route.origin.city', matches: '[a-zÀ-ɏ]' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason:
          /^regular expression \[a-zÀ-ɏ\]: "À" ends the range À-ɏ, .*: list the folded letters in place of the range$/,
      },
    ],
    [
      'a regular expression with a look-alike letter beside a hyphen that ends no range',
      oneRule({ fact: 'parcel.route.origin.city', matches: '[-а]' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason: /^regular expression \[-а\]: "а" is folded to "a" .*: write a$/,
      },
    ],
    [
      'a regular expression that turns case-insensitivity off, which lower-cased text never matches',
      oneRule({ fact: 'parcel.consignee.name', matches: '(?-i)^WANG' }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.matches',
        reason:
          /^regular expression \(\?-i\)\^WANG: \(\?-i\) turns case-insensitive matching off, but text is lower-cased before it is matched, so a capital letter in the pattern could never match: remove the -i \(matching is always case-insensitive\)$/,
      },
    ],
    [
      'a regular expression clearing i in a group with other flags',
      oneRule({
        some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.description', matches: 'a(?s-i:B.c)' } },
      }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.some.where.matches',
        reason: /^regular expression a\(\?s-i:B\.c\): \(\?s-i:…\) turns case-insensitive matching off/,
      },
    ],
    [
      'a rule with neither score, lane nor hard hit, which would fire to no effect',
      oneRule(OK, { score: undefined }),
      {
        ruleId: 'broken',
        path: 'rules[1].score',
        reason:
          /^a rule needs a score, a lane, or a place in lanes\.hardHits; write score: 0 for a rule that only counts$/,
      },
    ],
    [
      'a condition on a derived fact named with a hyphen, saying what is wrong with the path',
      oneRule({ fact: 'derived.value-per-kg', gt: 1 }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.fact',
        reason:
          /^a dotted fact path such as parcel\.route\.origin\.city, each name letters and digits starting with a letter: "value-per-kg" has "-"$/,
      },
    ],
    [
      'an invalid regular expression',
      oneRule({ fact: 'parcel.parcelId', matches: '([a-z' }),
      { ruleId: 'broken', path: 'rules[1].when.matches', reason: /invalid regular expression/ },
    ],
    [
      'a regular expression escaping a code point past U+10FFFF, as an issue and not a crash',
      oneRule({ fact: 'parcel.route.origin.city', matches: '\\x{110000}' }),
      { ruleId: 'broken', path: 'rules[1].when.matches', reason: /invalid escape sequence/ },
    ],
    [
      'a group written beside a fact and an operator, which would be silently ignored',
      oneRule({ all: [OK], fact: 'parcel.pieceCount', eq: 2 }),
      { ruleId: 'broken', path: 'rules[1].when', reason: /; found all, fact, eq$/ },
    ],
    [
      'a list compared with eq, even with itself',
      oneRule({ fact: 'parcel.route.via', eq: { fact: 'parcel.route.via' } }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.eq',
        reason: /^parcel\.route\.via is a list \(use some\/every\/none\), not a value eq can compare$/,
      },
    ],
    [
      'an unknown operator',
      oneRule({ fact: 'parcel.pieceCount', greaterThan: 1 }),
      { ruleId: 'broken', path: 'rules[1].when', reason: /unknown field greaterThan/ },
    ],
    [
      'two operators in one condition',
      oneRule({ fact: 'parcel.pieceCount', gt: 1, lt: 5 }),
      { ruleId: 'broken', path: 'rules[1].when', reason: /exactly one operator; found lt, gt/ },
    ],
    [
      'an operator without a fact',
      oneRule({ any: [OK, { gt: 1 }] }),
      { ruleId: 'broken', path: 'rules[1].when.any[1]', reason: /needs fact \(or value\) and one operator/ },
    ],
    [
      'a quantifier over something that is not a list',
      oneRule({ some: { of: 'parcel.route.origin', where: OK } }),
      { ruleId: 'broken', path: 'rules[1].when.some.of', reason: /parcel\.route\.origin is not a list/ },
    ],
    [
      'an element field that does not exist',
      oneRule({ some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.weight', gt: 1 } } }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.some.where.fact',
        reason: /unknown fact line\.weight; line has description, hsCode, quantity, declaredValue/,
      },
    ],
    [
      'a variable shadowing an outer one',
      oneRule({
        some: {
          of: 'parcel.goods',
          as: 'line',
          where: { some: { of: 'parcel.goods', as: 'line', where: OK } },
        },
      }),
      { ruleId: 'broken', path: 'rules[1].when.some.where.some.as', reason: /already bound/ },
    ],
    [
      'a reserved name as a quantifier variable',
      oneRule({ some: { of: 'parcel.goods', as: 'parcel', where: OK } }),
      {
        ruleId: 'broken',
        path: 'rules[1].when.some.as',
        reason: /parcel is a reserved name, choose another variable/,
      },
    ],
    [
      'quantifiers nested deeper than the limit',
      oneRule(nestedQuantifiers(17)),
      {
        ruleId: 'broken',
        path: `rules[1].when${'.some.where'.repeat(16)}.some`,
        reason: /quantifiers nest at most 16 deep/,
      },
    ],
    [
      'sub with one operand',
      oneRule({ value: { sub: [{ fact: 'parcel.measuredWeightKg' }] }, gt: 0 }),
      { ruleId: 'broken', path: 'rules[1].when.value.sub', reason: /sub needs at least two operands/ },
    ],
    [
      'div with one operand',
      oneRule({ value: { div: [{ fact: 'parcel.measuredWeightKg' }] }, gt: 0 }),
      { ruleId: 'broken', path: 'rules[1].when.value.div', reason: /div needs at least two operands/ },
    ],
    [
      'both a fact and a value in one condition',
      oneRule({ fact: 'parcel.measuredWeightKg', value: { fact: 'parcel.declaredGrossWeightKg' }, gt: 1 }),
      {
        ruleId: 'broken',
        path: 'rules[1].when',
        reason: /a condition compares either a fact or a value, not both/,
      },
    ],
    [
      'two keys in one expression',
      oneRule({ value: { add: [1, 2], mul: [3, 4] }, gt: 0 }),
      { ruleId: 'broken', path: 'rules[1].when.value', reason: /an expression has exactly one of add, mul/ },
    ],
    [
      'a field of a derived fact',
      oneRule(
        { fact: 'derived.ratio.value', gt: 1 },
        {},
        { derived: { ratio: { description: 'ratio', value: { fact: 'parcel.pieceCount' } } } },
      ),
      {
        ruleId: 'broken',
        path: 'rules[1].when.fact',
        reason: /derived\.ratio is a number, it has no field value/,
      },
    ],
    [
      'an unknown derived fact',
      oneRule({ fact: 'derived.nothing', gt: 1 }),
      { ruleId: 'broken', path: 'rules[1].when.fact', reason: /unknown derived fact nothing/ },
    ],
    [
      'an unknown placeholder in a reason',
      { rules: [rule('broken', OK, { reason: 'from {parcel.route.origin.town}' })] },
      { ruleId: 'broken', path: 'rules[0].reason', reason: /unknown fact parcel\.route\.origin\.town/ },
    ],
    [
      '{list} in a rule that uses two lists',
      {
        lists: [origins, words],
        rules: [
          rule(
            'broken',
            {
              any: [
                { fact: 'parcel.route.origin.city', in: { list: 'origins' } },
                { fact: 'parcel.parcelId', containsAny: { list: 'words' } },
              ],
            },
            { reason: 'on {list}' },
          ),
        ],
      },
      { ruleId: 'broken', path: 'rules[0].reason', reason: /exactly one list; this one uses 2/ },
    ],
    [
      'a placeholder on a variable bound to two kinds of elements',
      {
        rules: [
          rule(
            'broken',
            {
              all: [
                { some: { of: 'parcel.route.via', as: 'x', where: { fact: 'x.city', eq: 'Ruili' } } },
                { some: { of: 'parcel.goods', as: 'x', where: { fact: 'x.hsCode', startsWith: '9403' } } },
              ],
            },
            { reason: 'goods {x.hsCode}' },
          ),
        ],
      },
      { ruleId: 'broken', path: 'rules[0].reason', reason: /x is bound to elements of different lists/ },
    ],
    [
      'a placeholder on a variable only none binds',
      {
        rules: [
          rule(
            'broken',
            { none: { of: 'parcel.goods', as: 'line', where: { fact: 'line.hsCode', startsWith: '9403' } } },
            { reason: 'no furniture, e.g. not {line.hsCode}' },
          ),
        ],
      },
      {
        ruleId: 'broken',
        path: 'rules[0].reason',
        reason:
          /no one element of line decides the rule: it is bound only by quantifiers every element decides/,
      },
    ],
    [
      'effectiveUntil before effectiveFrom',
      oneRule(OK, { effectiveFrom: '2026-02-01', effectiveUntil: '2026-01-01' }),
      { ruleId: 'broken', path: 'rules[1].effectiveUntil', reason: /is not after effectiveFrom/ },
    ],
    [
      'a misspelt rule field',
      oneRule(OK, { sevrity: 'high' }),
      { ruleId: 'broken', path: 'rules[1]', reason: /unknown field sevrity/ },
    ],
    [
      'a rule id that is not kebab-case',
      { rules: [rule('Bad_Id', OK)] },
      { ruleId: 'Bad_Id', path: 'rules[0].id', reason: /kebab-case/ },
    ],
  ])('rejects %s', (_name, parts, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ...expected,
      reason: expect.stringMatching(expected.reason),
    });
  });

  it.each<[string, RuleSetParts, { path: string; reason: RegExp }]>([
    [
      'a derived fact that depends on itself',
      {
        derived: {
          a: { description: 'a', value: { add: [{ fact: 'derived.b' }, 1] } },
          b: { description: 'b', value: { mul: [{ fact: 'derived.a' }, 2] } },
        },
        rules: [rule('r', OK)],
      },
      { path: 'derived.b.value.mul[0].fact', reason: /derived fact a depends on itself/ },
    ],
    [
      'an unknown table',
      {
        derived: { a: { description: 'a', value: { lookup: { table: 'nope', key: 'parcel.parcelId' } } } },
        rules: [rule('r', OK)],
      },
      { path: 'derived.a.value.lookup.table', reason: /unknown table nope/ },
    ],
    [
      'arithmetic on text',
      {
        derived: { a: { description: 'a', value: { add: [{ fact: 'parcel.parcelId' }, 1] } } },
        rules: [rule('r', OK)],
      },
      { path: 'derived.a.value.add[0].fact', reason: /parcel\.parcelId is not a number/ },
    ],
    [
      'bands that do not ascend',
      {
        rules: [rule('r', OK)],
        lanes: {
          bands: [
            { from: 0, lane: 'release' },
            { from: 50, lane: 'hold' },
            { from: 40, lane: 'do-not-load' },
          ],
        },
      },
      { path: 'lanes.bands[2].from', reason: /bands ascend/ },
    ],
    [
      'two bands from the same score',
      {
        rules: [rule('r', OK)],
        lanes: {
          bands: [
            { from: 0, lane: 'release' },
            { from: 30, lane: 'review' },
            { from: 30, lane: 'hold' },
          ],
        },
      },
      { path: 'lanes.bands[2].from', reason: /bands ascend: 30 must be above 30/ },
    ],
    [
      'a list declared twice',
      { rules: [rule('r', OK)], lists: [origins], extra: { lists: ['origins', 'origins'] } },
      { path: 'lists[1]', reason: /list origins is declared twice, first at lists\[0\]/ },
    ],
    [
      'a declared list that no list file defines',
      { rules: [rule('r', OK)], lists: [origins], extra: { lists: ['origins', 'ghost'] } },
      { path: 'lists[1]', reason: /unknown list ghost: no list file defines it/ },
    ],
    [
      'a lane that does not exist, naming the lanes and what was written',
      {
        rules: [rule('r', OK)],
        lanes: {
          bands: [
            { from: 0, lane: 'release' },
            { from: 30, lane: 'held' },
          ],
        },
      },
      {
        path: 'lanes.bands[1].lane',
        reason: /^expected one of release, review, hold, do-not-load, not "held"$/,
      },
    ],
    [
      'a band without a lane, saying none is written',
      {
        rules: [rule('r', OK)],
        lanes: { bands: [{ from: 0, lane: 'release' }, { from: 30 }] },
      },
      {
        path: 'lanes.bands[1].lane',
        reason: /^expected one of release, review, hold, do-not-load, but none is written$/,
      },
    ],
    [
      'a higher band mapping to a milder lane',
      {
        rules: [rule('r', OK)],
        lanes: {
          bands: [
            { from: 0, lane: 'release' },
            { from: 30, lane: 'hold' },
            { from: 60, lane: 'review' },
          ],
        },
      },
      {
        path: 'lanes.bands[2].lane',
        reason: /a higher score cannot map to a milder lane \(review after hold\)/,
      },
    ],
    [
      'a hard hit listed twice',
      {
        rules: [rule('r', OK)],
        lanes: {
          bands: [{ from: 0, lane: 'release' }],
          hardHits: [
            { rule: 'r', lane: 'hold' },
            { rule: 'r', lane: 'review' },
          ],
        },
      },
      { path: 'lanes.hardHits[1].rule', reason: /rule r is listed twice/ },
    ],
    [
      'a hard hit on an unknown rule',
      {
        rules: [rule('r', OK)],
        lanes: { bands: [{ from: 0, lane: 'release' }], hardHits: [{ rule: 'ghost', lane: 'hold' }] },
      },
      { path: 'lanes.hardHits[0].rule', reason: /unknown rule ghost/ },
    ],
    [
      'a hard hit on a misspelled rule',
      {
        rules: [rule('cash-payment', OK)],
        lanes: {
          bands: [{ from: 0, lane: 'release' }],
          hardHits: [{ rule: 'cash-paymnet', lane: 'hold' }],
        },
      },
      {
        path: 'lanes.hardHits[0].rule',
        reason: /^unknown rule cash-paymnet; did you mean cash-payment\?$/,
      },
    ],
    [
      'a label with a line break',
      { rules: [rule('r', OK)], extra: { label: '2026.11\n-1' } },
      { path: 'label', reason: /^no control characters, bidirectional/ },
    ],
    [
      'a derived fact named with a hyphen, which no fact path can read (used in a reason alone)',
      {
        derived: { 'value-per-kg': { description: 'v', value: { fact: 'parcel.declaredGrossWeightKg' } } },
        rules: [rule('r', OK, { reason: 'value {derived.value-per-kg}' })],
      },
      {
        path: 'derived.value-per-kg',
        reason:
          /^a derived fact is read as derived\.<name>, so its name is letters and digits starting with a letter, such as valuePerKgCny: "value-per-kg" has "-"$/,
      },
    ],
    [
      'a derived fact named with a digit first',
      {
        derived: { '9ratio': { description: 'r', value: 9 } },
        rules: [rule('r', OK)],
      },
      { path: 'derived.9ratio', reason: /: "9ratio" starts with "9"$/ },
    ],
    [
      'a table named with a space, by its name rule',
      {
        tables: { 'cny rates': { description: 'd', match: 'exact', entries: { CNY: 1 } } },
        rules: [rule('r', OK)],
      },
      { path: 'tables.cny rates', reason: /^a name of letters, digits and -$/ },
    ],
    [
      'a missing required field',
      { rules: [rule('r', OK)], extra: { owner: undefined } },
      { path: 'owner', reason: /expected string/ },
    ],
  ])('rejects %s (rule-set level, no rule id)', (_name, parts, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      path: expected.path,
      reason: expect.stringMatching(expected.reason),
    });
  });

  it.each([
    [
      'a list with an unknown field',
      [list('origins', ['Ruili'], { expiry: '2027-01-01' })],
      'origins',
      '(root)',
      /unknown field expiry/,
    ],
    [
      'a list without values',
      [list('origins', [])],
      'origins',
      'values',
      /expected array to have >=1 items|Too small/,
    ],
    [
      'a list mixing text and numbers, at the number',
      [list('origins', ['Ruili', 3])],
      'origins',
      'values[1]',
      /mixes text and numbers/,
    ],
    [
      'a list defined twice',
      [list('origins', ['Ruili']), list('origins', ['Baise'])],
      'origins',
      'name',
      /list origins is defined twice/,
    ],
    [
      'a list that is not a watchlist holding objects',
      [list('origins', [{ country: 'CN', region: 'Yunnan', city: 'Ruili', line: '1 Jiegao Road' }])],
      'origins',
      'values',
      /list origins: only a watchlist of addresses or ID documents holds objects/,
    ],
    [
      'a list hashed but holding nothing',
      [list('origins', ['Ruili'], { hashed: true })],
      'origins',
      'hashed',
      /list origins is hashed but holds nothing/,
    ],
  ])('rejects %s, naming the list file', (_name, documents, name, path, reason) => {
    // Prepare
    const input = ruleSetInput({ lists: documents, rules: [rule('r', OK)], extra: { lists: [name] } });

    // Act
    const issues = issuesOf(() => compileRuleSet(input));

    // Assess
    expect(issues).toContainEqual({ file: listFile(name), path, reason: expect.stringMatching(reason) });
  });

  it.each<[string, Record<string, unknown>, { path: string; reason: string }[]]>([
    [
      'an HS code YAML read as a number among text, suggesting quotes',
      list('hs', ['940360', '940391', 940370]),
      [
        {
          path: 'values[2]',
          reason:
            'list hs mixes text and numbers: 940370 is a number, the other values text; quote it, "940370" (YAML reads a plain 0813 as the number 813: keep its leading zeros inside the quotes)',
        },
      ],
    ],
    [
      'several numbers among text, each at its index',
      list('hs', [4420, '940360', '940391', 940370]),
      [
        {
          path: 'values[0]',
          reason:
            'list hs mixes text and numbers: 4420 is a number, the other values text; quote it, "4420" (YAML reads a plain 0813 as the number 813: keep its leading zeros inside the quotes)',
        },
        {
          path: 'values[3]',
          reason:
            'list hs mixes text and numbers: 940370 is a number, the other values text; quote it, "940370" (YAML reads a plain 0813 as the number 813: keep its leading zeros inside the quotes)',
        },
      ],
    ],
    [
      'text among numbers',
      list('hs', [1, 2, '3']),
      [
        {
          path: 'values[2]',
          reason:
            'list hs mixes text and numbers: "3" is text, the other values numbers; write it as a number, unquoted',
        },
      ],
    ],
  ])('refuses %s, naming the entry', (_name, document, expected) => {
    // Prepare
    const input = ruleSetInput({ lists: [document], rules: [rule('r', OK)] });

    // Act
    const issues = issuesOf(() => compileRuleSet(input));

    // Assess
    expect(issues).toEqual(expected.map((issue) => ({ file: listFile('hs'), ...issue })));
  });

  it.each([
    ['effectiveFrom', '2026-06-01T08:00:00', ': a time without an offset (Z, +08:00) names no instant'],
    ['effectiveUntil', '2026-06-01 08:00:00Z', ''],
    ['effectiveFrom', '01/06/2026', ''],
  ])('says what a rule %s written %s is and must be, naming the rule and path', (field, written, why) => {
    // Prepare / Act
    const issues = issuesOf(() => compile(oneRule(OK, { [field]: written })));

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        ruleId: 'broken',
        path: `rules[1].${field}`,
        reason: `${JSON.stringify(written)} is not an ISO 8601 date (2026-06-01) or date-time with offset (2026-06-01T08:00:00Z)${why}`,
      },
    ]);
  });

  it('says a rule effectiveFrom written as a number must be text, once', () => {
    // Prepare / Act
    const issues = issuesOf(() => compile(oneRule(OK, { effectiveFrom: 20260601 })));

    // Assess
    expect(issues).toEqual([
      { file: RULE_SET_FILE, ruleId: 'broken', path: 'rules[1].effectiveFrom', reason: 'expected string' },
    ]);
  });

  it('says what a list expiry without an offset must be, naming the list file', () => {
    // Prepare
    const input = ruleSetInput({
      lists: [list('origins', ['Ruili'], { expires: '2027-01-01T00:00' })],
      rules: [rule('r', OK)],
    });

    // Act
    const issues = issuesOf(() => compileRuleSet(input));

    // Assess
    expect(issues).toEqual([
      {
        file: listFile('origins'),
        path: 'expires',
        reason:
          '"2027-01-01T00:00" is not an ISO 8601 date (2026-06-01) or date-time with offset (2026-06-01T08:00:00Z): a time without an offset (Z, +08:00) names no instant',
      },
    ]);
  });

  it.each<[string, unknown[], string, string]>([
    [
      'the same text twice',
      ['Ruili', 'Baise', 'Ruili'],
      'values[2]',
      'list origins: "Ruili" repeats values[0]',
    ],
    [
      'text equal after normalization (case, full-width)',
      ['Baise', 'Ruili', 'ＲＵＩＬＩ'],
      'values[2]',
      'list origins: "ＲＵＩＬＩ" repeats values[1] ("Ruili") after normalization',
    ],
    ['the same number twice', [3, 4, 3], 'values[2]', 'list origins: 3 repeats values[0]'],
  ])('refuses a list holding %s, naming the first occurrence', (_name, values, path, reason) => {
    // Prepare
    const input = ruleSetInput({ lists: [list('origins', values)], rules: [rule('r', OK)] });

    // Act
    const issues = issuesOf(() => compileRuleSet(input));

    // Assess
    expect(issues).toEqual([{ file: listFile('origins'), path, reason }]);
  });

  it('names a repeated value of a watchlist that reached the compiler unhashed by position only, never by value', () => {
    // Prepare: a watchlist the loader did not hash (it always does): its values are phone numbers in clear
    const phones = list('phones', ['+86 139 0000 0001', '+86 139 0000 0001'], { holds: 'phone' });
    const input = ruleSetInput({ lists: [phones], rules: [rule('r', OK)] });
    // Act
    const issues = issuesOf(() => compileRuleSet(input));
    // Assess
    expect(issues).toContainEqual({
      file: listFile('phones'),
      path: 'values[1]',
      reason: 'list phones: repeats values[0]',
    });
    expect(JSON.stringify(issues)).not.toContain('0000');
  });

  it('reports every issue at once, the first one in the message', () => {
    // Prepare
    const parts = {
      rules: [
        rule('a', { fact: 'parcel.nope', eq: 1 }),
        rule('b', { fact: 'parcel.pieceCount', contains: 'x' }),
      ],
    };

    // Act
    const run = () => compile(parts);

    // Assess
    expect(run).toThrow(
      /^rules\/test\/rule-set\.yaml \(rule a\) at rules\[0\]\.when\.fact: unknown fact parcel\.nope.*\(and 1 more\)$/,
    );
    expect(issuesOf(run)).toHaveLength(2);
  });

  it('throws an error with a stable code that is not retryable', () => {
    // Prepare / Act
    const error = (() => {
      try {
        compile({ rules: [rule('a', { fact: 'parcel.nope', eq: 1 })] });
      } catch (caught) {
        return caught as RuleSetError;
      }
    })();

    // Assess
    expect(error).toMatchObject({ name: 'RuleSetError', code: 'RULE_SET_INVALID', retryable: false });
  });
});

describe('what a rule does when it fires', () => {
  it('refuses only the rule with neither score, lane nor hard hit; score: 0, a lane or a hard hit is an effect', () => {
    // Prepare
    const parts: RuleSetParts = {
      rules: [
        rule('counts', OK, { score: 0 }),
        rule('forces', OK, { score: undefined, lane: 'review' }),
        rule('hard', OK, { score: undefined }),
        rule('forgotten', OK, { score: undefined }),
      ],
      lanes: { ...DEFAULT_LANES, hardHits: [{ rule: 'hard', lane: 'hold' }] },
    };

    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        ruleId: 'forgotten',
        path: 'rules[3].score',
        reason:
          'a rule needs a score, a lane, or a place in lanes.hardHits; write score: 0 for a rule that only counts',
      },
    ]);
  });
});

describe('regular expressions and case', () => {
  it('refuses a flag group clearing i, and nothing that only looks like one or leaves case alone', () => {
    // Prepare
    const matching = (id: string, pattern: string) =>
      rule(id, { fact: 'parcel.consignee.name', matches: pattern });
    const parts: RuleSetParts = {
      rules: [
        matching('insensitive-again', '(?i)^wang'),
        matching('dot-all', '(?s)^wang.+'),
        matching('in-a-class', '^[(?-i)]'),
        // A ] first in a class is a character, so the class runs on to the last ].
        matching('in-a-class-opening-with-bracket', '[](?-i)]'),
        matching('quoted', '\\Q(?-i)\\E'),
        matching('escaped-paren', '\\((?:x)?-i\\)'),
        matching('case-sensitive', '^x|(?m-i:^WANG)'),
      ],
    };

    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        ruleId: 'case-sensitive',
        path: 'rules[6].when.matches',
        reason:
          'regular expression ^x|(?m-i:^WANG): (?m-i:…) turns case-insensitive matching off, but text is lower-cased before it is matched, so a capital letter in the pattern could never match: remove the -i (matching is always case-insensitive)',
      },
    ]);
  });
});

describe('regular expressions and word boundaries', () => {
  it('refuses \\b or \\B in a pattern naming letters outside ASCII, which RE2 does not count as word characters', () => {
    // Prepare
    const matching = (id: string, pattern: string) =>
      rule(id, { fact: 'parcel.consignee.name', matches: pattern });
    const parts: RuleSetParts = {
      rules: [
        matching('ascii-word', '\\bteak\\b'),
        matching('spelled-out', '(?:^|[^\\pL\\pN])冰毒(?:$|[^\\pL\\pN])'),
        matching('quoted', '\\Q冰\\b\\E'),
        matching('escaped-backslash', '\\\\b冰'),
        matching('ascii-escape', '\\bx\\x{41}\\b'),
        matching('chinese-word', '\\b冰毒'),
        matching('accented-end', 'brød\\b'),
        matching('not-a-boundary', 'x|\\B𠀀'),
        matching('in-a-group', '\\b(?:冰毒|海洛因)\\b'),
        matching('by-escape', '\\b\\x{51B0}'),
        matching('by-class', '\\b\\p{Han}+\\b'),
        matching('in-a-class', '\\b[冰]毒'),
        matching('quoted-word', '\\Q冰毒\\E\\b'),
      ],
    };

    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    const refused = (index: number, ruleId: string, pattern: string, written: string, part: string) => ({
      file: RULE_SET_FILE,
      ruleId,
      path: `rules[${index}].when.matches`,
      reason: `regular expression ${pattern}: ${written} in a pattern with ${part}: RE2's word boundaries know only ASCII letters, digits and _ as word characters, so they do not mark where a word in other scripts begins or ends: write (?:^|[^\\pL\\pN]) before such a word and (?:$|[^\\pL\\pN]) after it, and match ASCII words with \\b in a condition of their own`,
    });
    expect(issues).toEqual([
      refused(5, 'chinese-word', '\\b冰毒', '\\b', '冰'),
      refused(6, 'accented-end', 'brød\\b', '\\b', 'ø'),
      refused(7, 'not-a-boundary', 'x|\\B𠀀', '\\B', '𠀀'),
      refused(8, 'in-a-group', '\\b(?:冰毒|海洛因)\\b', '\\b', '冰'),
      refused(9, 'by-escape', '\\b\\x{51B0}', '\\b', '\\x{51B0}'),
      refused(10, 'by-class', '\\b\\p{Han}+\\b', '\\b', '\\p{Han}'),
      refused(11, 'in-a-class', '\\b[冰]毒', '\\b', '冰'),
      refused(12, 'quoted-word', '\\Q冰毒\\E\\b', '\\b', '冰'),
    ]);
  });
});

describe('documents a schema cannot judge are refused, never thrown on', () => {
  /** `depth` nots around a condition. */
  const nots = (depth: number): unknown => (depth === 0 ? OK : { not: nots(depth - 1) });
  /** Derived facts d1 … dN, each computed from the next. */
  const chainOf = (length: number) =>
    Object.fromEntries(
      Array.from({ length }, (_, i) => [
        `d${i + 1}`,
        { description: 'link', value: i + 1 === length ? 1 : { fact: `derived.d${i + 2}` } },
      ]),
    );

  it.each<[string, RuleSetParts, { ruleId?: string; path: RegExp; reason: RegExp }]>([
    [
      'a condition nested deeper than the schema could parse',
      oneRule(nots(700)),
      {
        ruleId: 'broken',
        path: /^rules\[1\]\.when(\.not){97}$/,
        reason: /^nested more than 100 levels deep/,
      },
    ],
    [
      'a condition that contains itself (a YAML alias inside its own anchor)',
      (() => {
        const cyclic: Record<string, unknown> = {};
        cyclic.not = cyclic;
        return oneRule(cyclic);
      })(),
      { ruleId: 'broken', path: /^rules\[1\]\.when(\.not){97}$/, reason: /YAML alias inside its own anchor/ },
    ],
    [
      'a table key __proto__, which parsing would drop without a word',
      {
        rules: [rule('r', OK)],
        extra: JSON.parse(
          '{"tables": {"t": {"description": "d", "match": "exact", "entries": {"__proto__": 5}}}}',
        ),
      },
      { path: /^tables\.t\.entries\.__proto__$/, reason: /a key cannot be __proto__/ },
    ],
    [
      'a YAML merge key, which YAML 1.2 does not have',
      oneRule(OK, { '<<': { owner: 'tests', severity: 'low' } }),
      {
        ruleId: 'broken',
        path: /^rules\[1\]\.<<$/,
        reason:
          /^YAML merge keys \(<<: \*anchor\) are not supported: write the fields out \(an alias, \*anchor, may stand for a whole value\)$/,
      },
    ],
    [
      'a chain of 40 derived facts, each computed from the next',
      { derived: chainOf(40), rules: [rule('r', { fact: 'derived.d1', gt: 0 })] },
      { path: /^derived\.d\d+\.value/, reason: /is in a chain of more than 32 derived facts/ },
    ],
  ])('refuses %s', (_name, parts, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ...(expected.ruleId === undefined ? {} : { ruleId: expected.ruleId }),
      path: expect.stringMatching(expected.path),
      reason: expect.stringMatching(expected.reason),
    });
  });

  it('takes descriptions over several lines, with tabs', () => {
    // Prepare / Act
    const policy = compile({
      rules: [rule('r', OK, { description: 'first line\n\tsecond line' })],
      extra: { description: 'one\r\ntwo' },
    });

    // Assess
    expect(policy.enabledRuleIds).toEqual(['r']);
  });

  it('computes a chain of 32 derived facts', () => {
    // Prepare / Act
    const policy = compile({ derived: chainOf(32), rules: [rule('r', { fact: 'derived.d1', gt: 0 })] });

    // Assess
    expect(policy.evaluate(facts()).firedRules.map((fired) => fired.ruleId)).toEqual(['r']);
  });

  it('keeps every issue on one line, escaping the line breaks written in the file', () => {
    // Prepare / Act
    const issues = issuesOf(() =>
      compile(oneRule({ fact: 'parcel.route.origin.city', matches: 'a\nb(' }, {}, { extra: { 'x\ny': 1 } })),
    );

    // Assess
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(`${issue.path} ${issue.reason}`).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(issues.map((issue) => issue.reason)).toContainEqual(
      expect.stringContaining('unknown field x\\ny'),
    );
  });
});

describe('party keys meet only keys of their kind', () => {
  const SALT = 'load-errors-test-salt';
  const CLEAR_PHONE = '+8613900000001';
  const watchlist = (name: string, holds: string, key: string) => list(name, [key], { holds, hashed: true });
  const phones = watchlist('watched-phones', 'phone', hashIndicator('phone', CLEAR_PHONE, SALT));
  const addresses = watchlist('watched-addresses', 'address', hashIndicator('address', 'CN|a|b|c', SALT));
  const withLists = { lists: [origins, phones, addresses] };

  it.each<[string, unknown, Record<string, unknown>, { path: string; reason: RegExp }]>([
    [
      'a watchlist compared with a clear fact',
      { fact: 'parcel.consignee.phone', in: { list: 'watched-phones' } },
      {},
      {
        path: 'rules[1].when.in.list',
        reason: /list watched-phones holds hashed phone keys: compare it with parties\.phone/,
      },
    ],
    [
      'a party key compared with an ordinary list',
      { fact: 'parties.phone', in: { list: 'origins' } },
      {},
      {
        path: 'rules[1].when.in.list',
        reason: /parties\.phone is a hashed phone key, but list origins is not a watchlist/,
      },
    ],
    [
      'a party key compared with a watchlist of another kind',
      { fact: 'parties.phone', notIn: { list: 'watched-addresses' } },
      {},
      {
        path: 'rules[1].when.notIn.list',
        reason: /parties\.phone is a hashed phone key, but list watched-addresses holds address keys/,
      },
    ],
    [
      'a party key compared with clear literals',
      { fact: 'parties.phone', in: [hashIndicator('phone', '+8613900000002', SALT), CLEAR_PHONE] },
      {},
      {
        path: 'rules[1].when.in[1]',
        reason: /parties\.phone is a hashed phone key and this value is not one/,
      },
    ],
    [
      'a party key equal to a clear literal',
      { fact: 'parties.consignee', eq: CLEAR_PHONE },
      {},
      {
        path: 'rules[1].when.eq',
        reason: /parties\.consignee is a hashed consignee key and this value is not one/,
      },
    ],
    [
      'a party key equal to a key of another kind',
      { fact: 'parties.phone', eq: { fact: 'parties.consignee' } },
      {},
      {
        path: 'rules[1].when.eq.fact',
        reason: /parties\.consignee is a hashed consignee key, parties\.phone is a hashed phone key/,
      },
    ],
    [
      'a text search on a party key',
      { fact: 'parties.phone', startsWith: 'ph_' },
      {},
      {
        path: 'rules[1].when.startsWith',
        reason: /startsWith needs text, but parties\.phone is a hashed phone key/,
      },
    ],
    [
      'a text search with a watchlist',
      { fact: 'parcel.consignee.phone', containsAny: { list: 'watched-phones' } },
      {},
      { path: 'rules[1].when.containsAny.list', reason: /list watched-phones holds hashed phone keys/ },
    ],
    [
      'a table keyed by a party key',
      { fact: 'derived.byPhone', gt: 1 },
      {
        tables: { t: { description: 't', match: 'exact', entries: { a: 1 } } },
        derived: { byPhone: { description: 'x', value: { lookup: { table: 't', key: 'parties.phone' } } } },
      },
      {
        path: 'derived.byPhone.value.lookup.key',
        reason: /parties\.phone is a hashed phone key, it cannot key table t/,
      },
    ],
  ])('rejects %s, never echoing a clear value', (_name, when, parts, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ ...withLists, ...parts, ...oneRule(when) }));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ...(expected.path.startsWith('rules[') ? { ruleId: 'broken' } : {}),
      path: expected.path,
      reason: expect.stringMatching(expected.reason),
    });
    expect(JSON.stringify(issues)).not.toContain(CLEAR_PHONE);
  });

  it('compares a party key with a watchlist exactly: keys differing only in case are different keys', () => {
    // Prepare
    const key = hashIndicator('phone', CLEAR_PHONE, SALT);
    const policy = compile({
      ...withLists,
      ...oneRule({ fact: 'parties.phone', in: { list: 'watched-phones' } }),
    });
    const evaluate = (phone: string) =>
      policy.evaluate(facts({ parties: { phone } })).firedRules.map((fired) => fired.ruleId);

    // Act
    const exact = evaluate(key);
    const caseFolded = evaluate(key.toLowerCase());

    // Assess
    expect(key).not.toBe(key.toLowerCase());
    expect(exact).toContain('broken');
    expect(caseFolded).not.toContain('broken');
  });
});

describe('list files', () => {
  it('refuses a list file the rule set does not declare, naming that file: it would change the version and serve nothing', () => {
    // Act
    const issues = issuesOf(() =>
      compile({ rules: [rule('r', OK)], lists: [origins, words], extra: { lists: ['origins'] } }),
    );
    // Assess
    expect(issues).toEqual([
      {
        file: listFile('words'),
        path: 'name',
        reason: "list words is not declared in the rule set's lists: declare it, or remove the file",
      },
    ]);
  });
});
