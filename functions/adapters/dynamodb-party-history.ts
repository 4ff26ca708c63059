import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  addDays,
  claimExpiresAt,
  counterpartsIn,
  currentOutcomeOf,
  type DayBucket,
  dayOf,
  dayStartEpochSeconds,
  HISTORY_WINDOW_DAYS,
  historyFactsOf,
  historyKeysOf,
  linkedKeysOf,
  normalizeOrigin,
  type OwnHistory,
  outcomeCorrectionEntry,
  outcomeEntry,
  type PartyProfile,
  sharedCounterpartEntry,
  sharedCounterpartsOf,
  sharedIndicatorsOf,
  sharedParcelRef,
  sharedSeizureEntry,
  summarizeParty,
  windowMonths,
} from '../core/parties/history-model.js';
import type { PartyKeys } from '../core/parties/party-keys.js';
import { kindOfKey } from '../core/parties/party-keys.js';
import {
  NO_SHARING,
  possibleSharingPartners,
  type SharingAgreements,
  sharingPartners,
} from '../core/parties/sharing.js';
import { canonicalInstant, epochSecondsOf } from '../core/retention.js';
import type { HistoryFacts } from '../core/screening/facts.js';
import { chunk, forEachLimited } from '../platform/concurrency.js';
import { AppError, ConflictError, DependencyError } from '../platform/errors.js';
import type {
  OutcomeCorrectionObservation,
  OutcomeObservation,
  ParcelObservation,
  PartyHistory,
  PartyNode,
} from '../ports/party-history.js';
import { awsCall, conditional } from './aws-errors.js';
import { queryPages } from './dynamodb-batch.js';
import { addToGrowingItem, firstSlotTaking, type GrowingAdd } from './growing-items.js';
import { parcelDigest } from './parcel-digest.js';

/**
 * Party history in the single `partyHistory` table (pk, sk), as four kinds of item:
 *
 * | item    | pk                          | sk         | attributes                                              |
 * |---------|-----------------------------|------------|---------------------------------------------------------|
 * | claim   | `C#<region>#<parcelKey>`    | `CLAIM`    | observedAt: the time the parcel is counted at; receivedAt of its delivery; expiresAt |
 * | bucket  | `H#<region>#<partyKey>`     | `D#<day>`  | parcels (SS), shipments, flags, links (SS), origins (SS)|
 * | overflow bucket | `H#<region>#<partyKey>` | `D#<day>#<n>` | parcels (SS), shipments, flags, origins (SS)    |
 * | profile | `H#<region>#<partyKey>`     | `PROFILE`  | firstSeen, lastSeen, days (SS), slots (SS of `<day>#<n>`), outcomeMonths (SS), outcomeCorrections (SS) |
 * | outcomes | `H#<region>#<partyKey>`    | `O#<yyyy-mm>`, `O#<yyyy-mm>#<n>` | outcomeParcels (SS), outcomeLog (SS) |
 * | shared  | `S#<partyKey>`              | `R#<region>` | seizures (SS of `day|hashed parcel ref`)              |
 * | shared counterparts | `S#<partyKey>`  | `R#<region>#M#<yyyy-mm>` | counterparts (SS of `day|counterpart key`) |
 *
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
 * A bucket can only dedupe a parcel that lands in it, so the day must not depend on when a delivery
 * happens to run: the first recording of a parcel writes a claim (PutItem, unless an unexpired claim is
 * there) fixing its observedAt, and every later recording reads the claim and uses that time.
 *
 * Profiles carry what is idempotent by nature: set ADDs, first/last seen as min/max kept with
 * conditional SETs. Outcomes, which are per parcel and conditional like bucket counts, are logged in an
 * item per month of their recording (`O#<yyyy-mm>`, about 3,800 outcomes of one party fit), overflowing
 * into pages `O#<yyyy-mm>#1`, `#2`… as day buckets do; the profile's `outcomeMonths` names the pages for
 * readers, so a party inspected for years keeps a small profile and stays screenable. A page is written
 * first and the profile names it after, also when the page already held the outcome (a replay after a
 * crash in between). One outcome per parcel, with a stable `recordedAt` (the review queue keeps both),
 * is what a page can deduplicate. A correction
 * is a set ADD of `correctedAt|outcome|parcelKey` to `outcomeCorrections` (idempotent by nature; the
 * latest correction of a parcel replaces its outcome when a summary is computed, see
 * correctedOutcomeLog); its shared seizure entry is then added or withdrawn to match the parcel's
 * outcome as the consignee's history now has it, so replaying an older correction undoes nothing. Buckets are
 * written before profiles, so a profile's `days` never names a bucket that lacks this parcel for long;
 * a crash in between is repaired by the redelivery (bucket condition fails, profile write is replayed).
 *
 * Shared counterparts (names per phone, consignees per address, shippers per consignee, consignees per
 * ID document) are set ADDs of `day|counterpart key` on one item per indicator key, source region and
 * month, written only for the kinds an agreement in force that day covers. The day is the claimed day,
 * so a redelivery adds the same entries and changes nothing: idempotent by nature, single-item, no
 * condition needed. A month item expires 120 days after the month's last day.
 *
 * Reads: one BatchGetItem round for the profiles (and the shared items the region's agreements allow),
 * then a Query per party of the sparse `bucketCounts` index (every bucket write sets its `bucket`,
 * `<day>#<slot>`) for the buckets of the active days within the 90-day window and the overflow buckets
 * the profiles name: their counts without the parcel sets, which a read of the bucket item itself would
 * be charged for whatever it projects (up to 400 KB a busy party's day). A bucket the index does not
 * hold (written before it, or a moment ago) is read from the table. A day's several buckets are summed
 * like days.
 * Buckets expire (TTL) 30 days after they leave the window; claims after 400 days, when a recording
 * counts an expired claim as none (TTL or not: a parcel id delivered again after that is another parcel).
 */

