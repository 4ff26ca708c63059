import { addDays, dayOf, HISTORY_WINDOW_DAYS, windowMonths } from '../../core/parties/history-days.js';
import {
  counterpartsIn,
  type DayBucket,
  historyFactsOf,
  historyKeysOf,
  linkedPartiesIn,
  type OwnHistory,
  type PartyProfile,
  summarizeParty,
  windowsOfKey,
} from '../../core/parties/history-model.js';
import type { PartyKeys } from '../../core/parties/party-keys.js';
import { sharedIndicatorsOf } from '../../core/parties/shared-history.js';
import { possibleSharingPartners, type SharingAgreements } from '../../core/parties/sharing.js';
import type { HistoryFacts } from '../../core/screening/facts.js';
import { type TallyWindow, windowKey } from '../../core/screening/tallies.js';
import { forEachLimited } from '../../platform/concurrency.js';
import { AppError } from '../../platform/errors.js';
import type { PartyNode } from '../../ports/party-history.js';
import { queryPages } from '../dynamodb-batch.js';
import { CONCURRENCY, type PartyHistoryTable, strings, text } from './history-table.js';
import {
  bucketKey,
  historyPk,
  type Item,
  idOf,
  type Key,
  outcomesKey,
  profileKey,
  sharedCounterpartsKey,
  sharedKey,
  slotOf,
  tallyCountAttribute,
  tallyKeysAttribute,
} from './item-keys.js';

/**
 * Reads: one BatchGetItem round for the profiles (and the shared items the region's agreements allow),
 * then a Query per party of the sparse `bucketCounts` index (every bucket write sets its `bucket`,
 * `<day>#<slot>`) for the buckets of the active days within the 90-day window and the overflow buckets
 * the profiles name: their counts without the parcel sets, which a read of the bucket item itself would
 * be charged for whatever it projects (up to 400 KB a busy party's day). A bucket the index does not
 * hold (written before it, or a moment ago) is read from the table. A day's several buckets are summed
 * like days.
 *
 * Tallies are kept under attributes named by their counters (`t_<counter>`, `v_<counter>`), which the
 * index, projecting named attributes, does not hold: for a key of a party a tally window names (the
 * parties its rules read it on), the buckets of the days of its longest window are read from the table
 * (their counts with them, projecting that key's windows' attributes only), the older days' from the
 * index. Such a read is charged for each bucket item's whole size, so a key no window names (a busy
 * shipper whose tallies no rule reads) reads from the index as before tallies.
 */

/** The tally attributes of the windows asked for, as a projection and its attribute names. */
const tallyProjection = (
  windows: readonly TallyWindow[],
): { expression: string; names: Record<string, string> } => {
  const attributes = new Set(
    windows.map(({ counter, distinct }) =>
      distinct ? tallyKeysAttribute(counter) : tallyCountAttribute(counter),
    ),
  );
  const names: Record<string, string> = {};
  [...attributes].forEach((attribute, index) => {
    names[`#tally${index}`] = attribute;
  });
  return {
    expression: Object.keys(names)
      .map((name) => `, ${name}`)
      .join(''),
    names,
  };
};

/** A bucket item's tallies of the windows asked for: counts of parcel tallies, keys of distinct ones. */
const talliesOf = (item: Item, windows: readonly TallyWindow[]): Pick<DayBucket, 'tallies' | 'tallyKeys'> => {
  const tallies: Record<string, number> = {};
  const tallyKeys: Record<string, string[]> = {};
  for (const { counter, distinct } of windows) {
    if (distinct) tallyKeys[counter] = strings(item[tallyKeysAttribute(counter)]);
    else tallies[counter] = Number(item[tallyCountAttribute(counter)] ?? 0);
  }
  return { tallies, tallyKeys };
};

/** The index of bucket counts (infra/definitions.ts), keyed `pk` and `bucket` (`<day>#<slot>`). */
const BUCKET_COUNTS = 'bucketCounts';

