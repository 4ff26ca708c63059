import { describe, expect, it } from 'vitest';
import { hashIndicator } from '../../../functions/core/parties/party-keys.js';
import { compile, facts, goodsLine, issuesOf, list, RULE_SET_FILE, rule } from './rule-set-factory.js';

const goods = (...lines: Record<string, unknown>[]) => ({
  parcel: { goods: lines.map((line) => goodsLine(line)) },
});
const someLine = (where: unknown) => ({ some: { of: 'parcel.goods', as: 'line', where } });
const lists = [
  list('words', ['rosewood', 'Carved', '红木']),
  list('hs', ['94', '9403', '4420']),
  list('origins', ['Ruili', '瑞丽市']),
  list('counts', [3, 5]),
];

/** Fires one rule with `reason` on the patched baseline; its reason and values. */
const fired = (when: unknown, reason: string, patch: unknown = {}) => {
  const policy = compile({ lists, rules: [rule('r', when, { reason })] });
  const [result] = policy.evaluate(facts(patch)).firedRules;
  return { reason: result?.reason, values: result?.values };
};

describe('a condition on a set or list records the value that matched, which {matched} shows', () => {
  it.each<[string, unknown, unknown, [string, string], Record<string, unknown>]>([
    [
      'containsAny on a list: the first value of the list the text contains, as written',
      someLine({ fact: 'line.description', containsAny: { list: 'words' } }),
      goods({ description: 'CARVED ROSEWOOD chair' }),
      ['names wooden goods ({matched})', 'names wooden goods (rosewood)'],
      {
        'matched(parcel.goods[0].description)': 'rosewood',
        'parcel.goods[0].description': 'CARVED ROSEWOOD chair',
      },
    ],
    [
      'containsAnyWord on literals, as written in the rule',
      someLine({ fact: 'line.description', containsAnyWord: ['teak', 'ＴＥＡ'] }),
      goods({ description: 'Steam iron' }, { description: '普洱Tea' }),
      ['names wooden goods ({matched})', 'names wooden goods (ＴＥＡ)'],
      { 'matched(parcel.goods[1].description)': 'ＴＥＡ', 'parcel.goods[1].description': '普洱Tea' },
    ],
    [
      'startsWith on a list: the longest prefix',
      someLine({ fact: 'line.hsCode', startsWith: { list: 'hs' } }),
      goods({ hsCode: '940360' }),
      ['HS {line.hsCode} starts with {matched}', 'HS 940360 starts with 9403'],
      { 'matched(parcel.goods[0].hsCode)': '9403', 'parcel.goods[0].hsCode': '940360' },
    ],
    [
      'startsWith on several literals',
      someLine({ fact: 'line.hsCode', startsWith: ['4420', '3926'] }),
      {},
      ['HS {line.hsCode} starts with {matched}', 'HS 392690 starts with 3926'],
      { 'matched(parcel.goods[0].hsCode)': '3926', 'parcel.goods[0].hsCode': '392690' },
    ],
    [
      'in on a text list, the list value as written',
      { fact: 'parcel.route.origin.city', in: { list: 'origins' } },
      { parcel: { route: { origin: { city: 'ＲＵＩＬＩ' } } } },
      ['origin on the list as {matched}', 'origin on the list as Ruili'],
      { 'matched(parcel.route.origin.city)': 'Ruili', 'parcel.route.origin.city': 'ＲＵＩＬＩ' },
    ],
    [
      'in on a number list',
      { fact: 'parcel.pieceCount', in: { list: 'counts' } },
      { parcel: { pieceCount: 5 } },
      ['{matched} pieces', '5 pieces'],
      { 'matched(parcel.pieceCount)': 5, 'parcel.pieceCount': 5 },
    ],
    [
      'in on an enum',
      { fact: 'parcel.paymentMethod', in: ['cash', 'cash-on-delivery'] },
      { parcel: { paymentMethod: 'cash-on-delivery' } },
      ['paid by {matched}', 'paid by cash-on-delivery'],
      { 'matched(parcel.paymentMethod)': 'cash-on-delivery', 'parcel.paymentMethod': 'cash-on-delivery' },
    ],
  ])('%s', (_name, when, patch, [template, reason], values) => {
    // Prepare / Act
    const result = fired(when, template, patch);

    // Assess
    expect(result.reason).toBe(reason);
    expect(result.values).toEqual(values);
  });

  it('shows the witness element’s value and records each deciding element’s, up to five', () => {
    // Prepare
    const when = someLine({ fact: 'line.description', containsAny: { list: 'words' } });
    const patch = goods(
      { description: 'phone case' },
      { description: '红木雕花茶几' },
      { description: 'carved box' },
    );

    // Act
    const result = fired(when, '"{line.description}" names wooden goods ({matched})', patch);

    // Assess
    expect(result.reason).toBe('"红木雕花茶几" names wooden goods (红木)');
    expect(result.values).toEqual({
      'parcel.goods[1].description': '红木雕花茶几',
      'matched(parcel.goods[1].description)': '红木',
      'parcel.goods[2].description': 'carved box',
      'matched(parcel.goods[2].description)': 'Carved',
    });
  });

  it('shows n/a, not a later element’s value, when the element {line.…} shows matched nothing', () => {
    // Prepare: two quantifiers bind line; {line.…} shows the first one's element (the chair), and the
    // rosewood box matched in the second one's: "chair: rosewood" would say the chair matched rosewood.
    const when = {
      all: [
        someLine({ fact: 'line.quantity', gt: 50 }),
        someLine({ fact: 'line.description', containsAny: ['rosewood'] }),
      ],
    };
    const patch = goods(
      { description: 'chair', quantity: 100 },
      { description: 'rosewood box', quantity: 1 },
    );

    // Act
    const result = fired(when, '{line.description}: {matched}', patch);

    // Assess
    expect(result.reason).toBe('chair: n/a');
    expect(result.values).toMatchObject({ 'matched(parcel.goods[1].description)': 'rosewood' });
  });

  it.each<[string, unknown, unknown, string]>([
    [
      'a condition beside others in an all',
      {
        all: [
          { fact: 'parcel.route.origin.city', in: { list: 'origins' } },
          { fact: 'parcel.pieceCount', eq: 1 },
        ],
      },
      { parcel: { route: { origin: { city: 'Ruili' } }, pieceCount: 1 } },
      'Ruili',
    ],
    [
      'the one part of an any',
      { any: [someLine({ fact: 'line.description', containsAny: { list: 'words' } })] },
      goods({ description: 'carved box' }),
      'Carved',
    ],
    [
      'a part of an any under not, which fires when every part is false',
      {
        not: {
          any: [
            { not: { fact: 'parcel.route.origin.city', in: { list: 'origins' } } },
            { fact: 'parcel.pieceCount', eq: 2 },
          ],
        },
      },
      { parcel: { route: { origin: { city: 'Ruili' } }, pieceCount: 1 } },
      'Ruili',
    ],
    [
      'the where of an every under not, the first element it fails on',
      {
        not: {
          every: {
            of: 'parcel.goods',
            as: 'line',
            where: { not: { fact: 'line.description', containsAny: { list: 'words' } } },
          },
        },
      },
      goods({ description: 'phone case' }, { description: '红木 box' }),
      '红木',
    ],
  ])('shows the value for %s, which the rule cannot fire without', (_name, when, patch, shown) => {
    // Prepare / Act
    const result = fired(when, 'matched {matched}', patch);

    // Assess
    expect(result.reason).toBe(`matched ${shown}`);
  });

  it('records nothing when the reason does not show {matched}, so a rule fires at no extra cost', () => {
    // Prepare
    const when = someLine({ fact: 'line.description', containsAny: { list: 'words' } });

    // Act
    const result = fired(when, 'names wooden goods', goods({ description: 'Carved box' }));

    // Assess
    expect(result.values).toEqual({ 'parcel.goods[0].description': 'Carved box' });
  });

  it('records nothing for a condition the rule fires on being false', () => {
    // Prepare
    const when = { not: { fact: 'parcel.route.origin.city', in: { list: 'origins' } } };

    // Act
    const result = fired(when, 'origin not listed');

    // Assess
    expect(result.values).toEqual({ 'parcel.route.origin.city': 'Shenzhen' });
  });

  it('records nothing for a party key on a watchlist: its key is recorded already', () => {
    // Prepare
    const key = hashIndicator('phone', '+8613800000000', 'salt');
    const policy = compile({
      lists: [list('phones', [key], { holds: 'phone', hashed: true })],
      rules: [rule('r', { fact: 'parties.phone', in: { list: 'phones' } })],
    });
    const patch = { parties: { phone: key } };

    // Act
    const [result] = policy.evaluate(facts(patch)).firedRules;

    // Assess
    expect(result?.values).toEqual({ 'parties.phone': key });
  });
});