/** The index of bucket counts (infra/definitions.ts), keyed `pk` and `bucket` (`<day>#<slot>`). */
const BUCKET_COUNTS = 'bucketCounts';

/** DynamoDB refused a query because the index does not exist yet or is still backfilling. */
const isIndexUnavailable = (error: unknown): boolean =>
  error instanceof AppError &&
  error.cause instanceof Error &&
  error.cause.name === 'ValidationException' &&
  /does not have the specified index|backfilling global secondary index/i.test(error.cause.message);

const READ_CHUNK = 100;
const ATTEMPTS = 6;
const CONCURRENCY = 16;
const COALESCE_LIMIT = 20;
const BUCKET_TTL_DAYS = HISTORY_WINDOW_DAYS + 30;
const LINKS_PER_DAY = 1_000;
const MAX_SLOTS = 100;
const MAX_LINKS_CLOSED = 10_000;

type Item = Record<string, unknown>;
interface Key {
  pk: string;
  sk: string;
}

const historyPk = (region: string, key: string) => `H#${region}#${key}`;
const profileKey = (region: string, key: string): Key => ({ pk: historyPk(region, key), sk: 'PROFILE' });
/** Slot 0 is the day bucket, slots 1… its overflow buckets. */
const bucketKey = (region: string, key: string, day: string, slot = 0): Key => ({
  pk: historyPk(region, key),
  sk: slot === 0 ? `D#${day}` : `D#${day}#${slot}`,
});
const slotEntry = (day: string, slot: number) => `${day}#${slot}`;
const slotOf = (entry: string) => {
  const [day = '', slot = ''] = entry.split('#');
  return { day, slot: Number(slot) };
};
const claimKey = (region: string, parcelKey: string): Key => ({
  pk: `C#${region}#${parcelKey}`,
  sk: 'CLAIM',
});
/** A page of the outcomes a party's profile logged in one month: `yyyy-mm`, then `yyyy-mm#<n>`. */
const outcomesKey = (region: string, key: string, page: string): Key => ({
  pk: historyPk(region, key),
  sk: `O#${page}`,
});
const monthOf = (iso: string) => iso.slice(0, 7);
const sharedKey = (key: string, sourceRegion: string): Key => ({ pk: `S#${key}`, sk: `R#${sourceRegion}` });
const sharedCounterpartsKey = (key: string, sourceRegion: string, month: string): Key => ({
  pk: `S#${key}`,
  sk: `R#${sourceRegion}#M#${month}`,
});
const lastDayOfMonth = (month: string): string => {
  const [year = 0, monthIndex = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthIndex, 0)).toISOString().slice(0, 10);
};
const idOf = (key: Key) => `${key.pk}\u0000${key.sk}`;

