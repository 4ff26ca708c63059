import { GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import type { PartyKeys } from '../../functions/core/parties/party-keys.js';
import type { SharingAgreements } from '../../functions/core/parties/sharing.js';
import { chunk } from '../../functions/platform/concurrency.js';
import type { ParcelObservation } from '../../functions/ports/party-history.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import {
  describePartyHistoryContract,
  keyOf,
  SHARING_WITH_GUANGDONG,
} from '../support/party-history-contract.js';

let dynamo: LocalDynamoDb;
let tables = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamo.stop();
});

/**
 * A dynalite of the calling describe's own, its items at most `maxItemSizeKb`, holding the party history
 * table `table`: started before the describe's tests and stopped after them; call the getter in a test or
 * a later hook.
 */
const aSmallDynamoDb = (table: string, maxItemSizeKb: number): (() => LocalDynamoDb) => {
  let small: LocalDynamoDb;
  beforeAll(async () => {
    small = await startLocalDynamoDb({ maxItemSizeKb });
    await small.createTable(table, TABLES.partyHistory);
  });
  afterAll(async () => {
    await small.stop();
  });
  return () => small;
};

describePartyHistoryContract('DynamoDbPartyHistory on dynalite', async (agreements) => {
  tables += 1;
  const tableName = `party-history-contract-${tables}`;
  await dynamo.createTable(tableName, TABLES.partyHistory);
  return new DynamoDbPartyHistory(dynamo.doc, tableName, agreements);
});

describe('DynamoDbPartyHistory on dynalite, a day outgrowing its bucket', () => {
  const TABLE = 'party-history-overflow';
  const REGION = 'yunnan-guangxi';
  const DAY = '2026-11-27';
  const NOW = '2026-11-28T10:00:00.000Z';
  // Enough for two overflow buckets and a margin (400 fill one; 520 already two): each parcel costs dynalite time.
  const PARCELS = 650;
  const keysOf = (index: number): PartyKeys => ({
    consignee: keyOf('consignee', `overflow-${index}`),
    shipper: keyOf('shipper', 'overflow'),
    phone: keyOf('phone', 'overflow-forwarder'),
    address: keyOf('address', 'overflow-forwarder'),
    consigneeName: keyOf('name', `overflow-${index}`),
  });
  const observationOf = (index: number, observedAt = `${DAY}T08:00:00.000Z`): ParcelObservation => ({
    parcelKey: `southwest-freight#SWF-${index}`,
    region: REGION,
    observedAt,
    keys: keysOf(index),
    originCity: 'Yiwu',
    flagged: index % 3 === 0,
  });
  const shipperPk = `H#${REGION}#${keysOf(0).shipper}`;
  // A small item size limit, so that a day outgrows its bucket after a few hundred parcels.
  const small = aSmallDynamoDb(TABLE, 4);
  let store: DynamoDbPartyHistory;

  const record = async (indexes: number[], observedAt?: string) => {
    const messages = chunk(indexes, 50);
    for (let next = 0; next < messages.length; next += 4) {
      await Promise.all(
        messages
          .slice(next, next + 4)
          .map((message) => store.record(message.map((index) => observationOf(index, observedAt)))),
      );
    }
  };
  const shipperItems = async () =>
    (
      await small().doc.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': shipperPk },
        }),
      )
    ).Items ?? [];

  beforeAll(() => {
    store = new DynamoDbPartyHistory(small().doc, TABLE);
  });

  it('counts every parcel once in overflow buckets the profile names, replays and a lost profile write included', async () => {
    // Prepare
    const all = Array.from({ length: PARCELS }, (_, index) => index);
    await record(all);
    // As if a delivery had crashed before its profile write: the profile names no overflow bucket.
    await small().doc.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: shipperPk, sk: 'PROFILE' },
        UpdateExpression: 'REMOVE slots',
      }),
    );
    await record(
      all.filter((index) => index % 5 === 0),
      '2026-11-28T07:00:00.000Z',
    );

    // Act
    const [facts] = await store.summarize([keysOf(0)], REGION, NOW);
    const links = await store.linksOf(keysOf(0).shipper, REGION, NOW);
    const items = await shipperItems();

    // Assess
    const buckets = items.filter((item) => String(item.sk).startsWith('D#'));
    const overflow = buckets.map((bucket) => String(bucket.sk)).filter((sk) => sk !== `D#${DAY}`);
    expect(overflow.length).toBeGreaterThanOrEqual(2);
    const profile = items.find((item) => item.sk === 'PROFILE')!;
    expect([...(profile.slots as Set<string>)].map((slot) => `D#${slot}`).sort()).toEqual(overflow.sort());
    const digests = buckets.flatMap((bucket) => [...(bucket.parcels as Set<string>)]);
    expect(digests).toHaveLength(PARCELS);
    expect(new Set(digests).size).toBe(PARCELS);
    expect(buckets.reduce((sum, bucket) => sum + Number(bucket.shipments), 0)).toBe(PARCELS);
    const flagged = all.filter((index) => index % 3 === 0).length;
    for (const party of [facts!.shipper, facts!.phone, facts!.address]) {
      expect(party).toMatchObject({ parcels90d: PARCELS, flags: flagged, distinctOrigins: 1 });
    }
    // Links only in the day bucket, for as many parcels as it had room for, each parcel's all or none.
    expect(buckets.filter((bucket) => bucket.links !== undefined).map((bucket) => bucket.sk)).toEqual([
      `D#${DAY}`,
    ]);
    const stored = buckets[0]!.links as Set<string>;
    const linked = all.filter((index) => stored.has(keysOf(index).consignee));
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.every((index) => stored.has(keysOf(index).consigneeName!))).toBe(true);
    expect(facts!.shipper.distinctCounterparts).toBe(linked.length);
    expect(links).toHaveLength(linked.length + 2);
  }, 60_000);
});

