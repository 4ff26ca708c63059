import { TABLES } from '../../infra/definitions.js';
import { shardOf } from '../core/keys.js';

export const BY_DECIDED_MONTH = TABLES.decisions.indexes[0].indexName;

/**
 * Shards of one month in the index. Every decision of a month would otherwise go to one index
 * partition, which takes about 1,000 writes a second; sixteen take a busy region's peak.
 */
export const DECIDED_MONTH_SHARDS = 16;

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** The index partition of a decision: the UTC month it was decided in and its parcel's shard. */
export const decidedMonthOf = (parcelKey: string, decidedAt: string): string =>
  `${decidedAt.slice(0, 7)}#${twoDigits(shardOf(parcelKey, DECIDED_MONTH_SHARDS))}`;

const MONTH = /^(\d{4})-(\d{2})/;

/** Months since year 0, so a period's months are a range of integers. */
const monthIndexOf = (text: string): number | undefined => {
  const match = MONTH.exec(text);
  return match === null ? undefined : Number(match[1]) * 12 + Number(match[2]) - 1;
};

/**
 * Every index partition that can hold a decision from `since` (inclusive) to `until` (exclusive), ISO
 * texts: each month the period touches, each shard, in order. Empty for an empty or unreadable period.
 */
export const decidedMonthsBetween = (since: string, until: string): string[] => {
  const first = monthIndexOf(since);
  const untilMonth = monthIndexOf(until);
  if (first === undefined || untilMonth === undefined || since >= until) return [];
  // A period ending at the very start of a month holds nothing of that month.
  const last = until <= `${until.slice(0, 7)}-01T00:00:00.000Z` ? untilMonth - 1 : untilMonth;
  const partitions: string[] = [];
  for (let index = first; index <= last; index++) {
    const month = `${String(Math.floor(index / 12)).padStart(4, '0')}-${twoDigits((index % 12) + 1)}`;
    for (let shard = 0; shard < DECIDED_MONTH_SHARDS; shard++)
      partitions.push(`${month}#${twoDigits(shard)}`);
  }
  return partitions;
};
