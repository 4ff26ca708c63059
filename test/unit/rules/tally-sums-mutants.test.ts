import { describe, expect, it } from 'vitest';
import { tallyMarksOf } from '../../../functions/core/parties/history-model.js';
import type { TallyMark } from '../../../functions/core/screening/tallies.js';
import { CNY_PER_UNIT, compile, facts, LINE_VALUE_CNY, type RuleSetParts, rule } from './rule-set-factory.js';

/**
 * Sum tallies, pinned where a mutation round found the other tests silent: the counter a sum tally
 * stores its marks under, the amount a mark carries, and what a parcel's marks add to a day bucket.
 */

const TABLES = {
  'cny-per-unit': CNY_PER_UNIT,
};
const valueCny = (value: unknown) => ({
  goodsValueCny: { description: 'declared value of all goods lines in CNY', unit: 'CNY', value },
});
const DERIVED = valueCny({ sum: { of: 'parcel.goods', as: 'line', value: LINE_VALUE_CNY } });

/** Declared value in CNY of light parcels, over 30 days. */
const VALUE_OF_LIGHT = {
  description: 'declared value in CNY of light parcels',
  days: 30,
  when: { fact: 'parcel.measuredWeightKg', lt: 1 },
  sum: { fact: 'derived.goodsValueCny' },
};

const counterOf = (tally: Record<string, unknown>, parts: Partial<RuleSetParts> = {}) =>
  compile({
    derived: DERIVED,
    tables: TABLES,
    ...parts,
    rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 })],
    extra: { tallies: { value: tally } },
  }).tallies[0]!.counter;

describe('sum tallies: the counter, pinned', () => {
  it('keeps the counter of a sum tally (its marks are stored under it: another one starts the sum from 0)', () => {
    // Act / Assess
    expect(counterOf(VALUE_OF_LIGHT)).toBe('36ea5f1f4f9140df');
  });

  it('changes the counter when the derived fact only the sum reads changes, reading the same table', () => {
    // Prepare: the same lines and table, doubled
    const doubled = valueCny({
      sum: { of: 'parcel.goods', as: 'line', value: { mul: [LINE_VALUE_CNY, 2] } },
    });

    // Act
    const after = counterOf(VALUE_OF_LIGHT, { derived: doubled });

    // Assess
    expect(after).not.toBe(counterOf(VALUE_OF_LIGHT));
  });
});

describe('sum tallies: the amount a mark carries', () => {
  const policy = compile({
    rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 })],
    extra: {
      tallies: {
        weight: { description: 'measured weight', days: 7, sum: { fact: 'parcel.measuredWeightKg' } },
      },
    },
  });
  const [weight] = policy.tallies;

  it.each<[string, number, number]>([
    ['6 decimals, as they are', 0.123456, 0.123456],
    ['a 7th decimal, rounded half away from zero as a step is', 0.1234565, 0.123457],
    ['a 7th decimal below the half, rounded down', 0.1234564, 0.123456],
    ['a negative amount, rounded away from zero', -2.0000005, -2.000001],
  ])('rounds the amount of a fact to 6 decimals: %s', (_name, kg, amount) => {
    // Act
    const marks = policy.tallyMarks(facts({ parcel: { measuredWeightKg: kg } }));

    // Assess
    expect(marks).toEqual([{ counter: weight!.counter, amount }]);
  });
});

describe("tallyMarksOf: what a parcel's marks add to a day bucket", () => {
  it.each<[string, TallyMark[], [string, number][]]>([
    ['a parcel tally: 1', [{ counter: 'c' }], [['c', 1]]],
    ['a sum tally: its amount', [{ counter: 'c', amount: 2.5 }], [['c', 2.5]]],
    [
      'a sum tally marked twice: its amount once',
      [
        { counter: 'c', amount: 2.5 },
        { counter: 'c', amount: 2.5 },
      ],
      [['c', 2.5]],
    ],
    ['a parcel tally marked twice: 1', [{ counter: 'c' }, { counter: 'c' }], [['c', 1]]],
  ])('adds %s', (_name, marks, parcels) => {
    // Act
    const added = tallyMarksOf(marks);

    // Assess
    expect([...added.parcels]).toEqual(parcels);
  });
});
