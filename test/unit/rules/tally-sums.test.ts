import { describe, expect, it } from 'vitest';
import { followTallies } from '../../../functions/core/rules/cases/fact-invariants.js';
import { runCases } from '../../../functions/core/rules/cases/index.js';
import { boundedAmount, MAX_TALLY_AMOUNT } from '../../../functions/core/screening/tallies.js';
import {
  CNY_PER_UNIT,
  compile,
  editorRuleSet,
  editorTakes,
  facts,
  GOODS_VALUE_CNY,
  goodsLine,
  goodsOfValues,
  issuesOf,
  RULE_SET_FILE,
  type RuleSetParts,
  rule,
} from './rule-set-factory.js';

/**
 * Sum tallies, the language: `sum: <expression>` adds a number per parcel that meets `when` (the
 * declared value in CNY, a weight) instead of counting the parcel.
 */

const TABLES = {
  'cny-per-unit': CNY_PER_UNIT,
  risk: { description: 'origin risk', match: 'exact', entries: { Ruili: 3 } },
};
const DERIVED = {
  goodsValueCny: GOODS_VALUE_CNY,
  recent: { description: 'recent parcels', value: { fact: 'history.consignee.parcels7d' } },
};

const VALUE = { fact: 'derived.goodsValueCny' };
const LIGHT = { fact: 'parcel.measuredWeightKg', lt: 1 };

/** Declared value in CNY of light parcels (the baseline's, 0.82 kg), over 30 days. */
const valueOfLight = (extra: Record<string, unknown> = {}) => ({
  description: 'declared value in CNY of light parcels',
  days: 30,
  when: LIGHT,
  sum: VALUE,
  ...extra,
});

/** A rule set with these tallies, the tables and derived facts above, and a rule `first` every parcel fires. */
const withTallies = (tallies: Record<string, unknown>, parts: Partial<RuleSetParts> = {}): RuleSetParts => ({
  derived: DERIVED,
  tables: TABLES,
  ...parts,
  rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 })],
  extra: { tallies },
});