describe('DynamoDbPartyHistory on dynalite, a month of shared counterparts outgrowing its item', () => {
  const TABLE = 'party-history-shared-full';
  const REGION = 'yunnan-guangxi';
  const PARCELS = 300;
  // One pickup point's phone and address, a new consignee on every parcel.
  const keysOf = (index: number): PartyKeys => ({
    consignee: keyOf('consignee', `pickup-${index}`),
    shipper: keyOf('shipper', `pickup-${index}`),
    phone: keyOf('phone', 'pickup-point'),
    address: keyOf('address', 'pickup-point'),
    consigneeName: keyOf('name', `pickup-${index}`),
  });
  const observationOf = (index: number): ParcelObservation => ({
    parcelKey: `southwest-freight#PICKUP-${index}`,
    region: REGION,
    observedAt: `2026-11-${String(1 + (index % 27)).padStart(2, '0')}T08:00:00.000Z`,
    keys: keysOf(index),
    originCity: 'Kunming',
    flagged: false,
  });
  // A small item size limit: the phone's month of shared names fills after a few dozen.
  const small = aSmallDynamoDb(TABLE, 4);

  it('records every parcel and says which item is full, where it failed every later parcel of the month', async () => {
    // Prepare
    const full: string[] = [];
    const store = new DynamoDbPartyHistory(small().doc, TABLE, SHARING_WITH_GUANGDONG, {
      sharedCounterpartsFull: (item) => full.push(`${item.key} ${item.region} ${item.month}`),
    });

    // Act
    for (const message of chunk(
      Array.from({ length: PARCELS }, (_, index) => index),
      25,
    )) {
      await store.record(message.map(observationOf));
    }
    const [facts] = await store.summarize([keysOf(0)], REGION, '2026-11-28T10:00:00.000Z');
    const shared = await small().doc.send(
      new GetCommand({
        TableName: TABLE,
        Key: { pk: `S#${keysOf(0).phone}`, sk: `R#${REGION}#M#2026-11` },
      }),
    );

    // Assess: every parcel counted; the phone's and the address's items took what fitted, then refused
    expect(facts!.phone.parcels90d).toBe(PARCELS);
    expect(facts!.address.parcels90d).toBe(PARCELS);
    const entries = (shared.Item?.counterparts as Set<string> | undefined)?.size ?? 0;
    expect(entries).toBeGreaterThan(10);
    expect(entries).toBeLessThan(PARCELS);
    expect(new Set(full)).toEqual(
      new Set([`${keysOf(0).phone} ${REGION} 2026-11`, `${keysOf(0).address} ${REGION} 2026-11`]),
    );
  }, 60_000);
});

