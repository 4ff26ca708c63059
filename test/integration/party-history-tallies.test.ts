import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import type { PartyKeys } from '../../functions/core/parties/party-keys.js';
import { HISTORY_PARTIES } from '../../functions/core/screening/facts.js';
import { type TallyWindow, windowKey } from '../../functions/core/screening/tallies.js';
import { chunk } from '../../functions/platform/concurrency.js';
import type { ParcelObservation } from '../../functions/ports/party-history.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { keyOf } from '../support/party-history-contract.js';

/**
 * A shipper's day outgrowing its bucket on dynalite with a 4 KB item limit, its parcels marking a parcel
 * tally, a distinct tally of their phones and a sum tally of their declared value: the phones' set grows
 * the day bucket with every parcel, and the marks of the parcels the day bucket has no room for are
 * counted in its overflow buckets, once, a sum's decimals exactly.
 */

const TABLE = 'party-history-tallies-overflow';
const REGION = 'yunnan-guangxi';
const DAY = '2026-11-27';
const NOW = '2026-11-28T10:00:00.000Z';
const PARCELS = 200;
const SMALL = 'a1b2c3d4e5f60718';
const PHONES = '0f1e2d3c4b5a6978';
const VALUE = '5e6f708192a3b4c5';
/** What each parcel adds to VALUE: a tenth, which doubles cannot add exactly. */
const AMOUNT = 0.1;
const WINDOWS: TallyWindow[] = [
  { counter: SMALL, days: 7, distinct: false, parties: HISTORY_PARTIES },
  { counter: PHONES, days: 7, distinct: true, parties: HISTORY_PARTIES },
  { counter: VALUE, days: 7, distinct: false, parties: HISTORY_PARTIES },
];

const keysOf = (index: number): PartyKeys => ({
  consignee: keyOf('consignee', `tally-${index}`),
  shipper: keyOf('shipper', 'tally-busy'),
  phone: keyOf('phone', `tally-${index}`),
  address: keyOf('address', `tally-${index}`),
  consigneeName: keyOf('name', `tally-${index}`),
});
const observationOf = (index: number, observedAt = `${DAY}T08:00:00.000Z`): ParcelObservation => ({
  parcelKey: `southwest-freight#SWF-TALLY-${index}`,
  region: REGION,
  observedAt,
  keys: keysOf(index),
  originCity: 'Ruili',
  flagged: false,
  tallies: [
    { counter: SMALL },
    { counter: PHONES, value: keysOf(index).phone },
    { counter: VALUE, amount: AMOUNT },
  ],
});

describe('DynamoDbPartyHistory on dynalite, tallies of a day outgrowing its bucket', () => {
  let small: LocalDynamoDb;
  let store: DynamoDbPartyHistory;

  beforeAll(async () => {
    small = await startLocalDynamoDb({ maxItemSizeKb: 4 });
    await small.createTable(TABLE, TABLES.partyHistory);
    store = new DynamoDbPartyHistory(small.doc, TABLE);
  });

  afterAll(async () => {
    await small.stop();
  });

  const record = async (indexes: number[], observedAt?: string) => {
    for (const message of chunk(indexes, 50)) {
      await store.record(message.map((index) => observationOf(index, observedAt)));
    }
  };

  it('counts the marks of every parcel once, in the day bucket or the overflow bucket that took it, replays included', async () => {
    // Prepare
    const all = Array.from({ length: PARCELS }, (_, index) => index);
    await record(all);
    // Redelivered, one in five, later
    await record(
      all.filter((index) => index % 5 === 0),
      '2026-11-28T07:00:00.000Z',
    );

    // Act
    const [facts] = await store.summarize([keysOf(0)], REGION, NOW, undefined, WINDOWS);
    const { Items: items = [] } = await small.doc.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `H#${REGION}#${keysOf(0).shipper}` },
      }),
    );

    // Assess
    expect(facts!.shipper.parcels7d).toBe(PARCELS);
    expect(facts!.shipper.tallies).toEqual({
      [windowKey(WINDOWS[0]!)]: PARCELS,
      [windowKey(WINDOWS[1]!)]: PARCELS,
      [windowKey(WINDOWS[2]!)]: PARCELS / 10,
    });
    expect(facts!.consignee.tallies).toEqual({
      [windowKey(WINDOWS[0]!)]: 1,
      [windowKey(WINDOWS[1]!)]: 1,
      [windowKey(WINDOWS[2]!)]: AMOUNT,
    });
    const buckets = items.filter((item) => String(item.sk).startsWith('D#'));
    expect(buckets.length).toBeGreaterThanOrEqual(3);
    // Each bucket's marks are its own parcels': one count, one phone and a tenth per parcel it holds
    for (const bucket of buckets) {
      const parcels = (bucket.parcels as Set<string>).size;
      expect(bucket[`t_${SMALL}`]).toBe(parcels);
      expect(bucket[`t_${VALUE}`]).toBe(parcels / 10);
      expect((bucket[`v_${PHONES}`] as Set<string>).size).toBe(parcels);
    }
    const phones = buckets.flatMap((bucket) => [...(bucket[`v_${PHONES}`] as Set<string>)]);
    expect(new Set(phones).size).toBe(PARCELS);
    expect(phones).toHaveLength(PARCELS);
  }, 60_000);
});
