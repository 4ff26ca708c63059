import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDecimal,
  divDecimal,
  mulDecimal,
  roundDecimal,
  subDecimal,
} from '../../../functions/core/rules/index.js';
import { formatNumber, formatNumberApart } from '../../../functions/core/rules/numeric.js';
import { compile, facts, fires, rule } from './rule-set-factory.js';

const ratio = { div: [{ fact: 'parcel.measuredWeightKg' }, { fact: 'parcel.declaredGrossWeightKg' }] };
const weights = (declared: number, measured: number) => ({
  parcel: { declaredGrossWeightKg: declared, measuredWeightKg: measured },
});

describe('numeric semantics: arithmetic rounded to 6 decimals, exact comparison', () => {
  it.each([
    ['0.27 / 0.18 > 1.5', 0.27, 0.18, 'gt', 1.5, false],
    ['0.27 / 0.18 >= 1.5', 0.27, 0.18, 'gte', 1.5, true],
    ['0.27 / 0.18 == 1.5', 0.27, 0.18, 'eq', 1.5, true],
    ['0.27 / 0.18 < 1.5', 0.27, 0.18, 'lt', 1.5, false],
    ['0.28 / 0.18 > 1.5', 0.28, 0.18, 'gt', 1.5, true],
    ['0.3 / 0.1 == 3', 0.3, 0.1, 'eq', 3, true],
    ['0.7 / 0.1 == 7', 0.7, 0.1, 'eq', 7, true],
    ['1.0000015 / 1 > 1.000001 (rounds up at the 7th decimal)', 1.0000015, 1, 'gt', 1.000001, true],
    ['1.0000004 / 1 > 1 (rounds away below the 6th decimal)', 1.0000004, 1, 'gt', 1, false],
  ])('%s', (_name, measured, declared, operator, threshold, expected) => {
    // Prepare / Act
    const fired = fires({ value: ratio, [operator]: threshold }, weights(declared, measured));

    // Assess
    expect(fired).toBe(expected);
  });

  it('compares raw facts without rounding them', () => {
    // Prepare / Act
    const fired = fires(
      { fact: 'parcel.declaredGrossWeightKg', gt: 0.8 },
      { parcel: { declaredGrossWeightKg: 0.8000001 } },
    );

    // Assess
    expect(fired).toBe(true);
  });

  it.each([
    [0.27 / 0.18, 1.5],
    [0.1 + 0.2, 0.3],
    [-0.1 - 0.2, -0.3],
    [2.5e-7, 0],
    [5e-7, 0.000001],
    [-5e-7, -0.000001],
    [123456.1234567, 123456.123457],
    // Halves as written, though the nearest double lies just below: 1.0000025 is 1.00000249999999994…
    [1.0000025, 1.000003],
    [0.5000005, 0.500001],
    [-1.0000025, -1.000003],
    [8.2000015, 8.200002],
    [1.0000024999, 1.000002],
    [1.0000025001, 1.000003],
    [68506.0965625, 68506.096563],
    [0.17598149999999999, 0.175981],
    [-68506.0965625, -68506.096563],
    [1e21, 1e21],
  ])('rounds %s to %s', (input, expected) => {
    // Prepare / Act
    const rounded = roundDecimal(input);

    // Assess
    expect(rounded).toBe(expected);
  });

  const STEPS = { add: addDecimal, sub: subDecimal, mul: mulDecimal, div: divDecimal };

  it.each([
    // The exact results end in 5 at the 7th decimal; the doubles computed lie just below (or above) it
    ['mul', 800.8185, 40.669, 32568.487577],
    ['mul', -800.8185, 40.669, -32568.487577],
    ['mul', 1.0000005, 1, 1.000001],
    ['mul', 0.0000015, 1, 0.000002],
    ['div', 2.000001, 2, 1.000001],
    ['div', 0.0000025, 1, 0.000003],
    ['div', -1.0000025, 1, -1.000003],
    ['add', 1.0000015, 1, 2.000002],
    ['sub', 1.0000025, 1, 0.000003],
    ['add', 0.1, 0.2, 0.3],
    ['mul', 0.27, 1, 0.27],
    ['div', 0.27, 0.18, 1.5],
    // Past 2⁵³ millionths, a double division by 10⁶ would round a second time
    ['mul', 90451036815.915, 1, 90451036815.915],
    ['add', 90451036815.915, 0, 90451036815.915],
    ['div', -90451036815.915, 1, -90451036815.915],
  ] as const)('%s %s and %s is %s, from the decimals as written', (step, a, b, expected) => {
    // Act
    const result = STEPS[step](a, b);

    // Assess
    expect(result).toBe(expected);
  });

  it('multiplies, divides, adds and subtracts decimals of up to 4 places exactly, then rounds half away from zero', () => {
    // Prepare: an oracle on integers: a = ia / 10⁴, b = ib / 10⁴
    const roundHalfAway = (numerator: bigint, denominator: bigint): number => {
      const negative = numerator < 0n !== denominator < 0n;
      const n = numerator < 0n ? -numerator : numerator;
      const d = denominator < 0n ? -denominator : denominator;
      const q = n / d + (2n * (n % d) >= d ? 1n : 0n);
      // Parsed from its digits: rounded once, as a division by 10⁶ would not be past 2⁵³ millionths
      const value = Number(`${q}e-6`);
      return negative && q !== 0n ? -value : value;
    };
    const decimals = fc.integer({ min: -9_999_999_999, max: 9_999_999_999 });

    // Act / Assess
    fc.assert(
      fc.property(decimals, decimals, (ia, ib) => {
        const a = ia / 1e4;
        const b = ib / 1e4;
        const [A, B] = [BigInt(ia), BigInt(ib)];
        // (+ 0 makes a negative zero, a rounded-away tiny negative, compare equal to zero)
        expect(mulDecimal(a, b) + 0).toBe(roundHalfAway(A * B, 100n) + 0);
        expect(addDecimal(a, b) + 0).toBe(roundHalfAway((A + B) * 100n, 1n) + 0);
        expect(subDecimal(a, b) + 0).toBe(roundHalfAway((A - B) * 100n, 1n) + 0);
        if (ib !== 0) expect(divDecimal(a, b) + 0).toBe(roundHalfAway(A * 1_000_000n, B) + 0);
      }),
      { numRuns: 20_000 },
    );
    // Large values with three places: results past 2⁵³ millionths
    // (15 significant digits at most, so each operand is exactly the decimal JavaScript writes for it)
    const large = fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 });
    fc.assert(
      fc.property(large, fc.integer({ min: -9999, max: 9999 }), (ia, ib) => {
        const [A, B] = [BigInt(ia), BigInt(ib)];
        expect(addDecimal(ia / 1e3, ib / 1e3) + 0).toBe(roundHalfAway((A + B) * 1000n, 1n) + 0);
        expect(mulDecimal(ia / 1e3, ib / 1e3) + 0).toBe(roundHalfAway(A * B, 1n) + 0);
      }),
      { numRuns: 20_000 },
    );
    // Seven places, so sums and differences round too (every tenth one at a half)
    const sevenPlaces = fc.integer({ min: -99_999_999_999_999, max: 99_999_999_999_999 });
    fc.assert(
      fc.property(sevenPlaces, sevenPlaces, (ia, ib) => {
        const [A, B] = [BigInt(ia), BigInt(ib)];
        expect(addDecimal(ia / 1e7, ib / 1e7) + 0).toBe(roundHalfAway(A + B, 10n) + 0);
        expect(subDecimal(ia / 1e7, ib / 1e7) + 0).toBe(roundHalfAway(A - B, 10n) + 0);
      }),
      { numRuns: 20_000 },
    );
  });
});

