import { epochSecondsOf } from '../retention.js';

/** Party history's day arithmetic: UTC calendar days, windows ending on day(now), claim expiry. */

export const HISTORY_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

export const dayOf = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** How long a claim (a parcel counted once, on the day it was first screened) lives, in days. */
export const CLAIM_DAYS = 400;

/** The start (UTC) of the day `plusDays` after `day`, in epoch seconds, as TTL reads an expiry. */
export const dayStartEpochSeconds = (day: string, plusDays: number): number =>
  epochSecondsOf(`${addDays(day, plusDays)}T00:00:00.000Z`);

/** When the claim of a parcel first screened at `observedAt` expires: epoch seconds, as TTL reads them. */
export const claimExpiresAt = (observedAt: string): number =>
  dayStartEpochSeconds(dayOf(observedAt), CLAIM_DAYS);

/** The days of the history window ending on day(now), oldest first. */
export const windowDays = (now: string): string[] => {
  const today = dayOf(now);
  return Array.from({ length: HISTORY_WINDOW_DAYS }, (_, index) =>
    addDays(today, index - HISTORY_WINDOW_DAYS + 1),
  );
};

/** The calendar months (YYYY-MM) the 90-day window ending on day(now) touches, oldest first. */
export const windowMonths = (now: string): string[] => [
  ...new Set(windowDays(now).map((day) => day.slice(0, 7))),
];

/** Whether `day` is one of the `days` days ending on `today`. */
export const inHistoryWindow = (day: string, today: string, days = HISTORY_WINDOW_DAYS): boolean =>
  day <= today && day > addDays(today, -days);
