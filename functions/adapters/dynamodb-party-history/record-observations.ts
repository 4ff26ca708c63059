import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { claimExpiresAt, dayOf, dayStartEpochSeconds } from '../../core/parties/history-days.js';
import {
  historyKeysOf,
  lastOfEachParcel,
  linkedKeysOf,
  normalizeOrigin,
} from '../../core/parties/history-model.js';
import { sharedCounterpartEntry, sharedCounterpartsOf } from '../../core/parties/shared-history.js';
import { type SharingAgreements, sharingPartners } from '../../core/parties/sharing.js';
import { canonicalInstant, epochSecondsOf } from '../../core/retention.js';
import { chunk, forEachLimited } from '../../platform/concurrency.js';
import { ConflictError } from '../../platform/errors.js';
import type { ParcelObservation } from '../../ports/party-history.js';
import { awsCall, conditional } from '../aws-errors.js';
import { addToGrowingItem } from '../growing-items.js';
import { type BucketWrite, DayBucketCounter } from './count-in-day-buckets.js';
import { COALESCE_LIMIT, CONCURRENCY, type PartyHistoryTable, text } from './history-table.js';
import {
  BUCKET_TTL_DAYS,
  claimKey,
  type Item,
  profileKey,
  sharedCounterpartsKey,
  slotEntry,
} from './item-keys.js';

/**
 * A bucket can only dedupe a parcel that lands in it, so the day must not depend on when a delivery
 * happens to run: the first recording of a parcel writes a claim (PutItem, unless an unexpired claim is
 * there) fixing its observedAt, and every later recording reads the claim and uses that time.
 *
 * Profiles carry what is idempotent by nature: set ADDs, first/last seen as min/max kept with
 * conditional SETs. Buckets are written before profiles, so a profile's `days` never names a bucket that
 * lacks this parcel for long; a crash in between is repaired by the redelivery (bucket condition fails,
 * profile write is replayed).
 *
 * Shared counterparts (names per phone, consignees per address, shippers per consignee, consignees per
 * ID document) are set ADDs of `day|counterpart key` on one item per indicator key, source region and
 * month, written only for the kinds an agreement in force that day covers. The day is the claimed day,
 * so a redelivery adds the same entries and changes nothing: idempotent by nature, single-item, no
 * condition needed. A month item expires 120 days after the month's last day.
 *
 * A parcel for which a party's day has no bucket with room left (count-in-day-buckets.ts) is not
 * counted for that party that day: the day is reported once per call, and every other bucket, every
 * profile and every shared item is written all the same. Failing instead would dead-letter the message,
 * and every later one with a parcel of that party that day, each unrecorded for all its parties.
 */

const lastDayOfMonth = (month: string): string => {
  const [year = 0, monthIndex = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthIndex, 0)).toISOString().slice(0, 10);
};

/** One indicator's shared counterparts of one month, from one source region: one item. */
export interface SharedCounterpartsItem {
  key: string;
  region: string;
  month: string;
}

/** A party's day whose day bucket and overflow buckets are all full. */
export interface FullPartyDay {
  key: string;
  region: string;
  day: string;
}

interface SharedCounterpartWrite extends SharedCounterpartsItem {
  entries: Set<string>;
}

interface ProfileWrite {
  region: string;
  key: string;
  firstSeen: string;
  lastSeen: string;
  days: Set<string>;
  slots: Set<string>;
}

/** Records screened parcels: their claims, day buckets, profiles and shared counterparts. */
export class ObservationRecorder {
  private readonly dayBuckets: DayBucketCounter;

  constructor(
    private readonly table: PartyHistoryTable,
    private readonly agreements: SharingAgreements,
    private readonly sharedCounterpartsFull: (item: SharedCounterpartsItem) => void,
    private readonly partyDayFull: (day: FullPartyDay) => void,
  ) {
    this.dayBuckets = new DayBucketCounter(table);
  }