describe('sum tallies: what a parcel marks', () => {
  const policy = compile(withTallies({ value: valueOfLight(), every: valueOfLight({ when: undefined }) }));
  const [value, every] = policy.tallies;

  it.each<[string, unknown, (number | undefined)[]]>([
    ['the baseline parcel: 200 CNY, light', {}, [200, 200]],
    ['a line in USD, converted through the table', goodsOfValues([10, 'USD']), [71, 71]],
    ['lines in two currencies, added', goodsOfValues([200, 'CNY'], [10, 'USD']), [271, 271]],
    ['a declared value of 0: a mark of 0', goodsOfValues([0, 'CNY']), [0, 0]],
    [
      'a heavy parcel: when is false, only the tally without when',
      { parcel: { measuredWeightKg: 5 } },
      [undefined, 200],
    ],
    [
      'no measured weight: when is missing, only the tally without when',
      { parcel: { measuredWeightKg: null } },
      [undefined, 200],
    ],
    [
      'a currency the table lacks: the sum is missing, no mark',
      goodsOfValues([10, 'EUR']),
      [undefined, undefined],
    ],
    [
      'one line of an unknown currency among others: the sum is missing',
      goodsOfValues([200, 'CNY'], [10, 'EUR']),
      [undefined, undefined],
    ],
  ])('marks %s', (_name, patch, amounts) => {
    // Prepare
    const expected = [value!, every!].flatMap((tally, i) =>
      amounts[i] === undefined ? [] : [{ counter: tally.counter, amount: amounts[i] }],
    );

    // Act
    const marks = policy.tallyMarks(facts(patch));

    // Assess
    expect(marks).toEqual(expected);
  });

  it.each<[string, unknown, unknown, unknown]>([
    ['the baseline parcel', {}, { marked: true, amount: 200 }, { marked: true, amount: 200 }],
    [
      'a heavy parcel',
      { parcel: { measuredWeightKg: 5 } },
      { marked: false, whyNot: 'false' },
      { marked: true, amount: 200 },
    ],
    [
      'no measured weight',
      { parcel: { measuredWeightKg: null } },
      { marked: false, whyNot: 'missing' },
      { marked: true, amount: 200 },
    ],
    [
      'a currency the table lacks',
      goodsOfValues([10, 'EUR']),
      { marked: false, whyNot: { sumMissing: 'derived.goodsValueCny' } },
      { marked: false, whyNot: { sumMissing: 'derived.goodsValueCny' } },
    ],
  ])('gives the verdicts of %s, with the amount or why not', (_name, patch, ofValue, ofEvery) => {
    // Act
    const verdicts = policy.tallyVerdicts(facts(patch));

    // Assess
    expect(Object.fromEntries(verdicts)).toEqual({ value: ofValue, every: ofEvery });
  });

  it('tells a missing sum as written, an expression too', () => {
    // Prepare
    const written = compile(
      withTallies({
        pieces: valueOfLight({
          sum: {
            mul: [
              { fact: 'parcel.pieceCount' },
              { lookup: { table: 'risk', key: 'parcel.route.origin.city' } },
            ],
          },
        }),
      }),
    );

    // Act: from Shenzhen, which the risk table lacks
    const verdicts = written.tallyVerdicts(facts());

    // Assess
    expect(verdicts.get('pieces')).toEqual({
      marked: false,
      whyNot: { sumMissing: 'mul(parcel.pieceCount, lookup(risk, parcel.route.origin.city))' },
    });
    expect(written.tallyMarks(facts())).toEqual([]);
  });

  it('marks a counter once when two tallies sum the same thing over other windows', () => {
    // Prepare
    const twice = compile(withTallies({ month: valueOfLight(), week: valueOfLight({ days: 7 }) }));

    // Act
    const marks = twice.tallyMarks(facts(goodsOfValues([10, 'USD'])));
    const verdicts = twice.tallyVerdicts(facts(goodsOfValues([10, 'USD'])));

    // Assess
    expect(twice.tallies[0]!.counter).toBe(twice.tallies[1]!.counter);
    expect(marks).toEqual([{ counter: twice.tallies[0]!.counter, amount: 71 }]);
    expect(Object.fromEntries(verdicts)).toEqual({
      month: { marked: true, amount: 71 },
      week: { marked: true, amount: 71 },
    });
  });

  it('bounds an amount to what every store adds exactly, either sign, and says so in the verdict', () => {
    // Prepare: quantity × amount, 1e15 a line within the manifest contract, 10 lines: 1e16
    const lineValue = { mul: [{ fact: 'line.quantity' }, { fact: 'line.declaredValue.amount' }] };
    const value = { sum: { of: 'parcel.goods', as: 'line', value: lineValue } };
    const bounded = compile(
      withTallies({
        value: valueOfLight({ sum: value }),
        owed: valueOfLight({ sum: { sub: [0, value] } }),
      }),
    );
    const line = goodsLine({
      quantity: 1_000_000,
      declaredValue: { amount: 1_000_000_000, currency: 'CNY' },
    });
    const huge = facts({ parcel: { goods: Array.from({ length: 10 }, () => line) } });

    // Act
    const marks = bounded.tallyMarks(huge);
    const verdicts = bounded.tallyVerdicts(huge);

    // Assess
    expect(marks.map((mark) => mark.amount)).toEqual([MAX_TALLY_AMOUNT, -MAX_TALLY_AMOUNT]);
    expect(verdicts.get('value')).toEqual({ marked: true, amount: MAX_TALLY_AMOUNT });
    expect(MAX_TALLY_AMOUNT * 10 ** 6).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });

  it('bounds an amount beside MAX_TALLY_AMOUNT, rounded to 6 places as an arithmetic step is', () => {
    // Act
    const amounts = [0.1234567, -0.1234567, 5e16, -5e16, 12].map(boundedAmount);
    // Assess
    expect(amounts).toEqual([0.123457, -0.123457, MAX_TALLY_AMOUNT, -MAX_TALLY_AMOUNT, 12]);
  });

  it('declares a sum tally with sum true, and the others with sum false', () => {
    // Prepare
    const kinds = compile(
      withTallies({
        value: valueOfLight(),
        light: valueOfLight({ sum: undefined }),
        phones: valueOfLight({ sum: undefined, distinct: 'parties.phone' }),
      }),
    );

    // Act / Assess
    expect(kinds.tallies.map(({ id, distinct, sum }) => ({ id, distinct, sum }))).toEqual([
      { id: 'value', distinct: false, sum: true },
      { id: 'light', distinct: false, sum: false },
      { id: 'phones', distinct: true, sum: false },
    ]);
  });

  it('says in a case why a sum tally expected is not marked', () => {
    // Act
    const report = runCases(policy, [
      {
        file: 'rules/test/cases/sums.yaml',
        document: {
          cases: [
            {
              name: 'euros',
              facts: goodsOfValues([10, 'EUR']),
              expect: { lane: 'release', fired: ['first'], tallies: ['value'] },
            },
          ],
        },
      },
    ]);

    // Assess
    expect(report.results[0]?.failures).toEqual([
      'cases[0].expect.tallies: marked tallies differ: not marked [value] (value: its when is true, but its sum derived.goodsValueCny is missing on the parcel)',
    ]);
  });
});

