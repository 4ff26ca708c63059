import type { EvaluationContext } from './evaluation-context.js';
import type { Accessor } from './fact-access.js';
import { divDecimal } from './numeric.js';

/**
 * Instants in facts (`now`, `history.*.firstSeen`, `lastSeen`, `lastSeizureAt`) are ISO 8601 text. The
 * day operators read them strictly, the same on every machine: a calendar date (`2026-06-01`, midnight
 * UTC) or a date-time with seconds optional, any fraction of a second (read to the millisecond, further
 * digits dropped, as JavaScript dates do) and an offset (`Z`, `+08:00`, `-0330`). Anything else (a time
 * without offset, whose zone is unknown; `2026-02-30`; `24:00`; a leap second) is not an instant.
 */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:(Z)|([+-])(\d{2}):?(\d{2})))?$/;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil): no Date quirks for years below 100. */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
};

/** An ISO 8601 instant as epoch milliseconds, or undefined when the value is not one (see INSTANT). */
export const parseInstant = (value: unknown): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const match = INSTANT.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (h !== undefined && zulu === undefined) {
    const offsetHours = Number(oh);
    const offsetMinutes = Number(om);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * MS_PER_MINUTE;
  }
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const time = ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  return daysFromCivil(year, month, day) * MS_PER_DAY + time - offset;
};

/**
 * `to − from` in days, with the rule language's numeric semantics: the exact quotient of the two
 * instants' whole milliseconds by 86,400,000, rounded to 6 decimals half away from zero (divDecimal).
 */
export const daysBetweenMs = (fromMs: number, toMs: number): number => {
  const delta = toMs - fromMs;
  if (delta === 0) return 0;
  const days = divDecimal(delta, MS_PER_DAY);
  return days === 0 ? 0 : days; // no −0 in values and traces
};

/**
 * Reads one instant fact per evaluation: remembers the last text it parsed, so `now` (the same for a
 * whole batch) is parsed once.
 */
export const instantReader = (read: Accessor): ((ctx: EvaluationContext) => number | undefined) => {
  let lastText: unknown;
  let lastMs: number | undefined;
  return (ctx) => {
    const text = read(ctx);
    if (text !== lastText) {
      lastText = text;
      lastMs = parseInstant(text);
    }
    return lastMs;
  };
};

/** The label under which a derived fact's explain names an instant fact whose text is not an instant. */
export const unparseableInstant = (path: string): string => `an ISO 8601 instant in ${path}`;

const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a period's bound is written as a whole day (2026-11-01, UTC), not as an instant. */
export const isDayText = (text: string): boolean => DAY_TEXT.test(text);

/**
 * A period's bound as the tools' `--since` and `--until` take it: a day (2026-11-01, UTC) or an ISO 8601
 * instant with an offset, read strictly (parseInstant), in epoch milliseconds; a day given as `until`
 * includes that day (the period ends at the next day's start). Undefined when it is neither.
 */
export const periodBoundOf = (text: string, bound: 'since' | 'until'): number | undefined => {
  const ms = parseInstant(text);
  if (ms === undefined) return undefined;
  return bound === 'until' && isDayText(text) ? ms + MS_PER_DAY : ms;
};