  async record(observations: ParcelObservation[]): Promise<void> {
    const unique = lastOfEachParcel(observations);
    const claimed = new Array<string>(unique.length);
    await forEachLimited([...unique.keys()], CONCURRENCY, async (index) => {
      claimed[index] = await this.claim(unique[index]!);
    });

    const buckets = new Map<string, BucketWrite>();
    const profiles = new Map<string, ProfileWrite>();
    unique.forEach((observation, index) => {
      const observedAt = claimed[index]!;
      const day = dayOf(observedAt);
      for (const key of historyKeysOf(observation.keys)) {
        const bucketId = `${observation.region}#${key}#${day}`;
        const bucket = buckets.get(bucketId) ?? { region: observation.region, key, day, parcels: [] };
        bucket.parcels.push({
          parcelKey: observation.parcelKey,
          flagged: observation.flagged,
          links: linkedKeysOf(key, observation.keys),
          origin: normalizeOrigin(observation.originCity),
          tallies: observation.tallies ?? [],
        });
        buckets.set(bucketId, bucket);
        const profileId = `${observation.region}#${key}`;
        const profile = profiles.get(profileId);
        if (!profile) {
          profiles.set(profileId, {
            region: observation.region,
            key,
            firstSeen: observedAt,
            lastSeen: observedAt,
            days: new Set([day]),
            slots: new Set(),
          });
        } else {
          if (observedAt < profile.firstSeen) profile.firstSeen = observedAt;
          if (observedAt > profile.lastSeen) profile.lastSeen = observedAt;
          profile.days.add(day);
        }
      }
    });

    const bucketWrites = [...buckets.values()].flatMap((bucket) =>
      chunk(bucket.parcels, COALESCE_LIMIT).map((parcels) => ({ ...bucket, parcels })),
    );
    const fullDays = new Map<string, FullPartyDay>();
    await forEachLimited(bucketWrites, CONCURRENCY, async (write) => {
      const profile = profiles.get(`${write.region}#${write.key}`)!;
      const counted = await this.dayBuckets.countInBucket(write);
      for (const slot of counted.slots) profile.slots.add(slotEntry(write.day, slot));
      if (counted.dayFull) {
        const full = { key: write.key, region: write.region, day: write.day };
        fullDays.set(`${write.region}#${write.key}#${write.day}`, full);
      }
    });
    for (const full of fullDays.values()) this.partyDayFull(full);
    await forEachLimited([...profiles.values()], CONCURRENCY, (write) => this.touchProfile(write));
    await forEachLimited(this.sharedCounterpartWrites(unique, claimed), CONCURRENCY, (write) =>
      this.shareCounterparts(write),
    );
  }

  /** The counterpart entries each indicator may share, coalesced per shared item (key, region, month). */
  private sharedCounterpartWrites(
    observations: ParcelObservation[],
    claimed: string[],
  ): SharedCounterpartWrite[] {
    const writes = new Map<string, SharedCounterpartWrite>();
    observations.forEach((observation, index) => {
      const day = dayOf(claimed[index]!);
      for (const { kind, key, counterpart } of sharedCounterpartsOf(observation.keys)) {
        if (sharingPartners(this.agreements, observation.region, kind, day).length === 0) continue;
        const month = day.slice(0, 7);
        const id = `${key}#${observation.region}#${month}`;
        const write = writes.get(id) ?? {
          key,
          region: observation.region,
          month,
          entries: new Set<string>(),
        };
        write.entries.add(sharedCounterpartEntry(day, counterpart, observation.delivery));
        writes.set(id, write);
      }
    });
    return [...writes.values()];
  }

  /**
   * A set ADD: writing the same entries again leaves the item as it was. An item at DynamoDB's size
   * limit takes no more: failing here would fail the parcel's history, and every later parcel of the
   * indicator that month, for good (no retry makes the item smaller).
   */
  private async shareCounterparts(write: SharedCounterpartWrite): Promise<void> {
    const added = await addToGrowingItem(() =>
      this.table.update({
        Key: sharedCounterpartsKey(write.key, write.region, write.month),
        UpdateExpression: 'ADD counterparts :entries SET expiresAt = :expiresAt',
        ExpressionAttributeValues: {
          ':entries': write.entries,
          ':expiresAt': dayStartEpochSeconds(lastDayOfMonth(write.month), BUCKET_TTL_DAYS),
        },
      }),
    );
    if (added === 'full') {
      this.sharedCounterpartsFull({ key: write.key, region: write.region, month: write.month });
    }
  }