describe('sum tallies: the counter', () => {
  const counterOf = (tally: Record<string, unknown>, parts: Partial<RuleSetParts> = {}) =>
    compile(withTallies({ value: tally }, parts)).tallies[0]!.counter;

  it('keeps the counters tallies without sum had before sums (computed on that code)', () => {
    // Prepare: as they were declared before sums, with a derived fact and a table their when reads
    const before = compile({
      rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 })],
      derived: { kg: { description: 'weight', unit: 'kg', value: { fact: 'parcel.declaredGrossWeightKg' } } },
      tables: { risk: TABLES.risk },
      extra: {
        tallies: {
          'from-ruili': {
            description: 'parcels from Ruili',
            days: 30,
            when: { fact: 'parcel.route.origin.city', in: ['Ruili', '瑞丽'] },
          },
          'light-risky': {
            description: 'light parcels from risky origins',
            days: 14,
            when: {
              all: [
                { fact: 'derived.kg', lt: 1 },
                { value: { lookup: { table: 'risk', key: 'parcel.route.origin.city' } }, gte: 1 },
              ],
            },
          },
          every: { description: 'every parcel', days: 7 },
        },
      },
    });

    // Act / Assess
    expect(before.tallies.map((tally) => tally.counter)).toEqual([
      '05686aeef0eb454b',
      '985db52431919756',
      'dc7f6419e7564286',
    ]);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a sum, beside the same when counted', valueOfLight({ sum: undefined }), valueOfLight()],
    ['another sum', valueOfLight(), valueOfLight({ sum: { fact: 'parcel.declaredGrossWeightKg' } })],
    [
      'a sum of 1, which counts what a tally without sum counts',
      valueOfLight({ sum: undefined }),
      valueOfLight({ sum: 1 }),
    ],
    [
      'a sum without when, beside every parcel counted',
      valueOfLight({ when: undefined, sum: undefined }),
      valueOfLight({ when: undefined }),
    ],
  ])('tells apart %s', (_name, one, other) => {
    // Act / Assess
    expect(counterOf(one)).not.toBe(counterOf(other));
  });

  const RISK_4 = { tables: { ...TABLES, risk: { ...TABLES.risk, entries: { Ruili: 4 } } } };
  const byRisk = (table = 'risk') => ({ lookup: { table, key: 'parcel.route.origin.city' } });
  const bySum = valueOfLight({ sum: byRisk() });

  it.each<[string, Record<string, unknown>, Partial<RuleSetParts>, Record<string, unknown>, boolean]>([
    [
      'the derived fact the sum reads',
      valueOfLight(),
      {
        derived: {
          ...DERIVED,
          goodsValueCny: { ...DERIVED.goodsValueCny, value: { fact: 'parcel.declaredGrossWeightKg' } },
        },
      },
      valueOfLight(),
      true,
    ],
    [
      "the derived fact's description",
      valueOfLight(),
      { derived: { ...DERIVED, goodsValueCny: { ...DERIVED.goodsValueCny, description: 'value' } } },
      valueOfLight(),
      false,
    ],
    [
      'the table the sum reads, for another of the same entries',
      bySum,
      { tables: { ...TABLES, other: TABLES.risk } },
      valueOfLight({ sum: byRisk('other') }),
      true,
    ],
    // A sum's marks are amounts fixed when made: a new rate applies from then on, and the sum goes on.
    [
      'an entry of a table only the sum reads, through its derived fact',
      valueOfLight(),
      { tables: { ...TABLES, 'cny-per-unit': { ...TABLES['cny-per-unit'], entries: { CNY: 1, USD: 7.2 } } } },
      valueOfLight(),
      false,
    ],
    ['an entry of a table only the sum reads itself', bySum, RISK_4, bySum, false],
    [
      'an entry of a table the when reads too',
      valueOfLight({ when: { value: byRisk(), gte: 1 }, sum: byRisk() }),
      RISK_4,
      valueOfLight({ when: { value: byRisk(), gte: 1 }, sum: byRisk() }),
      true,
    ],
    ['a table the tally does not read', valueOfLight(), RISK_4, valueOfLight(), false],
  ])('changing %s changes the counter: %s', (_name, tally, parts, changed, changes) => {
    // Act
    const after = counterOf(changed, parts);

    // Assess
    expect(after !== counterOf(tally)).toBe(changes);
  });
});