describe('DynamoDbPartyHistory on dynalite, shared seizures outgrowing their item', () => {
  const TABLE = 'party-history-seizures-full';
  const REGION = 'yunnan-guangxi';
  const SEIZURES = 160;
  const NOW = '2026-11-28T10:00:00.000Z';
  // A depot's address, shared by every parcel; each parcel to its own consignee and phone.
  const keysOf = (index: number): PartyKeys => ({
    consignee: keyOf('consignee', `depot-${index}`),
    shipper: keyOf('shipper', `depot-${index}`),
    phone: keyOf('phone', `depot-${index}`),
    address: keyOf('address', 'depot'),
    consigneeName: keyOf('name', `depot-${index}`),
  });
  const seizureOf = (index: number) => ({
    parcelKey: `southwest-freight#DEPOT-${index}`,
    region: REGION,
    recordedAt: `2026-11-${String(1 + (index % 27)).padStart(2, '0')}T09:00:00.000Z`,
    keys: keysOf(index),
    outcome: 'seized' as const,
  });
  // A small item size limit: the depot's shared seizures fill their item after about 120.
  const small = aSmallDynamoDb(TABLE, 4);

  it('records every seizure and says which item is full, where the write failed the outcome and every later seizure there', async () => {
    // Prepare
    const full: string[] = [];
    const store = new DynamoDbPartyHistory(small().doc, TABLE, SHARING_WITH_GUANGDONG, {
      sharedSeizuresFull: (item) => full.push(`${item.key} ${item.region}`),
    });

    // Act: one seizure at a time, as officers record them; then the last one again, and a correction
    for (let index = 0; index < SEIZURES; index++) await store.recordOutcome([seizureOf(index)]);
    await store.recordOutcome([seizureOf(SEIZURES - 1)]);
    await store.correctOutcome([
      {
        parcelKey: seizureOf(SEIZURES - 2).parcelKey,
        region: REGION,
        correctedAt: NOW,
        keys: keysOf(SEIZURES - 2),
        outcome: 'seized',
      },
    ]);
    const [own] = await store.summarize([keysOf(0)], REGION, NOW);
    const [elsewhere] = await store.summarize([keysOf(SEIZURES - 1)], 'guangdong', NOW);
    const shared = await small().doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `S#${keysOf(0).address}`, sk: `R#${REGION}` } }),
    );

    // Assess: the depot's own history has every seizure; its shared item took what fitted, then refused
    expect(own!.address).toMatchObject({ inspections: SEIZURES, seizures: SEIZURES });
    const entries = (shared.Item?.seizures as Set<string> | undefined)?.size ?? 0;
    expect(entries).toBeGreaterThan(10);
    expect(entries).toBeLessThan(SEIZURES);
    expect(new Set(full)).toEqual(new Set([`${keysOf(0).address} ${REGION}`]));
    // The last parcel's seizure still reaches other regions through its consignee and phone.
    expect(elsewhere!.sharedSeizures).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

