import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCases } from '../../../functions/core/rules/cases/index.js';
import { ruleSetJsonSchemas } from '../../../functions/core/rules/index.js';
import { CNY_PER_UNIT, compile, GOODS_VALUE_CNY, goodsLine, rule } from './rule-set-factory.js';

/**
 * `expect.tallies` as a map, `{ <tally id>: <what this parcel adds> }`: a case checks what a sum tally
 * adds (the declared value in CNY, not in its currency; the measured weight, not the declared), which
 * the list of tallies marked cannot, so a sum summing the wrong thing fails a case.
 */

const TABLES = {
  'cny-per-unit': CNY_PER_UNIT,
};
const DERIVED = {
  goodsValueCny: GOODS_VALUE_CNY,
};
const LIGHT = { fact: 'parcel.measuredWeightKg', lt: 1 };
const VALUE = { fact: 'derived.goodsValueCny' };
const light = (extra: Record<string, unknown> = {}) => ({
  description: 'light parcels',
  days: 30,
  when: LIGHT,
  ...extra,
});

/** A sum, its negative, a count and a distinct count, all of light parcels (the baseline's, 0.82 kg). */
const policy = compile({
  derived: DERIVED,
  tables: TABLES,
  rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 })],
  extra: {
    tallies: {
      value: light({ sum: VALUE }),
      owed: light({ sum: { sub: [0, VALUE] } }),
      count: light(),
      phones: light({ distinct: 'parties.phone' }),
    },
  },
});

const goods = (...lines: [number, string][]) => ({
  parcel: { goods: lines.map(([amount, currency]) => goodsLine({ declaredValue: { amount, currency } })) },
});

const casesOf = (cases: { facts?: unknown; tallies: unknown }[]) => ({
  file: 'rules/test/cases/amounts.yaml',
  document: {
    cases: cases.map((one, index) => ({
      name: `case ${index}`,
      facts: one.facts ?? {},
      expect: { lane: 'release', fired: ['first'], tallies: one.tallies },
    })),
  },
});
const failuresOf = (facts: unknown, tallies: unknown) =>
  runCases(policy, [casesOf([{ facts, tallies }])]).results[0]?.failures;

/** What the baseline parcel adds: 200 CNY, marked by every tally. */
const BASELINE = { value: 200, owed: -200, count: true, phones: true };

