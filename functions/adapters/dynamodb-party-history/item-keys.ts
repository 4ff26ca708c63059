import { HISTORY_WINDOW_DAYS } from '../../core/parties/history-days.js';

/**
 * Party history in the single `partyHistory` table (pk, sk), as four kinds of item:
 *
 * | item    | pk                          | sk         | attributes                                              |
 * |---------|-----------------------------|------------|---------------------------------------------------------|
 * | claim   | `C#<region>#<parcelKey>`    | `CLAIM`    | observedAt: the time the parcel is counted at; receivedAt of its delivery; expiresAt |
 * | bucket  | `H#<region>#<partyKey>`     | `D#<day>`  | parcels (SS), shipments, flags, links (SS), origins (SS), t_<counter>, v_<counter> (SS) |
 * | overflow bucket | `H#<region>#<partyKey>` | `D#<day>#<n>` | parcels (SS), shipments, flags, origins (SS), t_<counter>, v_<counter> (SS) |
 * | profile | `H#<region>#<partyKey>`     | `PROFILE`  | firstSeen, lastSeen, days (SS), slots (SS of `<day>#<n>`), outcomeMonths (SS), outcomeCorrections (SS) |
 * | outcomes | `H#<region>#<partyKey>`    | `O#<yyyy-mm>`, `O#<yyyy-mm>#<n>` | outcomeParcels (SS), outcomeLog (SS) |
 * | shared  | `S#<partyKey>`              | `R#<region>` | seizures (SS of `day|hashed parcel ref`)              |
 * | shared counterparts | `S#<partyKey>`  | `R#<region>#M#<yyyy-mm>` | counterparts (SS of `day|counterpart key`) |
 *
 * A bucket's `shipments` is the number of the day's parcels (DayBucket's `parcelCount`; stored under its
 * first name, which renaming would lose). A bucket's `t_<counter>` counts its parcels that marked a parcel tally, its `v_<counter>` holds the
 * party keys that marked a distinct tally (core/screening/tallies.ts): attributes named by the tally's
 * counter, so the bucketCounts index, which projects named attributes, does not hold them.
 *
 * Buckets expire (TTL) 30 days after they leave the window; claims after 400 days, when a recording
 * counts an expired claim as none (TTL or not: a parcel id delivered again after that is another parcel).
 *
 * How each kind is written and read: record-observations.ts (claims, profiles, shared counterparts),
 * count-in-day-buckets.ts (buckets and their overflow), record-outcomes.ts (outcome pages, corrections,
 * shared seizures), read-summaries.ts (every read of a summary).
 */

export const BUCKET_TTL_DAYS = HISTORY_WINDOW_DAYS + 30;
/** Overflow slots of one day's buckets, and of one month's outcome pages. */
export const MAX_SLOTS = 100;

export type Item = Record<string, unknown>;
export interface Key {
  pk: string;
  sk: string;
}

export const historyPk = (region: string, key: string) => `H#${region}#${key}`;
export const profileKey = (region: string, key: string): Key => ({
  pk: historyPk(region, key),
  sk: 'PROFILE',
});
/** Slot 0 is the day bucket, slots 1… its overflow buckets. */
export const bucketKey = (region: string, key: string, day: string, slot = 0): Key => ({
  pk: historyPk(region, key),
  sk: slot === 0 ? `D#${day}` : `D#${day}#${slot}`,
});
export const slotEntry = (day: string, slot: number) => `${day}#${slot}`;
/** The attribute of a bucket counting a parcel tally's marks: `t_<counter>`. */
export const tallyCountAttribute = (counter: string): string => `t_${counter}`;
/** The attribute of a bucket holding a distinct tally's party keys (SS): `v_<counter>`. */
export const tallyKeysAttribute = (counter: string): string => `v_${counter}`;
export const slotOf = (entry: string) => {
  const [day = '', slot = ''] = entry.split('#');
  return { day, slot: Number(slot) };
};
export const claimKey = (region: string, parcelKey: string): Key => ({
  pk: `C#${region}#${parcelKey}`,
  sk: 'CLAIM',
});
/** A page of the outcomes a party's profile logged in one month: `yyyy-mm`, then `yyyy-mm#<n>`. */
export const outcomesKey = (region: string, key: string, page: string): Key => ({
  pk: historyPk(region, key),
  sk: `O#${page}`,
});
export const sharedKey = (key: string, sourceRegion: string): Key => ({
  pk: `S#${key}`,
  sk: `R#${sourceRegion}`,
});
export const sharedCounterpartsKey = (key: string, sourceRegion: string, month: string): Key => ({
  pk: `S#${key}`,
  sk: `R#${sourceRegion}#M#${month}`,
});
/** A key as one string, to find the items of a BatchGetItem or Query by. */
export const idOf = (key: Key) => `${key.pk}\u0000${key.sk}`;
