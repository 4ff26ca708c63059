import { describe, expect, it } from 'vitest';
import { roundDecimal } from '../../../functions/core/rules/index.js';
import { fires } from './rule-set-factory.js';

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
});