describe('{matched} refused at load time, naming file, rule and path', () => {
  it.each<[string, unknown, string, RegExp]>([
    [
      'a rule without a condition on a set or list',
      { fact: 'parcel.pieceCount', eq: 1 },
      '{matched}',
      /^\{matched\} needs a condition of the rule that matches a value of a set or list/,
    ],
    [
      'a rule whose only such condition is under a not',
      { not: { fact: 'parcel.route.origin.city', in: { list: 'origins' } } },
      '{matched}',
      /this rule has none/,
    ],
    [
      'a rule whose only such condition is in a count',
      {
        value: {
          count: {
            of: 'parcel.goods',
            as: 'line',
            where: { fact: 'line.hsCode', startsWith: { list: 'hs' } },
          },
        },
        gt: 0,
      },
      '{matched}',
      /this rule has none/,
    ],
    [
      'a single prefix, which the rule says itself',
      someLine({ fact: 'line.hsCode', startsWith: '94' }),
      '{matched}',
      /this rule has none/,
    ],
    [
      'two conditions that could each supply it',
      {
        any: [
          { fact: 'parcel.route.origin.city', in: { list: 'origins' } },
          { fact: 'parcel.shipper.address.city', in: { list: 'origins' } },
        ],
      },
      '{matched}',
      /^\{matched\} could be the value matched by any of rules\[0\]\.when\.any\[0\]\.in, rules\[0\]\.when\.any\[1\]\.in: a reason shows the value of exactly one/,
    ],
    [
      'one condition inside an every, where each element matched its own value',
      {
        every: { of: 'parcel.goods', as: 'line', where: { fact: 'line.hsCode', startsWith: { list: 'hs' } } },
      },
      '{matched}',
      /^\{matched\}: rules\[0\]\.when\.every\.where\.startsWith is inside an every, which every element decides/,
    ],
    [
      'one part of an any, where the first element fired through another part (the probe of "chair: rosewood")',
      someLine({
        any: [
          { fact: 'line.description', containsAny: ['rosewood'] },
          { fact: 'line.quantity', gt: 50 },
        ],
      }),
      '{line.description}: {matched}',
      /^\{matched\}: rules\[0\]\.when\.some\.where\.any\[0\]\.containsAny is one of the parts of rules\[0\]\.when\.some\.where\.any, an any, so the rule can fire through another part without it matching, and the reason would show n\/a; split the rule into one rule per part, or move the condition out of the any$/,
    ],
    [
      'one part of an any with a part that does not compare',
      {
        any: [
          { fact: 'parcel.route.origin.city', in: { list: 'origins' } },
          { fact: 'parcel.pieceCount', gt: 0 },
        ],
      },
      'matched {matched}',
      /^\{matched\}: rules\[0\]\.when\.any\[0\]\.in is one of the parts of rules\[0\]\.when\.any, an any,/,
    ],
    [
      'a some inside an any, however deep',
      {
        all: [
          { fact: 'parcel.pieceCount', gt: 0 },
          {
            any: [
              { fact: 'parcel.pieceCount', gt: 5 },
              { all: [someLine({ fact: 'line.description', containsAny: { list: 'words' } })] },
            ],
          },
        ],
      },
      '{matched}',
      /^\{matched\}: rules\[0\]\.when\.all\[1\]\.any\[1\]\.all\[0\]\.some\.where\.containsAny is one of the parts of rules\[0\]\.when\.all\[1\]\.any, an any,/,
    ],
    [
      'one part of an all under not, which fires when any one part is false',
      {
        not: {
          all: [
            { not: { fact: 'parcel.route.origin.city', in: { list: 'origins' } } },
            { fact: 'parcel.pieceCount', eq: 1 },
          ],
        },
      },
      '{matched}',
      /^\{matched\}: rules\[0\]\.when\.not\.all\[0\]\.not\.in is one of the parts of rules\[0\]\.when\.not\.all, an all under not, .* or move the condition out of the all under not$/,
    ],
    [
      'decimals on {matched}',
      { fact: 'parcel.pieceCount', in: { list: 'counts' } },
      '{matched:0}',
      /^\{matched:0\}: \{matched\} shows a value as written; decimals are for numbers$/,
    ],
  ])('refuses %s', (_name, when, reason, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ lists, rules: [rule('r', when, { reason })] }));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ruleId: 'r',
      path: 'rules[0].reason',
      reason: expect.stringMatching(expected),
    });
  });

  it('refuses matched as a quantifier variable, which {matched} names', () => {
    // Prepare / Act
    const issues = issuesOf(() =>
      compile({
        rules: [
          rule('r', {
            some: { of: 'parcel.goods', as: 'matched', where: { fact: 'matched.quantity', gt: 1 } },
          }),
        ],
      }),
    );

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ruleId: 'r',
      path: 'rules[0].when.some.as',
      reason: 'matched is a reserved name, choose another variable',
    });
  });
});
