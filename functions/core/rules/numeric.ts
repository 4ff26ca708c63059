/**
 * The one numeric semantics of the rule language: numbers are IEEE-754 doubles; the result of every
 * arithmetic step (add, sub, mul, div, sum) is rounded to 6 decimal places, half away from zero;
 * comparisons are then exact. So 0.27 / 0.18 is 1.5: `> 1.5` is false, `>= 1.5` and `eq: 1.5` are true.
 */

export const DECIMAL_PLACES = 6;
const SCALE = 10 ** DECIMAL_PLACES;

export const roundDecimal = (value: number): number => {
  if (!Number.isFinite(value)) return value;
  const scaled = Math.round(Math.abs(value) * SCALE) / SCALE;
  return value < 0 ? -scaled : scaled;
};

/** How numbers appear in reasons: at most 2 decimals, no trailing zeros. */
export const formatNumber = (value: number): string => String(Math.round(value * 100) / 100);