describe('expect.tallies as a map: what the parcel adds to each tally', () => {
  it.each<[string, unknown, Record<string, unknown>]>([
    ['the baseline parcel, 200 CNY', {}, BASELINE],
    ['a line in USD, converted', goods([10, 'USD']), { ...BASELINE, value: 71, owed: -71 }],
    [
      'lines of 0.1 CNY and 0.2 CNY, added exactly',
      goods([0.1, 'CNY'], [0.2, 'CNY']),
      { ...BASELINE, value: 0.3, owed: -0.3 },
    ],
    ['a parcel that adds 0, marked', goods([0, 'CNY']), { ...BASELINE, value: 0, owed: 0 }],
    ['a heavy parcel, which marks none', { parcel: { measuredWeightKg: 5 } }, {}],
  ])('passes on %s', (_name, facts, tallies) => {
    // Act / Assess
    expect(failuresOf(facts, tallies)).toEqual([]);
  });

  it.each<[string, unknown, Record<string, unknown>, string[]]>([
    [
      'a sum that adds another amount, as a sum in the wrong currency would',
      goods([30, 'USD']),
      { ...BASELINE, value: 30, owed: -213 },
      ['cases[0].expect.tallies: value adds 213, not 30'],
    ],
    [
      'a sum of 0 expected where the parcel adds its value',
      {},
      { ...BASELINE, value: 0, owed: 0 },
      ['cases[0].expect.tallies: value adds 200, not 0', 'cases[0].expect.tallies: owed adds -200, not 0'],
    ],
    [
      'a sum of 0 expected where the parcel marks nothing: not marked is not 0',
      goods([10, 'EUR']),
      { ...BASELINE, value: 0, owed: 0 },
      [
        'cases[0].expect.tallies: marked tallies differ: not marked [value, owed] (value: its when is true, but its sum derived.goodsValueCny is missing on the parcel; owed: its when is true, but its sum sub(0, derived.goodsValueCny) is missing on the parcel)',
      ],
    ],
    [
      'an amount of more than 6 decimal places',
      {},
      { ...BASELINE, value: 200.0000001 },
      ['cases[0].expect.tallies: value adds 200, not 200.0000001 (an amount is rounded to 6 decimal places)'],
    ],
    [
      'an amount above what one parcel adds',
      goods([1_000_000_000, 'CNY'], [1_000_000_000, 'CNY']),
      { ...BASELINE, value: 2e9, owed: -2e9 },
      [
        'cases[0].expect.tallies: value adds 1000000000, not 2000000000 (one parcel adds at most 1000000000, either sign)',
        'cases[0].expect.tallies: owed adds -1000000000, not -2000000000 (one parcel adds at most 1000000000, either sign)',
      ],
    ],
    [
      'a tally marked that the map leaves out, beside an amount that differs',
      {},
      { value: 100, owed: -200, count: true },
      [
        'cases[0].expect.tallies: marked tallies differ: unexpected [phones]',
        'cases[0].expect.tallies: value adds 200, not 100',
      ],
    ],
  ])('fails %s', (_name, facts, tallies, failures) => {
    // Act / Assess
    expect(failuresOf(facts, tallies)).toEqual(failures);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'a sum tally given true, not what it adds',
      { ...BASELINE, value: true },
      [
        'cases[0].expect.tallies.value: value is a sum tally: write the number this parcel adds to it (0 when it adds 0), not true',
      ],
    ],
    [
      'a count given a number',
      { ...BASELINE, count: 1 },
      [
        'cases[0].expect.tallies.count: count counts parcels: write true when this parcel marks it, not 1 (a number is what a parcel adds to a sum tally)',
      ],
    ],
    [
      'a distinct count given a number',
      { ...BASELINE, phones: 1 },
      [
        'cases[0].expect.tallies.phones: phones counts distinct keys: write true when this parcel marks it, not 1 (a number is what a parcel adds to a sum tally)',
      ],
    ],
    [
      'an id that names no tally',
      { ...BASELINE, valu: 200 },
      [
        "cases[0].expect.tallies.valu: unknown tally valu; the rule set's tallies: value, owed, count, phones; did you mean value?",
      ],
    ],
  ])('refuses %s, and compares nothing', (_name, tallies, failures) => {
    // Act / Assess
    expect(failuresOf({}, tallies)).toEqual(failures);
  });

  it.each<[string, unknown, string]>([
    [
      'false',
      false,
      'expected true (this parcel marks the tally) or the number it adds to a sum tally, not false: leave out a tally the parcel does not mark',
    ],
    [
      'text',
      '200',
      'expected true (this parcel marks the tally) or the number it adds to a sum tally, not "200"',
    ],
  ])('refuses a value of %s as the case file’s issue', (_name, value, reason) => {
    // Act
    const report = runCases(policy, [casesOf([{ tallies: { ...BASELINE, value } }])]);

    // Assess
    expect(report.invalidCaseFiles).toEqual([
      expect.objectContaining({ path: 'cases[0].expect.tallies.value', reason }),
    ]);
  });

  it('counts a case in the map form towards every tally being marked', () => {
    // Act
    const report = runCases(policy, [casesOf([{ tallies: BASELINE }])]);

    // Assess
    expect(report.results[0]?.expectsTallies).toBe(true);
    expect(report.unmarkedTallies).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('takes the list form as before, the amounts not compared', () => {
    // Act
    const report = runCases(policy, [casesOf([{ tallies: ['phones', 'value', 'count', 'owed'] }])]);

    // Assess
    expect(report.results[0]?.failures).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('compares the amount of every id of a counter two sums share', () => {
    // Prepare: the same sum over two windows
    const shared = compile({
      derived: DERIVED,
      tables: TABLES,
      rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 })],
      extra: { tallies: { month: light({ sum: VALUE }), week: light({ sum: VALUE, days: 7 }) } },
    });

    // Act
    const report = runCases(shared, [
      casesOf([{ facts: goods([10, 'USD']), tallies: { month: 71, week: 70 } }]),
    ]);

    // Assess
    expect(report.results[0]?.failures).toEqual(['cases[0].expect.tallies: week adds 71, not 70']);
  });
});

describe("expect.tallies as a map in the editors' schema", () => {
  const cases = z.fromJSONSchema(ruleSetJsonSchemas().cases as z.core.JSONSchema.JSONSchema);
  const takes = (tallies: unknown) =>
    cases.safeParse({ cases: [{ name: 'a case', expect: { lane: 'release', fired: [], tallies } }] }).success;

  it.each<[string, unknown, boolean]>([
    ['a list of ids', ['value', 'count'], true],
    ['a map of amounts and true', { value: 200.5, owed: -3, count: true }, true],
    ['a map with false', { value: 200, count: false }, false],
    ['a map with text', { value: '200' }, false],
    ['a map keyed by an id that is not kebab-case', { Value: 200 }, false],
  ])('takes %s: %s', (_name, tallies, taken) => {
    // Act / Assess
    expect(takes(tallies)).toBe(taken);
  });
});