describe('DynamoDbPartyHistory on dynalite, a party inspected over many months', () => {
  const TABLE = 'party-history-outcomes';
  const REGION = 'yunnan-guangxi';
  const OUTCOMES = 120;
  const keys: PartyKeys = {
    consignee: keyOf('consignee', 'long-inspected'),
    shipper: keyOf('shipper', 'long-inspected'),
    phone: keyOf('phone', 'long-inspected'),
    address: keyOf('address', 'long-inspected-forwarder'),
    consigneeName: keyOf('name', 'long-inspected'),
  };
  /** Ten inspections a month through 2025, one in four a seizure. */
  const outcomeOf = (index: number) => ({
    parcelKey: `southwest-freight#SWF-OUT-${index}`,
    region: REGION,
    recordedAt: `2025-${String(1 + Math.floor(index / 10)).padStart(2, '0')}-${String(1 + (index % 10)).padStart(2, '0')}T09:00:00.000Z`,
    keys,
    outcome: index % 4 === 0 ? ('seized' as const) : ('cleared' as const),
  });
  // 2 KB items: one profile holding every outcome would be full after about twenty.
  const small = aSmallDynamoDb(TABLE, 2);
  let store: DynamoDbPartyHistory;

  beforeAll(() => {
    store = new DynamoDbPartyHistory(small().doc, TABLE);
  });

  const profileOf = async (key: string) =>
    (
      await small().doc.send(
        new GetCommand({ TableName: TABLE, Key: { pk: `H#${REGION}#${key}`, sk: 'PROFILE' } }),
      )
    ).Item!;

  it('logs outcomes in month items, so the profile stays small and the party stays screenable', async () => {
    // Prepare
    const parcelOn = (day: string, index: number): ParcelObservation => ({
      parcelKey: `southwest-freight#SWF-NEW-${index}`,
      region: REGION,
      observedAt: `${day}T08:00:00.000Z`,
      keys,
      originCity: 'Ruili',
      flagged: true,
    });
    await store.record([parcelOn('2024-12-20', 0)]);
    const outcomes = Array.from({ length: OUTCOMES }, (_, index) => outcomeOf(index));
    for (const part of chunk(outcomes, 25)) await store.recordOutcome(part);
    await store.recordOutcome(outcomes.slice(0, 30)); // a replay counts nothing twice

    // Act: new parcels of the party on new days, after all those outcomes
    for (const [index, day] of ['2026-12-01', '2026-12-02', '2026-12-03'].entries()) {
      await store.record([parcelOn(day, index + 1)]);
    }
    const [facts] = await store.summarize([keys], REGION, '2026-12-03T12:00:00.000Z');

    // Assess
    const seizures = outcomes.filter((outcome) => outcome.outcome === 'seized');
    expect(facts!.consignee).toMatchObject({
      known: true,
      inspections: OUTCOMES,
      seizures: seizures.length,
      lastSeizureAt: seizures.at(-1)!.recordedAt,
      parcels7d: 3,
    });
    const profile = await profileOf(keys.consignee);
    expect([...(profile.outcomeMonths as Set<string>)]).toHaveLength(12);
    expect(profile.outcomeLog).toBeUndefined();
  }, 60_000);

  it('overflows a busy month into further pages, counting each outcome once however often it is replayed', async () => {
    // Prepare: 60 outcomes of another party in one month, three times what a 2 KB page holds
    const busy: PartyKeys = { ...keys, consignee: keyOf('consignee', 'busy-month') };
    const inBusyMonth = Array.from({ length: 60 }, (_, index) => ({
      ...outcomeOf(index),
      parcelKey: `southwest-freight#SWF-BUSY-${index}`,
      recordedAt: `2026-06-${String(1 + (index % 28)).padStart(2, '0')}T09:00:00.000Z`,
      keys: busy,
    }));

    // Act
    await Promise.all([store.recordOutcome(inBusyMonth), store.recordOutcome(inBusyMonth.slice(0, 40))]);
    await store.recordOutcome(inBusyMonth.slice(20));
    const [facts] = await store.summarize([busy], REGION, '2026-07-01T00:00:00.000Z');

    // Assess
    expect(facts!.consignee).toMatchObject({
      inspections: 60,
      seizures: inBusyMonth.filter((outcome) => outcome.outcome === 'seized').length,
    });
    const profile = await profileOf(busy.consignee);
    const pages = [...(profile.outcomeMonths as Set<string>)].sort();
    expect(pages[0]).toBe('2026-06');
    expect(pages.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

describe('DynamoDbPartyHistory on dynalite, origins stored before they were bare names', () => {
  const REGION = 'yunnan-guangxi';
  const keys: PartyKeys = {
    consignee: keyOf('consignee', 'legacy-origins'),
    shipper: keyOf('shipper', 'legacy-origins'),
    phone: keyOf('phone', 'legacy-origins'),
    address: keyOf('address', 'legacy-origins'),
    consigneeName: keyOf('name', 'legacy-origins'),
  };
  const parcelOn = (day: string, originCity: string): ParcelObservation => ({
    parcelKey: `southwest-freight#SWF-LEGACY-${day}`,
    region: REGION,
    observedAt: `${day}T08:00:00.000Z`,
    keys,
    originCity,
    flagged: false,
  });
  let tablesMade = 0;

  it.each([
    { stored: '瑞丽市', recorded: '瑞丽' },
    { stored: '伊犁哈萨克自治州', recorded: '伊犁州' },
  ])('counts a bucket’s stored $stored and a new $recorded as one origin', async ({ stored, recorded }) => {
    // Prepare
    tablesMade += 1;
    const table = `party-history-legacy-origins-${tablesMade}`;
    await dynamo.createTable(table, TABLES.partyHistory);
    const store = new DynamoDbPartyHistory(dynamo.doc, table);
    await store.record([parcelOn('2026-11-26', stored)]);
    // As written before: the origin folded in case and width only.
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `H#${REGION}#${keys.consignee}`, sk: 'D#2026-11-26' },
        UpdateExpression: 'SET origins = :origins',
        ExpressionAttributeValues: { ':origins': new Set([stored]) },
      }),
    );
    await store.record([parcelOn('2026-11-27', recorded)]);

    // Act
    const [history] = await store.summarize([keys], REGION, '2026-11-28T10:00:00.000Z');

    // Assess
    expect(history!.consignee).toMatchObject({ parcels7d: 2, distinctOrigins: 1 });
  });
});

describe('DynamoDbPartyHistory on dynalite, reading bucket counts', () => {
  const REGION = 'yunnan-guangxi';
  const NOW = '2026-11-28T10:00:00.000Z';
  const keysOf = (name: string): PartyKeys => ({
    consignee: keyOf('consignee', name),
    shipper: keyOf('shipper', 'busy-shipper'),
    phone: keyOf('phone', name),
    address: keyOf('address', name),
    consigneeName: keyOf('name', name),
  });
  const parcelOn = (day: string, index: number, name = `consignee-${index}`): ParcelObservation => ({
    parcelKey: `southwest-freight#SWF-COUNTS-${day}-${index}`,
    region: REGION,
    observedAt: `${day}T08:00:00.000Z`,
    keys: keysOf(name),
    originCity: 'Ruili',
    flagged: index % 2 === 0,
  });
  let tablesMade = 0;
  const storeOnNewTable = async () => {
    tablesMade += 1;
    const table = `party-history-counts-${tablesMade}`;
    await dynamo.createTable(table, TABLES.partyHistory);
    return { table, store: new DynamoDbPartyHistory(dynamo.doc, table) };
  };
  /** The requests a call sends: command, index, and the sort keys of the items it gets by key. */
  const requestsDuring = async (act: () => Promise<unknown>) => {
    const requests: { command: string; index?: string; gets: string[] }[] = [];
    const name = `requests-${tablesMade}`;
    dynamo.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as {
          IndexName?: string;
          RequestItems?: Record<string, { Keys?: { sk: string }[] }>;
        };
        const gets = Object.values(input.RequestItems ?? {}).flatMap(({ Keys = [] }) =>
          Keys.map((key) => key.sk),
        );
        requests.push({ command: context.commandName ?? '?', index: input.IndexName, gets });
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      await act();
    } finally {
      dynamo.doc.middlewareStack.remove(name);
    }
    return requests;
  };

  it('reads the day buckets from the index of counts, never the items holding their parcel sets', async () => {
    // Prepare: a shipper seen on three days, 40 parcels a day
    const { store } = await storeOnNewTable();
    for (const day of ['2026-11-20', '2026-11-26', '2026-11-27'])
      await store.record(Array.from({ length: 40 }, (_, index) => parcelOn(day, index)));

    // Act
    let facts: Awaited<ReturnType<typeof store.summarize>> = [];
    const requests = await requestsDuring(async () => {
      facts = await store.summarize([keysOf('consignee-0')], REGION, NOW);
    });

    // Assess
    expect(facts[0]!.shipper).toMatchObject({ parcels7d: 80, parcels30d: 120, flags: 60 });
    expect(
      requests.filter((request) => request.command === 'QueryCommand').map((request) => request.index),
    ).toContain('bucketCounts');
    expect(requests.flatMap((request) => request.gets).filter((sk) => sk.startsWith('D#'))).toEqual([]);
  });

  it('reads every bucket from the table while the index is still being created', async () => {
    // Prepare: the table as deployed before the index
    tablesMade += 1;
    const table = `party-history-counts-${tablesMade}`;
    await dynamo.createTable(table, { ...TABLES.partyHistory, indexes: [] });
    const store = new DynamoDbPartyHistory(dynamo.doc, table);
    await store.record([parcelOn('2026-11-26', 1), parcelOn('2026-11-27', 2)]);

    // Act
    const [facts] = await store.summarize([keysOf('consignee-1')], REGION, NOW);

    // Assess
    expect(facts!.shipper).toMatchObject({ parcels7d: 2, flags: 1 });
  });

  it('still counts a bucket written before the index, reading that item itself', async () => {
    // Prepare
    const { table, store } = await storeOnNewTable();
    await store.record([parcelOn('2026-11-26', 1), parcelOn('2026-11-27', 2)]);
    // As written before: no `bucket` attribute, so the index does not hold it
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `H#${REGION}#${keysOf('x').shipper}`, sk: 'D#2026-11-26' },
        UpdateExpression: 'REMOVE #bucket',
        ExpressionAttributeNames: { '#bucket': 'bucket' },
      }),
    );

    // Act
    let facts: Awaited<ReturnType<typeof store.summarize>> = [];
    const requests = await requestsDuring(async () => {
      facts = await store.summarize([keysOf('consignee-1')], REGION, NOW);
    });

    // Assess
    expect(facts[0]!.shipper).toMatchObject({ parcels7d: 2, flags: 1 });
    expect(requests.flatMap((request) => request.gets).filter((sk) => sk.startsWith('D#'))).toEqual([
      'D#2026-11-26',
    ]);
  });
});