/** DynamoDB refused a query because the index does not exist yet or is still backfilling. */
const isIndexUnavailable = (error: unknown): boolean =>
  error instanceof AppError &&
  error.cause instanceof Error &&
  error.cause.name === 'ValidationException' &&
  /does not have the specified index|backfilling global secondary index/i.test(error.cause.message);

/** The summaries, links and graph nodes the PartyHistory port reads. */
export class PartySummaryReader {
  constructor(
    private readonly table: PartyHistoryTable,
    private readonly agreements: SharingAgreements,
  ) {}

  async summarize(
    parties: PartyKeys[],
    region: string,
    now: string,
    delivery?: string,
    tallies: readonly TallyWindow[] = [],
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
      this.ownHistories(keys, region, now, tallies),
      this.table.batchGet(sharedReads),
    ]);
    return parties.map((keys) =>
      historyFactsOf({
        keys,
        region,
        now,
        ...(delivery === undefined ? {} : { delivery }),
        tallies,
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

  async linksOf(key: string, region: string, now: string): Promise<string[]> {
    const profiles = await this.table.batchGet([profileKey(region, key)]);
    const profile = profiles.get(idOf(profileKey(region, key)));
    const buckets = await this.bucketsFor([{ key, days: strings(profile?.days) }], region, now, 'links');
    return linkedPartiesIn(buckets.get(key) ?? []);
  }

  async nodes(keys: string[], region: string, now: string): Promise<PartyNode[]> {
    const histories = await this.ownHistories([...new Set(keys)], region, now);
    return keys.map((key) => {
      const { parcels90d, flags, inspections, seizures } =
        histories.get(key)?.summary ?? summarizeParty(key, undefined, [], now);
      return { key, parcels90d, flags, inspections, seizures };
    });
  }

  /** The outcome log of each party, from the month items its profile names. */
  async outcomeLogsOf(
    parties: { key: string; months: string[] }[],
    region: string,
    consistent = false,
  ): Promise<Map<string, string[]>> {
    const wanted = parties.flatMap(({ key, months }) => months.map((month) => ({ key, month })));
    const items = consistent
      ? await this.table.getConsistently(wanted.map(({ key, month }) => outcomesKey(region, key, month)))
      : await this.table.batchGet(
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

  /**
   * Own-region history of each key that has a profile (unknown keys are left out), each counting the
   * windows of `tallies` that are its key's (windowsOfKey: those of its party).
   */
  private async ownHistories(
    keys: string[],
    region: string,
    now: string,
    tallies: readonly TallyWindow[] = [],
  ): Promise<Map<string, OwnHistory>> {
    const items = await this.table.batchGet(keys.map((key) => profileKey(region, key)));
    const known = keys.flatMap((key) => {
      const item = items.get(idOf(profileKey(region, key)));
      return item ? [{ key, item, windows: windowsOfKey(tallies, key) }] : [];
    });
    const [buckets, outcomeLogs] = await Promise.all([
      this.bucketsFor(
        known.map(({ key, item, windows }) => ({
          key,
          days: strings(item.days),
          slots: strings(item.slots),
          windows,
        })),
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
    for (const { key, item, windows } of known) {
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
        summary: summarizeParty(key, profile, own, now, windows),
        counterparts: counterpartsIn(key, own, now),
      });
    }
    return result;
  }

  /**
   * The buckets of the active days in the window, and the overflow buckets named in `slots` when given;
   * with the tallies of a party's `windows`, those of its longest window's days read from the table.
   */
  private async bucketsFor(
    parties: { key: string; days: string[]; slots?: string[]; windows?: readonly TallyWindow[] }[],
    region: string,
    now: string,
    projection: string,
  ): Promise<Map<string, DayBucket[]>> {
    const today = dayOf(now);
    const oldest = addDays(today, 1 - HISTORY_WINDOW_DAYS);
    const windowsOf = new Map(parties.map(({ key, windows = [] }) => [key, windows]));
    // By key, the first day whose buckets hold tallies asked for: read from the table, from there to today.
    // A window is at most 90 days (the rule set schema's MAX_TALLY_DAYS); a longer one would only start
    // before `oldest`, and no bucket before it is read.
    const tallied = new Map(
      parties.flatMap(({ key, windows = [] }) =>
        windows.length === 0
          ? []
          : [[key, addDays(today, 1 - Math.max(...windows.map(({ days }) => days)))] as const],
      ),
    );
    const wanted = parties.flatMap(({ key, days, slots = [] }) =>
      [...days.map((day) => ({ day, slot: 0 })), ...slots.map(slotOf)]
        .filter(({ day }) => day >= oldest && day <= today)
        .map(({ day, slot }) => ({ key, day, slot })),
    );
    const counted = wanted.filter(({ key, day }) => day < (tallied.get(key) ?? '~'));
    const items = await this.bucketCountsOf(
      [...new Set(counted.map(({ key }) => key))].map((key) => {
        const from = tallied.get(key);
        return { key, from: oldest, to: `${from === undefined ? today : addDays(from, -1)}#~` };
      }),
      region,
      projection,
    );
    // Buckets the index does not hold: written before it (until they leave the window), or a moment ago;
    // and those of the tallies' days. Read with the tally attributes of their key's windows, keys of the
    // same windows together.
    const fromTable = new Map<string, { windows: readonly TallyWindow[]; keys: Key[] }>();
    for (const { key, day, slot } of wanted) {
      const item = bucketKey(region, key, day, slot);
      if (items.has(idOf(item))) continue;
      const windows = windowsOf.get(key) ?? [];
      const group = windows.map(windowKey).join(' ');
      const reads = fromTable.get(group) ?? { windows, keys: [] };
      reads.keys.push(item);
      fromTable.set(group, reads);
    }
    await Promise.all(
      [...fromTable.values()].map(async ({ windows, keys }) => {
        const tallyAttributes = tallyProjection(windows);
        const read = await this.table.batchGet(
          keys,
          `pk, sk, ${projection}${tallyAttributes.expression}`,
          tallyAttributes.names,
        );
        for (const [id, item] of read) items.set(id, item);
      }),
    );
    const result = new Map<string, DayBucket[]>();
    for (const { key, day, slot } of wanted) {
      const item = items.get(idOf(bucketKey(region, key, day, slot)));
      if (!item) continue;
      const list = result.get(key) ?? [];
      list.push({
        day,
        // Stored as `shipments` since the first bucket: a name kept, as renaming it would lose the counts.
        parcelCount: Number(item.shipments ?? 0),
        flags: Number(item.flags ?? 0),
        links: strings(item.links),
        origins: strings(item.origins),
        ...talliesOf(item, windowsOf.get(key) ?? []),
      });
      result.set(key, list);
    }
    return result;
  }

  /**
   * Each party's buckets from its `from` to its `to` (`<day>#<slot>`) in the bucketCounts index; items
   * by idOf(key). None while the index is still being created (CloudFormation adds it to a deployed
   * table without waiting for it): the caller then reads every bucket from the table, as before the index.
   */
  private async bucketCountsOf(
    ranges: { key: string; from: string; to: string }[],
    region: string,
    projection: string,
  ): Promise<Map<string, Item>> {
    try {
      return await this.queryBucketCounts(ranges, region, projection);
    } catch (error) {
      if (!isIndexUnavailable(error)) throw error;
      return new Map();
    }
  }

  private async queryBucketCounts(
    ranges: { key: string; from: string; to: string }[],
    region: string,
    projection: string,
  ): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    await forEachLimited(ranges, CONCURRENCY, async ({ key, from, to }) => {
      const pages = queryPages(
        this.table.db,
        {
          TableName: this.table.tableName,
          IndexName: BUCKET_COUNTS,
          KeyConditionExpression: 'pk = :pk AND #bucket BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#bucket': 'bucket' },
          ExpressionAttributeValues: { ':pk': historyPk(region, key), ':from': from, ':to': to },
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
}
