import { MONTH_ABBREVIATIONS as MONTHS } from '../month-abbreviations.js';

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** The three forms of an HTTP date a recipient must read (RFC 9110 §5.6.7), each with its day, month, year, time. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

const FIFTY_YEARS_MS = 50 * 365.2425 * 86_400_000;

const instant = (
  year: number,
  month: string,
  day: string,
  hours: string,
  minutes: string,
  seconds: string,
): number | undefined => {
  const ms = Date.UTC(
    year,
    MONTHS.indexOf(month),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
  const date = new Date(ms);
  // Date.UTC rolls 31 Feb into March and 24:00 into the next day: such a date is no date.
  return date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hours) &&
    Number(minutes) < 60 &&
    Number(seconds) < 60
    ? ms
    : undefined;
};

/** An HTTP date in any of its three forms as epoch milliseconds, or undefined. */
const httpDate = (text: string, now: Date): number | undefined => {
  let match = IMF_FIXDATE.exec(text);
  if (match !== null) {
    const [, day, month, year, h, m, s] = match as unknown as string[];
    return instant(Number(year), month!, day!, h!, m!, s!);
  }
  match = RFC_850.exec(text);
  if (match !== null) {
    const [, day, month, year, h, m, s] = match as unknown as string[];
    // Two digits: this century's year, unless that is more than 50 years ahead (RFC 9110 §5.6.7).
    const thisCentury = now.getUTCFullYear() - (now.getUTCFullYear() % 100) + Number(year);
    const at = instant(thisCentury, month!, day!, h!, m!, s!);
    if (at === undefined || at - now.getTime() <= FIFTY_YEARS_MS) return at;
    return instant(thisCentury - 100, month!, day!, h!, m!, s!);
  }
  match = ASCTIME.exec(text);
  if (match !== null) {
    const [, month, day, h, m, s, year] = match as unknown as string[];
    return instant(Number(year), month!, day!.trim(), h!, m!, s!);
  }
  return undefined;
};

/**
 * A `Retry-After` header as seconds from `now`: delta-seconds (`120`) or an HTTP date, in the
 * IMF-fixdate form senders should write (`Wed, 21 Oct 2026 07:28:00 GMT`) or either obsolete form a
 * recipient must still read (`Wednesday, 21-Oct-26 07:28:00 GMT`, `Wed Oct 21 07:28:00 2026`), at least
 * 0 s; undefined when absent or unreadable (RFC 9110 §10.2.3). Anything else Date.parse would half-read
 * is ignored.
 */
export const retryAfterSeconds = (value: string | undefined, now: Date): number | undefined => {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const at = httpDate(text, now);
  return at === undefined ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
};