describe('DynamoDbPartyHistory on dynalite, what it shares', () => {
  // Phones only, between Yunnan–Guangxi and Guangdong, from June on; Hainan shares nothing.
  const PHONES_SINCE_JUNE: SharingAgreements = {
    version: 'test',
    agreements: [
      {
        id: 'phones-only',
        regions: ['yunnan-guangxi', 'guangdong'],
        indicators: ['phone'],
        since: '2026-06-01',
        owner: 'test',
      },
    ],
  };
  const keysOf = (label: string): PartyKeys => ({
    consignee: keyOf('consignee', label),
    shipper: keyOf('shipper', label),
    phone: keyOf('phone', label),
    address: keyOf('address', label),
    consigneeName: keyOf('name', label),
    idDocument: keyOf('idDocument', label),
  });
  const seizure = (label: string, region: string, day: string) => ({
    parcel: {
      parcelKey: `southwest-freight#SWF-SHARE-${label}`,
      region,
      observedAt: `${day}T08:00:00.000Z`,
      keys: keysOf(label),
      originCity: 'Ruili',
      flagged: true,
    },
    outcome: {
      parcelKey: `southwest-freight#SWF-SHARE-${label}`,
      region,
      recordedAt: `${day}T12:00:00.000Z`,
      keys: keysOf(label),
      outcome: 'seized' as const,
    },
  });

  it('writes shared items only for the kinds, regions and days an agreement covers', async () => {
    // Prepare
    const table = 'party-history-what-it-shares';
    await dynamo.createTable(table, TABLES.partyHistory);
    const store = new DynamoDbPartyHistory(dynamo.doc, table, PHONES_SINCE_JUNE);
    const seizures = [
      seizure('covered', 'yunnan-guangxi', '2026-11-20'),
      seizure('before-since', 'yunnan-guangxi', '2026-05-20'),
      seizure('no-agreement', 'hainan', '2026-11-20'),
    ];

    // Act
    await store.record(seizures.map(({ parcel }) => parcel));
    await store.recordOutcome(seizures.map(({ outcome }) => outcome));
    const items = await dynamo.doc.send(new ScanCommand({ TableName: table }));

    // Assess: the covered parcel's phone, and nothing else, left its region
    const shared = (items.Items ?? [])
      .filter((item) => String(item.pk).startsWith('S#'))
      .map((item) => `${item.pk} ${item.sk}`)
      .sort();
    const phone = keysOf('covered').phone;
    expect(shared).toEqual([`S#${phone} R#yunnan-guangxi`, `S#${phone} R#yunnan-guangxi#M#2026-11`]);
  });
});
