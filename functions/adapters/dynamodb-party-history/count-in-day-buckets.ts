import { dayStartEpochSeconds } from '../../core/parties/history-days.js';
import { addToTally, tallyMarksOf } from '../../core/parties/history-model.js';
import type { TallyMark } from '../../core/screening/tallies.js';
import { forEachLimited } from '../../platform/concurrency.js';
import { addToGrowingItem, firstSlotTaking, type GrowingAdd } from '../growing-items.js';
import { parcelDigest } from '../parcel-digest.js';
import { CONCURRENCY, type PartyHistoryTable } from './history-table.js';
import {
  BUCKET_TTL_DAYS,
  bucketKey,
  MAX_SLOTS,
  slotEntry,
  tallyCountAttribute,
  tallyKeysAttribute,
} from './item-keys.js';

/**
 * Idempotency without transactions. Counting a parcel is one UpdateItem on the party's day bucket that
 * ADDs the parcel's digest (parcelDigest) to the bucket's `parcels` set and increments `shipments` and
 * `flags`, conditional on `NOT contains(parcels, :digest)`: the marker and the count live in the same
 * item and move together atomically, so a redelivered parcel fails the condition (treated as already
 * counted) and two concurrent screenings of parcels sharing a consignee both succeed (DynamoDB
 * serializes updates to one item; neither overwrites the other). Writes are coalesced: the parcels of
 * one call that share a party and a day become one UpdateItem conditional on none of them being there
 * yet; if that fails (some were counted by an earlier, interrupted delivery, or the group does not fit)
 * each parcel is retried alone.
 *
 * A busy party's day outgrows one item (400 KB). Links are added only while the day bucket has fewer
 * than LINKS_PER_DAY (an update with them is refused by its condition beyond that, and is repeated
 * without them). A parcel whose update the day bucket refuses for item size, alone and without links,
 * is counted in the first overflow bucket `D#<day>#1`, `#2`… that takes it (no links there), and the
 * profile's `slots` names that bucket for readers. This stays idempotent because an item only grows:
 * every accepted update adds a digest, so a bucket that refused a parcel for size refuses it for ever,
 * and a replay walks the same buckets to the one that holds it, which refuses it by its condition
 * (DynamoDB, like dynalite, evaluates the condition before the item size). Overflow writes are one
 * parcel each: a group refused for size says nothing about its parcels alone.
 *
 * A parcel that none of the MAX_SLOTS overflow buckets takes is not counted for that party that day: the
 * day is full, which the caller reports, and the parcel's other parties and profiles are recorded all the
 * same (failing would fail them too, and every later parcel of the party that day, for good: no retry
 * makes a bucket smaller). Still exactly once: every bucket of the day refused the parcel for size, so it
 * refuses it for ever, and a replay finds the day full again and counts nothing.
 *
 * A parcel's tally marks ride in the update that counts it, in whichever bucket that is: `ADD t_<counter>`
 * the group's parcels marking a parcel tally, `ADD v_<counter>` the party keys marking a distinct tally
 * (a string set). They move with the parcel's digest, so a redelivery, a group retried parcel by parcel
 * or an overflow replay adds them once. A distinct tally's set grows the day bucket like links do, but
 * it is not dropped when the bucket is full: the parcel goes to an overflow bucket with its marks (one
 * parcel's marks are a few keys), and readers take the union over a day's buckets.
 */

const LINKS_PER_DAY = 1_000;
const MAX_LINKS_CLOSED = 10_000;

/** Parcels of one party on one day, to be counted in its day bucket. */
export interface BucketWrite {
  region: string;
  key: string;
  day: string;
  parcels: {
    parcelKey: string;
    flagged: boolean;
    links: string[];
    origin: string;
    /** The parcel's tally marks (core/screening/tallies.ts), the same for each of its parties. */
    tallies: readonly TallyMark[];
  }[];
}

/** What counting a write did: the overflow slots holding any of its parcels, and whether its day was full. */
export interface BucketCount {
  slots: number[];
  /** A parcel of the write found every bucket of its day full, and is not counted for this party. */
  dayFull: boolean;
}

const COUNTED: BucketCount = { slots: [], dayFull: false };

/**
 * Per counter: the parcels of the group marking a parcel tally (or the sum of their amounts for a sum
 * tally), the party keys marking a distinct one.
 */
const groupTallies = (parcels: BucketWrite['parcels']) => {
  const counts = new Map<string, number>();
  const keys = new Map<string, Set<string>>();
  for (const parcel of parcels) {
    const marks = tallyMarksOf(parcel.tallies);
    for (const [counter, amount] of marks.parcels)
      counts.set(counter, addToTally(counts.get(counter) ?? 0, amount));
    for (const [counter, values] of marks.keys) {
      const known = keys.get(counter) ?? new Set<string>();
      for (const value of values) known.add(value);
      keys.set(counter, known);
    }
  }
  return { counts, keys };
};