const strings = (value: unknown): string[] => (value instanceof Set ? [...(value as Set<string>)] : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt * 10, 500)));

interface BucketWrite {
  region: string;
  key: string;
  day: string;
  parcels: { parcelKey: string; flagged: boolean; links: string[]; origin: string }[];
}

/** One indicator's shared counterparts of one month, from one source region: one item. */
export interface SharedCounterpartsItem {
  key: string;
  region: string;
  month: string;
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

export class DynamoDbPartyHistory implements PartyHistory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly agreements: SharingAgreements = NO_SHARING,
    /**
     * Told when an indicator's shared counterparts of a month fill their item: its later counterparts
     * that month are not shared (the distinct count it feeds stays where it is, thousands above any
     * rule's threshold), and the parcel's history is recorded all the same.
     */
    private readonly sharedCounterpartsFull: (item: SharedCounterpartsItem) => void = () => undefined,
  ) {}

  /**
   * Day buckets that refused the links of parcels they did not hold (LINKS_PER_DAY reached, or no room):
   * later writes skip the attempt with links. Only links depend on it, never a count.
   */
  private readonly linksClosed = new Set<string>();

  async summarize(
    parties: PartyKeys[],
    region: string,
    now: string,
    delivery?: string,
  ): Promise<HistoryFacts[]> {
    const months = windowMonths(now);
    const sharedReads = parties.flatMap((keys) =>
      sharedIndicatorsOf(keys).flatMap(({ kind, key }) =>
        possibleSharingPartners(this.agreements, region, kind).flatMap((sourceRegion) => [
          sharedKey(key, sourceRegion),
          ...months.map((month) => sharedCounterpartsKey(key, sourceRegion, month)),
        ]),
      ),
    );
    const keys = [...new Set(parties.flatMap(historyKeysOf))];
    const [histories, sharedItems] = await Promise.all([
      this.ownHistories(keys, region, now),
      this.batchGet(sharedReads),
    ]);
    return parties.map((keys) =>
      historyFactsOf({
        keys,
        region,
        now,
        ...(delivery === undefined ? {} : { delivery }),
        agreements: this.agreements,
        own: (key) => histories.get(key),
        shared: (key, sourceRegion) => ({
          seizures: strings(sharedItems.get(idOf(sharedKey(key, sourceRegion)))?.seizures),
          counterparts: months.flatMap((month) =>
            strings(sharedItems.get(idOf(sharedCounterpartsKey(key, sourceRegion, month)))?.counterparts),
          ),
        }),
      }),
    );
  }

  async record(observations: ParcelObservation[]): Promise<void> {
    const unique = [...new Map(observations.map((o) => [`${o.region}#${o.parcelKey}`, o])).values()];
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
    await forEachLimited(bucketWrites, CONCURRENCY, async (write) => {
      const profile = profiles.get(`${write.region}#${write.key}`)!;
      for (const slot of await this.countInBucket(write)) profile.slots.add(slotEntry(write.day, slot));
    });
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
      this.update({
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

  async recordOutcome(outcomes: OutcomeObservation[]): Promise<void> {
    const unique = [...new Map(outcomes.map((o) => [`${o.region}#${o.parcelKey}`, o])).values()];
    const perKey = new Map<string, { region: string; key: string; outcomes: OutcomeObservation[] }>();
    for (const outcome of unique) {
      for (const key of historyKeysOf(outcome.keys)) {
        const id = `${outcome.region}#${key}`;
        const entry = perKey.get(id) ?? { region: outcome.region, key, outcomes: [] };
        entry.outcomes.push(outcome);
        perKey.set(id, entry);
      }
    }
    const writes = [...perKey.values()].flatMap((entry) =>
      chunk(entry.outcomes, COALESCE_LIMIT).map((part) => ({ ...entry, outcomes: part })),
    );
    await forEachLimited(writes, CONCURRENCY, (write) =>
      this.logOutcomes(write.region, write.key, write.outcomes),
    );

    const shares = unique
      .filter((outcome) => outcome.outcome === 'seized')
      .flatMap((outcome) => {
        const day = dayOf(outcome.recordedAt);
        const entry = sharedSeizureEntry(day, sharedParcelRef(outcome.region, outcome.parcelKey));
        return sharedIndicatorsOf(outcome.keys)
          .filter(({ kind }) => sharingPartners(this.agreements, outcome.region, kind, day).length > 0)
          .map(({ key }) => ({ key, region: outcome.region, entry }));
      });
    await forEachLimited(shares, CONCURRENCY, async ({ key, region, entry }) => {
      await this.update({
        Key: sharedKey(key, region),
        UpdateExpression: 'ADD seizures :entry',
        ExpressionAttributeValues: { ':entry': new Set([entry]) },
      });
    });
  }

  async correctOutcome(corrections: OutcomeCorrectionObservation[]): Promise<void> {
    const unique = [
      ...new Map(corrections.map((c) => [`${c.region}#${c.parcelKey}#${c.correctedAt}`, c])).values(),
    ];
    const perKey = new Map<string, { region: string; key: string; entries: Set<string> }>();
    for (const correction of unique) {
      for (const key of historyKeysOf(correction.keys)) {
        const id = `${correction.region}#${key}`;
        const entry = perKey.get(id) ?? { region: correction.region, key, entries: new Set<string>() };
        entry.entries.add(
          outcomeCorrectionEntry(correction.correctedAt, correction.outcome, correction.parcelKey),
        );
        perKey.set(id, entry);
      }
    }
    await forEachLimited([...perKey.values()], CONCURRENCY, async ({ region, key, entries }) => {
      await this.update({
        Key: profileKey(region, key),
        UpdateExpression: 'ADD outcomeCorrections :entries',
        ExpressionAttributeValues: { ':entries': entries },
      });
    });

    const parcels = [...new Map(unique.map((c) => [`${c.region}#${c.parcelKey}`, c])).values()];
    await forEachLimited(parcels, CONCURRENCY, (correction) => this.followSharedSeizure(correction));
  }

  /** Shares the parcel's seizure when its outcome now is `seized`, withdraws it otherwise. */
  private async followSharedSeizure(correction: OutcomeCorrectionObservation): Promise<void> {
    const { region, parcelKey, keys } = correction;
    const profile = await awsCall('DynamoDB GetItem party profile', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: profileKey(region, keys.consignee),
          ProjectionExpression: 'outcomeMonths, outcomeCorrections',
          ConsistentRead: true,
        }),
      ),
    );
    const logs = await this.outcomeLogsOf(
      [{ key: keys.consignee, months: strings(profile.Item?.outcomeMonths) }],
      region,
      true,
    );
    const current = currentOutcomeOf(
      parcelKey,
      logs.get(keys.consignee) ?? [],
      strings(profile.Item?.outcomeCorrections),
      correction.correctedAt,
    );
    if (!current) return;
    const day = dayOf(current.at);
    const entry = new Set([sharedSeizureEntry(day, sharedParcelRef(region, parcelKey))]);
    await forEachLimited(sharedIndicatorsOf(keys), CONCURRENCY, async ({ kind, key }) => {
      if (current.outcome === 'seized') {
        if (sharingPartners(this.agreements, region, kind, day).length === 0) return;
        await this.update({
          Key: sharedKey(key, region),
          UpdateExpression: 'ADD seizures :entry',
          ExpressionAttributeValues: { ':entry': entry },
        });
        return;
      }
      // Conditional so that withdrawing from an indicator that shared nothing creates no item.
      await conditional(() =>
        this.update({
          Key: sharedKey(key, region),
          UpdateExpression: 'DELETE seizures :entry',
          ConditionExpression: 'attribute_exists(seizures)',
          ExpressionAttributeValues: { ':entry': entry },
        }),
      );
    });
  }

  async linksOf(key: string, region: string, now: string): Promise<string[]> {
    const profiles = await this.batchGet([profileKey(region, key)]);
    const profile = profiles.get(idOf(profileKey(region, key)));
    const buckets = await this.bucketsFor([{ key, days: strings(profile?.days) }], region, now, 'links');
    const links = new Set<string>();
    for (const bucket of buckets.get(key) ?? []) {
      for (const link of bucket.links) if (kindOfKey(link) !== 'name') links.add(link);
    }
    return [...links].sort();
  }

  async nodes(keys: string[], region: string, now: string): Promise<PartyNode[]> {
    const histories = await this.ownHistories([...new Set(keys)], region, now);
    return keys.map((key) => {
      const { shipments90d, flags, inspections, seizures } =
        histories.get(key)?.summary ?? summarizeParty(key, undefined, [], now);
      return { key, shipments90d, flags, inspections, seizures };
    });
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
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
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
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return text(existing.Item?.observedAt) ?? observation.observedAt;
  }

  /** Counts the parcels on their day; returns the overflow slots that hold any of them (for `slots`). */
  private async countInBucket(write: BucketWrite): Promise<number[]> {
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
      this.update({
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

  /** First seen (min), last seen (max) and active days: idempotent, however often replayed. */
  private async touchProfile(write: ProfileWrite): Promise<void> {
    const Key = profileKey(write.region, write.key);
    const values: Record<string, unknown> = { ':first': write.firstSeen, ':days': write.days };
    const add = write.slots.size > 0 ? 'ADD days :days, slots :slots' : 'ADD days :days';
    if (write.slots.size > 0) values[':slots'] = write.slots;
    let updated: Item | undefined;
    try {
      const result = await this.update({
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
      updated = await this.update({
        Key,
        UpdateExpression: `SET firstSeen = if_not_exists(firstSeen, :first) ${add}`,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
      });
    }
    const firstSeen = text(updated?.firstSeen);
    if (firstSeen !== undefined && firstSeen > write.firstSeen) {
      await conditional(() =>
        this.update({
          Key,
          UpdateExpression: 'SET firstSeen = :first',
          ConditionExpression: 'firstSeen > :first',
          ExpressionAttributeValues: { ':first': write.firstSeen },
        }),
      );
    }
  }

  /** Logs outcomes in their months' pages, then names the pages in the profile. */
  private async logOutcomes(region: string, key: string, outcomes: OutcomeObservation[]): Promise<void> {
    const months = new Map<string, OutcomeObservation[]>();
    for (const outcome of outcomes) {
      const month = monthOf(outcome.recordedAt);
      months.set(month, [...(months.get(month) ?? []), outcome]);
    }
    const pages = new Set<string>();
    for (const [month, inMonth] of months) {
      for (const page of await this.logOutcomesOfMonth(region, key, month, inMonth)) pages.add(page);
    }
    await this.update({
      Key: profileKey(region, key),
      UpdateExpression: 'ADD outcomeMonths :pages',
      ExpressionAttributeValues: { ':pages': pages },
    });
  }

  /**
   * Logs one month's outcomes in its page `O#<yyyy-mm>`, or, one outcome at a time, in the first overflow
   * page `O#<yyyy-mm>#<n>` that holds it or takes it (pages only grow, as day buckets do); returns the
   * pages that hold them.
   */
  private async logOutcomesOfMonth(
    region: string,
    key: string,
    month: string,
    outcomes: OutcomeObservation[],
  ): Promise<string[]> {
    if (outcomes.length > 1) {
      if ((await this.logOutcomesOnPage(region, key, month, outcomes)) === 'counted') return [month];
      // Some were logged before (an interrupted delivery), or the group does not fit: each alone.
      const pages = new Set<string>();
      for (const outcome of outcomes) {
        for (const page of await this.logOutcomesOfMonth(region, key, month, [outcome])) pages.add(page);
      }
      return [...pages];
    }
    const pageOf = (slot: number) => (slot === 0 ? month : `${month}#${slot}`);
    const slot = await firstSlotTaking(0, MAX_SLOTS, (candidate) =>
      this.logOutcomesOnPage(region, key, pageOf(candidate), outcomes),
    );
    if (slot !== undefined) return [pageOf(slot)];
    throw new AppError(
      'PARTY_OUTCOMES_FULL',
      `party history: ${MAX_SLOTS} outcome pages of ${month} are full`,
    );
  }

  private async logOutcomesOnPage(
    region: string,
    key: string,
    page: string,
    outcomes: OutcomeObservation[],
  ): Promise<GrowingAdd> {
    const values: Record<string, unknown> = {
      ':parcels': new Set(outcomes.map((outcome) => outcome.parcelKey)),
      ':log': new Set(
        outcomes.map((outcome) => outcomeEntry(outcome.recordedAt, outcome.outcome, outcome.parcelKey)),
      ),
    };
    const fresh = outcomes.map((outcome, index) => {
      values[`:p${index}`] = outcome.parcelKey;
      return `NOT contains(outcomeParcels, :p${index})`;
    });
    return addToGrowingItem(() =>
      this.update({
        Key: outcomesKey(region, key, page),
        UpdateExpression: 'ADD outcomeParcels :parcels, outcomeLog :log',
        ConditionExpression: fresh.join(' AND '),
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** The outcome log of each party, from the month items its profile names. */
  private async outcomeLogsOf(
    parties: { key: string; months: string[] }[],
    region: string,
    consistent = false,
  ): Promise<Map<string, string[]>> {
    const wanted = parties.flatMap(({ key, months }) => months.map((month) => ({ key, month })));
    const items = consistent
      ? await this.getConsistently(wanted.map(({ key, month }) => outcomesKey(region, key, month)))
      : await this.batchGet(
          wanted.map(({ key, month }) => outcomesKey(region, key, month)),
          'pk, sk, outcomeLog',
        );
    const logs = new Map<string, string[]>();
    for (const { key, month } of wanted) {
      const log = strings(items.get(idOf(outcomesKey(region, key, month)))?.outcomeLog);
      logs.set(key, [...(logs.get(key) ?? []), ...log]);
    }
    return logs;
  }

  /** GetItem with ConsistentRead, one key at a time: for the few month items of one correction. */
  private async getConsistently(keys: Key[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    await forEachLimited(keys, CONCURRENCY, async (Key) => {
      const result = await awsCall('DynamoDB GetItem party outcomes', () =>
        this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
      );
      if (result.Item) found.set(idOf(Key), result.Item);
    });
    return found;
  }

  private async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | undefined> {
    const result = await awsCall('DynamoDB UpdateItem party history', () =>
      this.db.send(new UpdateCommand({ TableName: this.tableName, ...input })),
    );
    return result.Attributes;
  }

  /** Own-region history of each key that has a profile (unknown keys are left out). */
  private async ownHistories(keys: string[], region: string, now: string): Promise<Map<string, OwnHistory>> {
    const items = await this.batchGet(keys.map((key) => profileKey(region, key)));
    const known = keys.flatMap((key) => {
      const item = items.get(idOf(profileKey(region, key)));
      return item ? [{ key, item }] : [];
    });
    const [buckets, outcomeLogs] = await Promise.all([
      this.bucketsFor(
        known.map(({ key, item }) => ({ key, days: strings(item.days), slots: strings(item.slots) })),
        region,
        now,
        'shipments, flags, links, origins',
      ),
      this.outcomeLogsOf(
        known.map(({ key, item }) => ({ key, months: strings(item.outcomeMonths) })),
        region,
      ),
    ]);
    const result = new Map<string, OwnHistory>();
    for (const { key, item } of known) {
      const firstSeen = text(item.firstSeen);
      const lastSeen = text(item.lastSeen);
      const profile: PartyProfile = {
        ...(firstSeen === undefined ? {} : { firstSeen }),
        ...(lastSeen === undefined ? {} : { lastSeen }),
        days: strings(item.days),
        outcomeLog: outcomeLogs.get(key) ?? [],
        outcomeCorrections: strings(item.outcomeCorrections),
      };
      const own = buckets.get(key) ?? [];
      result.set(key, {
        summary: summarizeParty(key, profile, own, now),
        counterparts: counterpartsIn(key, own, now),
      });
    }
    return result;
  }

  /** The buckets of the active days in the window, and the overflow buckets named in `slots` when given. */
  private async bucketsFor(
    parties: { key: string; days: string[]; slots?: string[] }[],
    region: string,
    now: string,
    projection: string,
  ): Promise<Map<string, DayBucket[]>> {
    const today = dayOf(now);
    const oldest = addDays(today, 1 - HISTORY_WINDOW_DAYS);
    const wanted = parties.flatMap(({ key, days, slots = [] }) =>
      [...days.map((day) => ({ day, slot: 0 })), ...slots.map(slotOf)]
        .filter(({ day }) => day >= oldest && day <= today)
        .map(({ day, slot }) => ({ key, day, slot })),
    );
    const items = await this.bucketCountsOf(
      [...new Set(wanted.map(({ key }) => key))],
      region,
      { from: oldest, to: `${today}#~` },
      projection,
    );
    // Buckets the index does not hold: written before it (until they leave the window), or a moment ago.
    const unindexed = wanted
      .map(({ key, day, slot }) => bucketKey(region, key, day, slot))
      .filter((key) => !items.has(idOf(key)));
    if (unindexed.length > 0)
      for (const [id, item] of await this.batchGet(unindexed, `pk, sk, ${projection}`)) items.set(id, item);
    const result = new Map<string, DayBucket[]>();
    for (const { key, day, slot } of wanted) {
      const item = items.get(idOf(bucketKey(region, key, day, slot)));
      if (!item) continue;
      const list = result.get(key) ?? [];
      list.push({
        day,
        shipments: Number(item.shipments ?? 0),
        flags: Number(item.flags ?? 0),
        links: strings(item.links),
        origins: strings(item.origins),
      });
      result.set(key, list);
    }
    return result;
  }

  /**
   * The parties' buckets from `from` to `to` (`<day>#<slot>`) in the bucketCounts index; items by
   * idOf(key). None while the index is still being created (CloudFormation adds it to a deployed table
   * without waiting for it): the caller then reads every bucket from the table, as before the index.
   */
  private async bucketCountsOf(
    keys: string[],
    region: string,
    range: { from: string; to: string },
    projection: string,
  ): Promise<Map<string, Item>> {
    try {
      return await this.queryBucketCounts(keys, region, range, projection);
    } catch (error) {
      if (!isIndexUnavailable(error)) throw error;
      return new Map();
    }
  }

  private async queryBucketCounts(
    keys: string[],
    region: string,
    range: { from: string; to: string },
    projection: string,
  ): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    await forEachLimited(keys, CONCURRENCY, async (key) => {
      const pages = queryPages(
        this.db,
        {
          TableName: this.tableName,
          IndexName: BUCKET_COUNTS,
          KeyConditionExpression: 'pk = :pk AND #bucket BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#bucket': 'bucket' },
          ExpressionAttributeValues: { ':pk': historyPk(region, key), ':from': range.from, ':to': range.to },
          ProjectionExpression: `pk, sk, ${projection}`,
        },
        'DynamoDB Query party history buckets',
      );
      for await (const page of pages) {
        for (const item of page) found.set(idOf({ pk: String(item.pk), sk: String(item.sk) }), item);
      }
    });
    return found;
  }

  /** BatchGetItem in chunks of 100, retrying UnprocessedKeys with backoff; items by idOf(key). */
  private async batchGet(keys: Key[], projection?: string): Promise<Map<string, Item>> {
    const unique = [...new Map(keys.map((key) => [idOf(key), key])).values()];
    const found = new Map<string, Item>();
    await forEachLimited(chunk(unique, READ_CHUNK), 4, async (part) => {
      let pending: Item[] = part.map((key) => ({ ...key }));
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        const request = pending;
        const result = await awsCall('DynamoDB BatchGetItem party history', () =>
          this.db.send(
            new BatchGetCommand({
              RequestItems: {
                [this.tableName]: {
                  Keys: request,
                  ...(projection ? { ProjectionExpression: projection } : {}),
                },
              },
            }),
          ),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          found.set(idOf({ pk: String(item.pk), sk: String(item.sk) }), item);
        }
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
        if (pending.length > 0) {
          if (attempt >= ATTEMPTS) {
            throw new DependencyError(
              `party history: ${pending.length} key(s) unprocessed after ${ATTEMPTS} attempts`,
            );
          }
          await backoff(attempt);
        }
      }
    });
    return found;
  }
}
