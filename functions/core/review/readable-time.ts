import { MONTH_ABBREVIATIONS as MONTHS } from '../month-abbreviations.js';

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/**
 * An ISO instant as an officer reads it in a refusal's text: `03:15 UTC, 1 Dec 2026`, with the seconds
 * when they are not zero (`03:15:42 UTC, 1 Dec 2026`), so that a lease is never shown ending before it
 * does by more than its milliseconds. UTC, named: offices keep no time zone, and the API knows no
 * caller's. The instant itself travels beside the text as an extension member (`leaseUntil`, …); the
 * console puts its local time in place of this text (`utcText` in functions/console/assets/app.js, which
 * must write it the same way). Text that is no instant is returned as it is.
 */
export const readableUtc = (instant: string): string => {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const seconds = date.getUTCSeconds();
  const time = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}${
    seconds === 0 ? '' : `:${twoDigits(seconds)}`
  }`;
  return `${time} UTC, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
};