describe('sum tallies: load-time errors name the file, the tally and the JSON path', () => {
  it.each<[string, RuleSetParts, { path: string; reason: RegExp | string }[]]>([
    [
      'a sum beside distinct',
      withTallies({ value: valueOfLight({ distinct: 'parties.phone' }) }),
      [
        {
          path: 'tallies.value.sum',
          reason:
            'a tally counts parcels, distinct keys (distinct) or sums a number (sum), one of them: declare two tallies for distinct and sum',
        },
      ],
    ],
    [
      'a sum reading history',
      withTallies({ value: valueOfLight({ sum: { fact: 'history.address.parcels30d' } }) }),
      [
        {
          path: 'tallies.value.sum',
          reason:
            /^a tally counts what parcels are, so its sum cannot read history .*: it reads history\.address\.parcels30d$/,
        },
      ],
    ],
    [
      'a sum reading another tally',
      withTallies({
        light: valueOfLight({ sum: undefined }),
        value: valueOfLight({ sum: { fact: 'history.address.tallies.light' } }),
      }),
      [
        {
          path: 'tallies.value.sum',
          reason: /its sum cannot read history .*: it reads history\.address\.tallies\.light$/,
        },
      ],
    ],
    [
      'a sum reading history through a derived fact',
      withTallies({ value: valueOfLight({ sum: { add: [{ fact: 'derived.recent' }, 1] } }) }),
      [
        {
          path: 'tallies.value.sum',
          reason:
            /its sum cannot read history .*: it reads history\.consignee\.parcels7d through derived\.recent$/,
        },
      ],
    ],
    [
      'a when and a sum both reading history, each at its own path',
      withTallies({
        value: valueOfLight({
          when: { fact: 'derived.recent', gte: 1 },
          sum: { fact: 'history.phone.flags' },
        }),
      }),
      [
        { path: 'tallies.value.when', reason: /its when cannot read history .*through derived\.recent$/ },
        {
          path: 'tallies.value.sum',
          reason: /its sum cannot read history .*: it reads history\.phone\.flags$/,
        },
      ],
    ],
    [
      'a sum of text',
      withTallies({ value: valueOfLight({ sum: { fact: 'parcel.consignee.name' } }) }),
      [
        {
          path: 'tallies.value.sum.fact',
          reason: 'parcel.consignee.name is not a number, it cannot be used in arithmetic',
        },
      ],
    ],
    [
      'a sum of an unknown fact',
      withTallies({ value: valueOfLight({ sum: { fact: 'parcel.declaredValue' } }) }),
      [{ path: 'tallies.value.sum.fact', reason: /^unknown fact parcel\.declaredValue/ }],
    ],
    [
      'a sum written as a bare path, as a derived value written so is',
      withTallies({ value: valueOfLight({ sum: 'parcel.pieceCount' }) }),
      [
        {
          path: 'tallies.value.sum',
          reason: 'expected a number or an expression; a fact is written { fact: parcel.pieceCount }',
        },
      ],
    ],
  ])('refuses %s', (_name, parts, expected) => {
    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues.map(({ file, ruleId, path, reason }) => ({ file, ruleId, path, reason }))).toEqual(
      expected.map(({ path, reason }) => ({
        file: RULE_SET_FILE,
        ruleId: undefined,
        path,
        reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
      })),
    );
  });

  it("tells a bare path in a sum as it tells one in a derived fact's value", () => {
    // Act
    const [ofSum] = issuesOf(() =>
      compile(withTallies({ value: valueOfLight({ sum: 'parcel.pieceCount' }) })),
    );
    const [ofDerived] = issuesOf(() =>
      compile(
        withTallies(
          {},
          { derived: { ...DERIVED, pieces: { description: 'pieces', value: 'parcel.pieceCount' } } },
        ),
      ),
    );

    // Assess
    expect(ofDerived).toMatchObject({ path: 'derived.pieces.value' });
    expect(ofSum!.reason).toBe(ofDerived!.reason);
  });
});