/** Counts parcels in a party's day bucket, or in its overflow buckets when the day bucket is full. */
export class DayBucketCounter {
  constructor(private readonly table: PartyHistoryTable) {}

  /**
   * Day buckets that refused the links of parcels they did not hold (LINKS_PER_DAY reached, or no room):
   * later writes skip the attempt with links. Only links depend on it, never a count.
   */
  private readonly linksClosed = new Set<string>();

  /** Counts the parcels on their day: the overflow slots that hold any of them (for `slots`), a day full. */
  async countInBucket(write: BucketWrite): Promise<BucketCount> {
    const bucketId = `${write.region}#${write.key}#${write.day}`;
    // Without links to offer, the update with links would be this very update: make it once.
    const hasLinks = write.parcels.some((parcel) => parcel.links.length > 0);
    const offerLinks = hasLinks && !this.linksClosed.has(bucketId);
    if (offerLinks && (await this.updateBucket(write, 0, true)) === 'counted') return COUNTED;
    const withoutLinks = await this.updateBucket(write, 0, false);
    // Refused with links but not as already counted: the links were what did not fit.
    if (offerLinks && withoutLinks !== 'conflict') {
      if (this.linksClosed.size >= MAX_LINKS_CLOSED) this.linksClosed.clear();
      this.linksClosed.add(bucketId);
    }
    if (withoutLinks === 'counted') return COUNTED;
    if (write.parcels.length === 1)
      return withoutLinks === 'conflict' ? COUNTED : this.countInOverflow(write);
    // Some parcels of the group were counted before (an interrupted delivery), or the group does not fit:
    // count each alone.
    const slots = new Set<number>();
    let dayFull = false;
    await forEachLimited(write.parcels, CONCURRENCY, async (parcel) => {
      const counted = await this.countInBucket({ ...write, parcels: [parcel] });
      for (const slot of counted.slots) slots.add(slot);
      if (counted.dayFull) dayFull = true;
    });
    return { slots: [...slots], dayFull };
  }

  /**
   * One parcel the day bucket has no room for: the first overflow slot that holds it or takes it, or a
   * day full when every one of them refuses it for size.
   */
  private async countInOverflow(write: BucketWrite): Promise<BucketCount> {
    const slot = await firstSlotTaking(1, MAX_SLOTS, (candidate) =>
      this.updateBucket(write, candidate, false),
    );
    return slot === undefined ? { slots: [], dayFull: true } : { slots: [slot], dayFull: false };
  }

  private async updateBucket(write: BucketWrite, slot: number, withLinks: boolean): Promise<GrowingAdd> {
    const names: Record<string, string> = { '#parcels': 'parcels', '#bucket': 'bucket' };
    const values: Record<string, unknown> = {
      ':bucket': slotEntry(write.day, slot),
      ':parcels': new Set(write.parcels.map((parcel) => parcelDigest(parcel.parcelKey))),
      ':shipments': write.parcels.length,
      ':flags': write.parcels.filter((parcel) => parcel.flagged).length,
      ':origins': new Set(write.parcels.map((parcel) => parcel.origin)),
      ':expiresAt': dayStartEpochSeconds(write.day, BUCKET_TTL_DAYS),
    };
    const conditions = write.parcels.map((parcel, index) => {
      values[`:p${index}`] = parcelDigest(parcel.parcelKey);
      if (slot > 0) return `NOT contains(#parcels, :p${index})`;
      // Day buckets written before digests hold parcel keys until they expire: a replay must find those too.
      values[`:k${index}`] = parcel.parcelKey;
      return `NOT contains(#parcels, :p${index}) AND NOT contains(#parcels, :k${index})`;
    });
    const links = new Set(withLinks ? write.parcels.flatMap((parcel) => parcel.links) : []);
    const adds = ['#parcels :parcels', 'shipments :shipments', 'flags :flags', 'origins :origins'];
    if (links.size > 0) {
      values[':links'] = links;
      values[':linksPerDay'] = LINKS_PER_DAY;
      conditions.push('(attribute_not_exists(links) OR size(links) < :linksPerDay)');
      adds.push('links :links');
    }
    const tallies = groupTallies(write.parcels);
    [...tallies.counts].forEach(([counter, count], index) => {
      names[`#t${index}`] = tallyCountAttribute(counter);
      values[`:t${index}`] = count;
      adds.push(`#t${index} :t${index}`);
    });
    [...tallies.keys].forEach(([counter, keys], index) => {
      names[`#v${index}`] = tallyKeysAttribute(counter);
      values[`:v${index}`] = keys;
      adds.push(`#v${index} :v${index}`);
    });
    return addToGrowingItem(() =>
      this.table.update({
        Key: bucketKey(write.region, write.key, write.day, slot),
        UpdateExpression: `ADD ${adds.join(', ')} SET expiresAt = :expiresAt, #bucket = :bucket`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}
