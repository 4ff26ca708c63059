/**
 * How long the records of a delivered parcel are kept: its manifest, the parcel as delivered, its
 * decision (with the facts it was screened with) and its review item. They hold the parties' names,
 * phones and addresses in clear; 400 days covers a year of backtests and the party history's claims.
 * DynamoDB's TTL deletes each one after it expires (in AWS: TTL does not run on the embedded stack).
 */
export const RECORD_RETENTION_DAYS = 400;

/**
 * One spelling of an instant (a message may carry an offset: `+08:00`), so that instants stored to tell
 * deliveries apart compare as strings in conditions.
 */
export const canonicalInstant = (at: string): string => new Date(at).toISOString();

/** An instant (ISO 8601) in whole epoch seconds, as `expiresAt` counts. */
export const epochSecondsOf = (at: string): number => Math.floor(Date.parse(at) / 1000);

/** When a record written at `at` (ISO 8601) expires, in epoch seconds, as DynamoDB's TTL reads it. */
export const recordExpiresAt = (at: string): number => epochSecondsOf(at) + RECORD_RETENTION_DAYS * 86_400;

/**
 * Whether a stored record had expired at `at`: its `expiresAt` (epoch seconds) is at or before it. The
 * read twin of a write's `expiresAt <= :now`; a record without `expiresAt` (written before it existed)
 * never expires, as that condition is false on a missing attribute.
 */
export const expiredAt = (expiresAt: unknown, at: string): boolean =>
  typeof expiresAt === 'number' && expiresAt <= epochSecondsOf(at);
