/**
 * The one numeric semantics of the rule language: numbers are IEEE-754 doubles; the result of every
 * arithmetic step (add, sub, mul, div, sum) is rounded to 6 decimal places, half away from zero;
 * comparisons are then exact. So 0.27 / 0.18 is 1.5: `> 1.5` is false, `>= 1.5` and `eq: 1.5` are true.
 */

export const DECIMAL_PLACES = 6;
const SCALE = 10 ** DECIMAL_PLACES;

/**
 * `magnitude` × 10⁶ rounded half up, worked out on the digits JavaScript writes for it (the shortest that
 * read back as the same double), so a half as written is a half: 1.0000025 gives 1000003, where
 * 1.0000025 × 10⁶ is 1000002.4999…, and 0.17598149999999999 gives 175981.
 */
const roundWrittenDigits = (magnitude: number): number => {
  const [mantissa = '', exponent = '0'] = String(magnitude).split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = `${whole}${fraction}`;
  const point = whole.length + Number(exponent) + DECIMAL_PLACES;
  if (point < 0) return 0;
  const kept = point >= digits.length ? digits.padEnd(point, '0') : digits.slice(0, point);
  const next = point < digits.length ? digits.charCodeAt(point) - 48 : 0;
  return Number(kept || '0') + (next >= 5 ? 1 : 0);
};

export const roundDecimal = (value: number): number => {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  const scaled = magnitude * SCALE;
  // The product is off by a few units in its last place; only that close to a half can it decide.
  const nearHalf = Math.abs(scaled - Math.floor(scaled) - 0.5) <= scaled * 1e-15 + 1e-12;
  const rounded = (nearHalf ? roundWrittenDigits(magnitude) : Math.round(scaled)) / SCALE;
  return value < 0 ? -rounded : rounded;
};

/** How numbers appear in reasons: at most 2 decimals, no trailing zeros. */
export const formatNumber = (value: number): string => String(Math.round(value * 100) / 100);
