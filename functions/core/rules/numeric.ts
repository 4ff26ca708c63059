/**
 * The one numeric semantics of the rule language: numbers are the decimals JavaScript writes for them
 * (0.1 is 0.1); the result of every arithmetic step (add, sub, mul, div, sum) is the exact decimal
 * result rounded to 6 decimal places, half away from zero; comparisons are then exact. So 0.27 / 0.18
 * is 1.5: `> 1.5` is false, `>= 1.5` and `eq: 1.5` are true. Doubles carry it; where their error could
 * change a rounding (near a half), the written digits are worked exactly.
 */

export const DECIMAL_PLACES = 6;
const SCALE = 10 ** DECIMAL_PLACES;

/**
 * A double result is off by a few units in the last place of `size` (the result itself for mul and div,
 * the larger operand for add and sub, whose result can be far smaller): only this close to a half can
 * that decide.
 */
const isNearHalf = (scaled: number, size = scaled): boolean =>
  Math.abs(scaled - Math.floor(scaled) - 0.5) <= size * 1e-15 + 1e-12;

/** A number as the decimal JavaScript writes for it: digits × 10^exponent, 0.0025 → [25n, -4]. */
const decimalOf = (value: number): [bigint, number] => {
  const [mantissa = '', exponent = '0'] = String(value).split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  return [BigInt(`${whole}${fraction}`), Number(exponent) - fraction.length];
};

const TEN = 10n;
/** Millionths past 2⁵³ are no longer whole doubles: a result that large is worked exactly too. */
const EXACT_MILLIONTHS = 2 ** 53;

/** A whole count of 10^-places (millionths by default) as the nearest double, rounded once (not through a division, twice). */
const fromScaled = (scaled: bigint, negative: boolean, places = DECIMAL_PLACES): number => {
  const value = Number(`${scaled}e-${places}`);
  return negative ? -value : value;
};

/** `numerator / denominator` (both positive) rounded half up to an integer. */
const roundQuotient = (numerator: bigint, denominator: bigint): bigint => {
  const quotient = numerator / denominator;
  return quotient + (2n * (numerator % denominator) >= denominator ? 1n : 0n);
};

/** digits × 10^exponent rounded to `places` decimals (6 by default), half away from zero. */
const roundExactly = (digits: bigint, exponent: number, places = DECIMAL_PLACES): number => {
  const negative = digits < 0n;
  const magnitude = negative ? -digits : digits;
  const shift = exponent + places;
  const scaled =
    shift >= 0 ? magnitude * TEN ** BigInt(shift) : roundQuotient(magnitude, TEN ** BigInt(-shift));
  return fromScaled(scaled, negative, places);
};

/** A double's millionths (`scaled`, of its magnitude; 10^-places in general) rounded as the double says, with its sign. */
const roundedAsDouble = (value: number, scaled: number, scale = SCALE): number => {
  const rounded = Math.round(scaled) / scale;
  return value < 0 ? -rounded : rounded;
};

/** A number rounded to `places` decimals as written, half away from zero (see roundDecimal). */
const roundToPlaces = (value: number, places: number): number => {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** places;
  const scaled = Math.abs(value) * scale;
  if (scaled < EXACT_MILLIONTHS && !isNearHalf(scaled)) return roundedAsDouble(value, scaled, scale);
  const [digits, exponent] = decimalOf(value);
  return roundExactly(digits, exponent, places);
};

/**
 * A number rounded to 6 decimals as written: 1.0000025 gives 1.000003, where 1.0000025 × 10⁶ is
 * 1000002.4999…, and 0.17598149999999999 gives 0.175981.
 */
export const roundDecimal = (value: number): number => roundToPlaces(value, DECIMAL_PLACES);

/**
 * An arithmetic step on decimals as written, rounded to 6 decimals half away from zero: the double
 * result decides, except near a half, where the operands' written digits are worked exactly (BigInt):
 * 800.8185 × 40.669 is 32568.4875765, so 32568.487577, where the double product lies just below the half.
 */
const exactStep =
  (double: (a: number, b: number) => number, exact: (a: number, b: number) => number, cancels = false) =>
  (a: number, b: number): number => {
    const value = double(a, b);
    if (!Number.isFinite(value)) return value;
    const scaled = Math.abs(value) * SCALE;
    const size = cancels ? Math.max(Math.abs(a), Math.abs(b)) * SCALE : scaled;
    return scaled < EXACT_MILLIONTHS && !isNearHalf(scaled, size)
      ? roundedAsDouble(value, scaled)
      : exact(a, b);
  };

const sumExactly = (a: number, b: number): number => {
  const [da, ea] = decimalOf(a);
  const [db, eb] = decimalOf(b);
  const exponent = Math.min(ea, eb);
  return roundExactly(da * TEN ** BigInt(ea - exponent) + db * TEN ** BigInt(eb - exponent), exponent);
};

