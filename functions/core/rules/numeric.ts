/**
 * The one numeric semantics of the rule language: numbers are IEEE-754 doubles; the result of every
 * arithmetic step (add, sub, mul, div, sum) is rounded to 6 decimal places, half away from zero;
 * comparisons are then exact. So 0.27 / 0.18 is 1.5: `> 1.5` is false, `>= 1.5` and `eq: 1.5` are true.
 */

export const DECIMAL_PLACES = 6;
const SCALE = 10 ** DECIMAL_PLACES;

/**
 * A value's decimal digits as JavaScript writes it (the shortest that reads back as the same double),
 * shifted 6 places: `1.0000025` gives exactly 1000002.5, where `1.0000025 * 1e6` gives 1000002.4999….
 */
const shiftedAsWritten = (magnitude: number): number => {
  const [mantissa, exponent = '0'] = String(magnitude).split('e');
  return Number(`${mantissa}e${Number(exponent) + DECIMAL_PLACES}`);
};

export const roundDecimal = (value: number): number => {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  let scaled = magnitude * SCALE;
  // Only near a half can the product's binary error decide the rounding: there, round the digits as written.
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6) scaled = shiftedAsWritten(magnitude);
  const rounded = Math.round(scaled) / SCALE;
  return value < 0 ? -rounded : rounded;
};

/** How numbers appear in reasons: at most 2 decimals, no trailing zeros. */
export const formatNumber = (value: number): string => String(Math.round(value * 100) / 100);