  /**
   * Fixes the parcel's observation time on its first recording; returns the time it counts at. A claim
   * of an earlier delivery under the parcel key (its manifest received before this one's), or expired at
   * this observation's time (whether or not TTL has deleted it yet), counts as none: the parcel id was
   * delivered again once its records expired, and this is another parcel. A claim expires at the start of
   * the 400th day after the day it was screened on, its parcel's record 400 days after its receipt: the
   * claim outlives the record when screening came a day or more after receipt, hence the delivery's
   * receipt; screened on the day of receipt, it expires up to a day before the record, which matters only
   * to the same delivery screened again 400 days on. A claim without `expiresAt` or `receivedAt`
   * (`<=` and `<` are false on a missing attribute) stays.
   */
  private async claim(observation: ParcelObservation): Promise<string> {
    const key = claimKey(observation.region, observation.parcelKey);
    const receivedAt =
      observation.receivedAt === undefined ? undefined : canonicalInstant(observation.receivedAt);
    const created = await conditional(() =>
      awsCall('DynamoDB PutItem party claim', () =>
        this.table.db.send(
          new PutCommand({
            TableName: this.table.tableName,
            Item: {
              ...key,
              observedAt: observation.observedAt,
              ...(receivedAt === undefined ? {} : { receivedAt }),
              expiresAt: claimExpiresAt(observation.observedAt),
            },
            ConditionExpression:
              receivedAt === undefined
                ? 'attribute_not_exists(pk) OR expiresAt <= :now'
                : 'attribute_not_exists(pk) OR expiresAt <= :now OR receivedAt < :receivedAt',
            ExpressionAttributeValues: {
              ':now': epochSecondsOf(observation.observedAt),
              ...(receivedAt === undefined ? {} : { ':receivedAt': receivedAt }),
            },
          }),
        ),
      ),
    );
    if (created) return observation.observedAt;
    const existing = await awsCall('DynamoDB GetItem party claim', () =>
      this.table.db.send(new GetCommand({ TableName: this.table.tableName, Key: key, ConsistentRead: true })),
    );
    return text(existing.Item?.observedAt) ?? observation.observedAt;
  }

  /** First seen (min), last seen (max) and active days: idempotent, however often replayed. */
  private async touchProfile(write: ProfileWrite): Promise<void> {
    const Key = profileKey(write.region, write.key);
    const values: Record<string, unknown> = { ':first': write.firstSeen, ':days': write.days };
    const add = write.slots.size > 0 ? 'ADD days :days, slots :slots' : 'ADD days :days';
    if (write.slots.size > 0) values[':slots'] = write.slots;
    let updated: Item | undefined;
    try {
      const result = await this.table.update({
        Key,
        UpdateExpression: `SET lastSeen = :last, firstSeen = if_not_exists(firstSeen, :first) ${add}`,
        ConditionExpression: 'attribute_not_exists(lastSeen) OR lastSeen <= :last',
        ExpressionAttributeValues: { ...values, ':last': write.lastSeen },
        ReturnValues: 'UPDATED_NEW',
      });
      updated = result;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Seen later already (an out-of-order or replayed observation): keep lastSeen, still merge the rest.
      updated = await this.table.update({
        Key,
        UpdateExpression: `SET firstSeen = if_not_exists(firstSeen, :first) ${add}`,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
      });
    }
    const firstSeen = text(updated?.firstSeen);
    if (firstSeen !== undefined && firstSeen > write.firstSeen) {
      await conditional(() =>
        this.table.update({
          Key,
          UpdateExpression: 'SET firstSeen = :first',
          ConditionExpression: 'firstSeen > :first',
          ExpressionAttributeValues: { ':first': write.firstSeen },
        }),
      );
    }
  }
}