export const addDecimal = exactStep((a, b) => a + b, sumExactly, true);
export const subDecimal = exactStep(
  (a, b) => a - b,
  (a, b) => sumExactly(a, -b),
  true,
);
export const mulDecimal = exactStep(
  (a, b) => a * b,
  (a, b) => {
    const [da, ea] = decimalOf(a);
    const [db, eb] = decimalOf(b);
    return roundExactly(da * db, ea + eb);
  },
);
/** `b` must not be 0 (a division by zero is missing, decided by the caller). */
export const divDecimal = exactStep(
  (a, b) => a / b,
  (a, b) => {
    const [da, ea] = decimalOf(Math.abs(a));
    const [db, eb] = decimalOf(Math.abs(b));
    const shift = ea - eb + DECIMAL_PLACES;
    const scaled =
      shift >= 0
        ? roundQuotient(da * TEN ** BigInt(shift), db)
        : roundQuotient(da, db * TEN ** BigInt(-shift));
    return fromScaled(scaled, a < 0 !== b < 0);
  },
);

/** Past this a double prints in exponent form (1e+21); all such doubles are whole numbers. */
const EXPONENT_FORM = 1e21;

/** The decimals a reason shows a number with, unless that would misstate a comparison (formatNumberApart). */
export const REASON_PLACES = 2;

/** A number rounded for a reason as text: no trailing zeros, never in exponent form (1e21 → 1000000000000000000000). */
const shownRounded = (rounded: number): string => {
  if (Number.isFinite(rounded) && Math.abs(rounded) >= EXPONENT_FORM) return BigInt(rounded).toString();
  return String(rounded === 0 ? 0 : rounded);
};

/**
 * How numbers appear in reasons: rounded to at most 2 decimals as written, half away from zero (as every
 * arithmetic step rounds: 1.005 → 1.01, 2.675 → 2.68, −0.125 → −0.13), no trailing zeros, never in
 * exponent form (1e21 → 1000000000000000000000).
 */
export const formatNumber = (value: number): string => shownRounded(roundToPlaces(value, REASON_PLACES));

/** -1, 0 or 1: which side of `threshold` a number is on (or on it). */
const sideOf = (value: number, threshold: number): number =>
  value < threshold ? -1 : value > threshold ? 1 : 0;

/** A number with every digit it has, as written, never in exponent form (1e-7 → 0.0000001). */
const writtenOut = (value: number): string => {
  const text = String(value);
  if (!text.includes('e')) return text;
  const [digits, exponent] = decimalOf(Math.abs(value));
  const sign = value < 0 ? '-' : '';
  if (exponent >= 0) return `${sign}${digits}${'0'.repeat(exponent)}`;
  const padded = digits.toString().padStart(1 - exponent, '0');
  return `${sign}${padded.slice(0, exponent)}.${padded.slice(exponent)}`;
};

/**
 * A number in a reason whose rule compares it with constant thresholds (`gt: 1.5`, `between: [2, 5]`):
 * rounded to 2 decimals as formatNumber does, unless the rounded number would be on a threshold the value
 * is not on, or on its other side (1.500006 shown as 1.5 beside `gt: 1.5`); then with as many more
 * decimals as tell them apart (1.50001), up to the 6 of every arithmetic step (DECIMAL_PLACES). A fact
 * finer than that (facts are not rounded: 0.8000001 against `gt: 0.8`) shows every digit it has.
 * Run only when a fired rule's reason is rendered.
 */
export const formatNumberApart = (value: number, thresholds: readonly number[]): string => {
  for (let places = REASON_PLACES; places <= DECIMAL_PLACES; places++) {
    const rounded = roundToPlaces(value, places);
    let apart = true;
    for (let i = 0; i < thresholds.length && apart; i++)
      apart = sideOf(rounded, thresholds[i]!) === sideOf(value, thresholds[i]!);
    if (apart) return shownRounded(rounded);
  }
  return writtenOut(value);
};

/** A number text (no exponent) with exactly `places` decimals: trailing zeros added, never removed. */
const withPlaces = (text: string, places: number): string => {
  if (places === 0) return text;
  const [whole = text, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(places, '0')}`;
};

/**
 * A number in a reason whose placeholder gives its decimals (`{derived.daysSinceSeizure:0}`): rounded to
 * `places` decimals as written, half away from zero (as every arithmetic step rounds: 42.5 → 43, −0.5 →
 * −1), written with exactly that many (17.1 at 2 is 17.10). As with formatNumberApart, a number the rule
 * compares with constant thresholds is never rounded onto or across one of them: it then gets as many
 * more decimals as tell them apart (89.7 beside `lt: 90` at 0 is 89.7), up to DECIMAL_PLACES, then every
 * digit it has.
 */
export const formatNumberPlaces = (
  value: number,
  places: number,
  thresholds: readonly number[] = [],
): string => {
  for (let shown = places; shown <= DECIMAL_PLACES; shown++) {
    const rounded = roundToPlaces(value, shown);
    let apart = true;
    for (let i = 0; i < thresholds.length && apart; i++)
      apart = sideOf(rounded, thresholds[i]!) === sideOf(value, thresholds[i]!);
    if (apart) return withPlaces(shownRounded(rounded), shown);
  }
  return writtenOut(value);
};
