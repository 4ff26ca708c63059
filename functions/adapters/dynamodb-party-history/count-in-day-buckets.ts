import { dayStartEpochSeconds } from '../../core/parties/history-model.js';
import { forEachLimited } from '../../platform/concurrency.js';
import { AppError } from '../../platform/errors.js';
import { addToGrowingItem, firstSlotTaking, type GrowingAdd } from '../growing-items.js';
import { parcelDigest } from '../parcel-digest.js';
import { CONCURRENCY, type PartyHistoryTable } from './history-table.js';
import { BUCKET_TTL_DAYS, bucketKey, MAX_SLOTS, slotEntry } from './item-keys.js';

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
 */

const LINKS_PER_DAY = 1_000;
const MAX_LINKS_CLOSED = 10_000;

/** Parcels of one party on one day, to be counted in its day bucket. */
export interface BucketWrite {
  region: string;
  key: string;
  day: string;
  parcels: { parcelKey: string; flagged: boolean; links: string[]; origin: string }[];
}

/** Counts parcels in a party's day bucket, or in its overflow buckets when the day bucket is full. */
export class DayBucketCounter {
  constructor(private readonly table: PartyHistoryTable) {}

  /**
   * Day buckets that refused the links of parcels they did not hold (LINKS_PER_DAY reached, or no room):
   * later writes skip the attempt with links. Only links depend on it, never a count.
   */
  private readonly linksClosed = new Set<string>();

  /** Counts the parcels on their day; returns the overflow slots that hold any of them (for `slots`). */
  async countInBucket(write: BucketWrite): Promise<number[]> {
    const bucketId = `${write.region}#${write.key}#${write.day}`;
    // Without links to offer, the update with links would be this very update: make it once.
    const hasLinks = write.parcels.some((parcel) => parcel.links.length > 0);
    const offerLinks = hasLinks && !this.linksClosed.has(bucketId);
    if (offerLinks && (await this.updateBucket(write, 0, true)) === 'counted') return [];
    const withoutLinks = await this.updateBucket(write, 0, false);
    // Refused with links but not as already counted: the links were what did not fit.
    if (offerLinks && withoutLinks !== 'conflict') {
      if (this.linksClosed.size >= MAX_LINKS_CLOSED) this.linksClosed.clear();
      this.linksClosed.add(bucketId);
    }
    if (withoutLinks === 'counted') return [];
    if (write.parcels.length === 1) return withoutLinks === 'conflict' ? [] : this.countInOverflow(write);
    // Some parcels of the group were counted before (an interrupted delivery), or the group does not fit:
    // count each alone.
    const slots = new Set<number>();
    await forEachLimited(write.parcels, CONCURRENCY, async (parcel) => {
      for (const slot of await this.countInBucket({ ...write, parcels: [parcel] })) slots.add(slot);
    });
    return [...slots];
  }

  /** One parcel the day bucket has no room for: the first overflow slot that holds it or takes it. */
  private async countInOverflow(write: BucketWrite): Promise<number[]> {
    const slot = await firstSlotTaking(1, MAX_SLOTS, (candidate) =>
      this.updateBucket(write, candidate, false),
    );
    if (slot !== undefined) return [slot];
    throw new AppError('PARTY_DAY_FULL', `party history: ${MAX_SLOTS} overflow buckets of one day are full`);
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
    if (links.size > 0) {
      values[':links'] = links;
      values[':linksPerDay'] = LINKS_PER_DAY;
      conditions.push('(attribute_not_exists(links) OR size(links) < :linksPerDay)');
    }
    return addToGrowingItem(() =>
      this.table.update({
        Key: bucketKey(write.region, write.key, write.day, slot),
        UpdateExpression: `ADD #parcels :parcels, shipments :shipments, flags :flags, origins :origins${
          links.size > 0 ? ', links :links' : ''
        } SET expiresAt = :expiresAt, #bucket = :bucket`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}