describe("sum tallies in the editors' schema", () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['a sum tally', valueOfLight(), true],
    ['a sum without when', valueOfLight({ when: undefined }), true],
    ['a sum that is a number', valueOfLight({ sum: 1 }), true],
    ['a sum written as a bare path', valueOfLight({ sum: 'parcel.pieceCount' }), false],
    ['a sum beside distinct, as the loader', valueOfLight({ distinct: 'parties.phone' }), false],
  ])('takes %s: %s', (_name, tally, takes) => {
    // Prepare
    const document = {
      ...editorRuleSet('first', { fact: 'parcel.pieceCount', gte: 1 }),
      derived: DERIVED,
      tables: TABLES,
      tallies: { value: tally },
    };

    // Act / Assess
    expect(editorTakes(document)).toBe(takes);
  });
});

describe("a case's sum tallies are sums screening can give", () => {
  const policy = compile(
    withTallies({
      value: valueOfLight(),
      'value-week': valueOfLight({ days: 7, when: { all: [LIGHT] } }),
      light: valueOfLight({ sum: undefined }),
      phones: valueOfLight({ sum: undefined, distinct: 'parties.phone' }),
    }),
  );
  const failuresOf = (history: unknown) =>
    runCases(policy, [
      {
        file: 'rules/test/cases/sums.yaml',
        document: {
          cases: [{ name: 'sums', facts: { history }, expect: { lane: 'release', fired: ['first'] } }],
        },
      },
    ]).results[0]?.failures;

  it.each<[string, unknown]>([
    ['a sum with decimals', { address: { tallies: { value: 1234.5 } } }],
    [
      'a sum far above the parcels, which bound no sum',
      { address: { parcels30d: 1, tallies: { value: 50000 } } },
    ],
    ['a negative sum, which a sum expression may give', { address: { tallies: { value: -50 } } }],
    // The baseline's known address has no parcels in 7 days: left out, they follow the sum.
    ['a 7-day sum on parcels7d left out', { address: { tallies: { 'value-week': 300 } } }],
    ['a sum of 0 on a party not known', { address: { known: false, tallies: { value: 0 } } }],
    [
      'a party not known whose parcels are written',
      { address: { known: false, parcels30d: 1, tallies: { value: 500 } } },
    ],
    ['a sum of 0 on a party the parcel has no key for', { idDocument: { tallies: { value: 0 } } }],
  ])('takes %s', (_name, history) => {
    // Act / Assess
    expect(failuresOf(history)).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    [
      'a sum on a party not known',
      { address: { known: false, tallies: { value: 1234.5 } } },
      [
        "cases[0].facts.history.address.tallies.value: 1234.5, but parcels30d is 0: a sum tally adds up what the address's parcels that met its when gave, so one other than 0 has one at least, and a party not known has none (known: false gives no parcels; write parcels30d if the parcels were recorded after now)",
      ],
    ],
    [
      'a sum with no parcels written in its window',
      { consignee: { parcels7d: 0, tallies: { 'value-week': -20 } } },
      [
        "cases[0].facts.history.consignee.tallies.value-week: -20, but parcels7d is 0: a sum tally adds up what the consignee's parcels that met its when gave, so one other than 0 has one at least, and the 7 days of parcels7d hold its 7, so parcels over them at least 1",
      ],
    ],
    [
      'a count with decimals',
      { address: { tallies: { light: 1.5 } } },
      [
        'cases[0].facts.history.address.tallies.light: expected a whole number not below 0, not 1.5: a tally without sum counts parcels (a tally with sum takes any number)',
      ],
    ],
    [
      'a negative count of distinct keys',
      { phone: { tallies: { phones: -1 } } },
      [
        'cases[0].facts.history.phone.tallies.phones: expected a whole number not below 0, not -1: a distinct tally counts keys (a tally with sum takes any number)',
      ],
    ],
    [
      'a sum written as text',
      { address: { tallies: { value: '1234.5' } } },
      [
        'cases[0].facts.history.address.tallies.value: expected a number, not "1234.5"',
        'cases[0].facts: more may follow once these are fixed: some checks need what these name to be right first',
      ],
    ],
    [
      'an infinite sum (.inf in YAML), told once, as a sum',
      { address: { tallies: { value: Number.POSITIVE_INFINITY } } },
      [
        'cases[0].facts.history.address.tallies.value: expected a number, not Infinity',
        'cases[0].facts: more may follow once these are fixed: some checks need what these name to be right first',
      ],
    ],
    [
      'a sum on a party the parcel has no key for',
      { idDocument: { tallies: { value: 99.9, light: 0 } } },
      [
        'cases[0].facts.history.idDocument.tallies: {"value":99.9}, but the parcel carries no consignee ID document: screening gives an empty idDocument history without one (write parcel.consignee.idDocument)',
      ],
    ],
  ])('refuses %s, naming the tally', (_name, history, failures) => {
    // Act / Assess
    expect(failuresOf(history)).toEqual(failures);
  });

  it.each<[string, unknown, Record<string, number>]>([
    [
      'a 7-day sum: 1 parcel in 7 days, the larger windows as they were',
      { 'value-week': 300 },
      { parcels7d: 1, parcels30d: 2, parcels90d: 5 },
    ],
    ['a sum of 0: none', { 'value-week': 0 }, { parcels7d: 0, parcels30d: 2, parcels90d: 5 }],
    ['a negative sum: 1 parcel too', { 'value-week': -3.25 }, { parcels7d: 1, parcels30d: 2, parcels90d: 5 }],
    [
      'a sum above the parcels: no more than 1',
      { value: 1234.5 },
      { parcels7d: 0, parcels30d: 2, parcels90d: 5 },
    ],
    [
      'a count beside it: its own',
      { 'value-week': 300, light: 4 },
      { parcels7d: 1, parcels30d: 4, parcels90d: 5 },
    ],
  ])('raises the parcel counts left out to hold %s', (_name, tallies, counts) => {
    // Prepare: the baseline's known address has 0, 2 and 5 parcels in 7, 30 and 90 days
    const patch = { history: { address: { tallies } } };

    // Act
    const followed = followTallies(facts(patch), patch, policy.tallies);

    // Assess
    const { parcels7d, parcels30d, parcels90d } = followed.history.address;
    expect({ parcels7d, parcels30d, parcels90d }).toEqual(counts);
  });
});
