import { describe, expect, it } from 'vitest';
import { DECIMAL_PLACES, formatNumberPlaces } from '../../../functions/core/rules/numeric.js';

// A number shown with its decimals (`{derived.x:2}`) beside a threshold it is not on gets more decimals
// until it is apart from it, up to DECIMAL_PLACES inclusive: only a number still on the threshold at
// DECIMAL_PLACES is written out with every digit it has.
describe('formatNumberPlaces at the DECIMAL_PLACES limit', () => {
  it.each<[number, number, number[], string]>([
    [1.5000012, 2, [1.5], '1.500001'],
    [1.4999988, 2, [1.5], '1.499999'],
    [-2.0000009, 1, [-2], '-2.000001'],
    [1.5000004, 2, [1.5], '1.5000004'],
  ])('shows %d at %d decimals beside %j as %s', (value, places, thresholds, shown) => {
    // Prepare: the table row
    expect(DECIMAL_PLACES).toBe(6);

    // Act
    const text = formatNumberPlaces(value, places, thresholds);

    // Assess
    expect(text).toBe(shown);
  });
});