/** Reasons show numbers rounded to 2 decimals by the same rule as arithmetic: as written, half away from zero. */
describe('the score of fired rules', () => {
  const ALWAYS = { fact: 'parcel.pieceCount', gte: 1 };

  it.each([
    [[0.1, 0.2], 0.3],
    [[1_000_000, -999_999.999999, 0.000001], 0.000002],
    [[-1_000_000, 0.000001, -1_000_000], -1_999_999.999999],
    [[25, 20, 15, 30, 10], 100],
  ])('adds %j exactly to %s, in every order', (scores, expected) => {
    // Prepare: every order of the scores
    const orders = (items: number[]): number[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((item, i) => orders(items.filter((_, j) => j !== i)).map((rest) => [item, ...rest]));

    // Act
    const totals = orders(scores).map(
      (order) =>
        compile({ rules: order.map((score, i) => rule(`r${i}`, ALWAYS, { score })) }).evaluate(facts()).score,
    );

    // Assess
    expect(new Set(totals)).toEqual(new Set([expected]));
  });
});

describe('numbers in reasons', () => {
  it.each<[number, string]>([
    [1.005, '1.01'],
    [2.675, '2.68'],
    [1.015, '1.02'],
    [-0.125, '-0.13'],
    [-1.005, '-1.01'],
    [3.8375, '3.84'],
    [0.1 + 0.2, '0.3'],
    [1.004999, '1'],
    [-0.001, '0'],
    [120, '120'],
    [1e21, '1000000000000000000000'],
    [-1.5e22, '-15000000000000000000000'],
    [123456789.125, '123456789.13'],
  ])('shows %s as %s', (value, shown) => {
    // Prepare / Act / Assess
    expect(formatNumber(value)).toBe(shown);
  });
});

describe('numbers in reasons beside thresholds', () => {
  it.each<[number, number[], string]>([
    [1.500006, [1.5], '1.50001'],
    [1.5000014, [1.5], '1.500001'],
    [1.499999, [1.5], '1.499999'],
    [29.996, [30], '29.996'],
    [1.566, [1.5], '1.57'],
    [5.004, [2, 5], '5.004'],
    [1.2345, [1.2345], '1.2345'],
    [-0.001, [0], '-0.001'],
    [0.8000001, [0.8], '0.8000001'],
    [1e-7, [0], '0.0000001'],
    [-1.5e-7, [0], '-0.00000015'],
  ])('shows %s beside %j as %s', (value, thresholds, shown) => {
    // Prepare / Act / Assess
    expect(formatNumberApart(value, thresholds)).toBe(shown);
  });
});
