import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COALESCE_LIMIT } from '../../functions/adapters/dynamodb-party-history/history-table.js';
import { DynamoDbPartyHistory, type FullPartyDay } from '../../functions/adapters/dynamodb-party-history.js';
import type { PartyKeys } from '../../functions/core/parties/party-keys.js';
import { HISTORY_PARTIES } from '../../functions/core/screening/facts.js';
import { type TallyWindow, windowKey } from '../../functions/core/screening/tallies.js';
import type { ParcelObservation } from '../../functions/ports/party-history.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { keyOf } from '../support/party-history-contract.js';

/**
 * A shipper's day whose day bucket and 100 overflow buckets are all full (dynalite with a 4 KB item limit,
 * each bucket put as full of parcel digests as it takes), in a message with parcels of other parties.
 * Before, the full day failed the whole recording, and every redelivery of it: no party of any parcel of
 * the message was recorded, the message dead-lettered, and so did every later one with a parcel of that
 * shipper that day.
 */

const TABLE = 'party-history-day-full';
const REGION = 'yunnan-guangxi';
const DAY = '2026-11-27';
const NOW = '2026-11-28T10:00:00.000Z';
const OVERFLOW_SLOTS = 100;
const SMALL = 'a1b2c3d4e5f60718';
const PHONES = '0f1e2d3c4b5a6978';
const WINDOWS: TallyWindow[] = [
  { counter: SMALL, days: 7, distinct: false, parties: HISTORY_PARTIES },
  { counter: PHONES, days: 7, distinct: true, parties: HISTORY_PARTIES },
];

const keysOf = (consignee: string, shipper: string): PartyKeys => ({
  consignee: keyOf('consignee', consignee),
  shipper: keyOf('shipper', shipper),
  phone: keyOf('phone', consignee),
  address: keyOf('address', consignee),
  consigneeName: keyOf('name', consignee),
});
const observationOf = (
  id: string,
  keys: PartyKeys,
  observedAt = `${DAY}T08:00:00.000Z`,
): ParcelObservation => ({
  parcelKey: `southwest-freight#${id}`,
  region: REGION,
  observedAt,
  keys,
  originCity: 'Ruili',
  flagged: false,
  tallies: [{ counter: SMALL }, { counter: PHONES, value: keys.phone }],
});

describe('DynamoDbPartyHistory on dynalite, a party whose day is full', () => {
  let small: LocalDynamoDb;
  let store: DynamoDbPartyHistory;
  const full: FullPartyDay[] = [];

  beforeAll(async () => {
    small = await startLocalDynamoDb({ maxItemSizeKb: 4 });
    await small.createTable(TABLE, TABLES.partyHistory);
    store = new DynamoDbPartyHistory(small.doc, TABLE, undefined, { partyDayFull: (day) => full.push(day) });
  });

  afterAll(async () => {
    await small.stop();
  });

  /**
   * Puts the shipper's day bucket and its overflow buckets, each holding as many 12-character parcel
   * digests as it takes (no room for one more), and a profile naming them; returns the parcels they hold.
   */
  const fillDay = async (shipper: string): Promise<number> => {
    const pk = `H#${REGION}#${shipper}`;
    let digests = Math.ceil((4 * 1024) / 12);
    let held = 0;
    for (let slot = 0; slot <= OVERFLOW_SLOTS; slot += 1) {
      for (digests += 1; ; digests -= 1) {
        const parcels = Array.from(
          { length: digests },
          (_, index) => `${slot}`.padStart(4, 'x') + `${index}`.padStart(8, '0'),
        );
        try {
          await small.doc.send(
            new PutCommand({
              TableName: TABLE,
              Item: {
                pk,
                sk: slot === 0 ? `D#${DAY}` : `D#${DAY}#${slot}`,
                bucket: `${DAY}#${slot}`,
                parcels: new Set(parcels),
                shipments: digests,
                flags: 0,
                origins: new Set(['ruili']),
              },
            }),
          );
          held += digests;
          break;
        } catch (error) {
          if ((error as Error).name !== 'ValidationException') throw error;
        }
      }
    }
    await small.doc.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk,
          sk: 'PROFILE',
          firstSeen: `${DAY}T01:00:00.000Z`,
          lastSeen: `${DAY}T07:00:00.000Z`,
          days: new Set([DAY]),
          slots: new Set(Array.from({ length: OVERFLOW_SLOTS }, (_, index) => `${DAY}#${index + 1}`)),
        },
      }),
    );
    return held;
  };
  const snapshot = async () =>
    ((await small.doc.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).sort((a, b) =>
      `${a.pk}\u0000${a.sk}` < `${b.pk}\u0000${b.sk}` ? -1 : 1,
    );

  it('records every other party of the message, and reports the full day once', async () => {
    // Prepare: two parcels of the full shipper to consignees new to it, one of another shipper to a fresh consignee
    const busy = keyOf('shipper', 'day-full-busy');
    const held = await fillDay(busy);
    const message = [
      observationOf('FULL-1', keysOf('day-full-a', 'day-full-busy')),
      observationOf('FULL-2', keysOf('day-full-b', 'day-full-busy')),
      observationOf('FRESH-1', keysOf('day-full-fresh', 'day-full-other')),
    ];
    full.length = 0;
    expect(held).toBeGreaterThan(30_000);

    // Act
    await store.record(message);
    const facts = await store.summarize(
      message.map((observation) => observation.keys),
      REGION,
      NOW,
      undefined,
      WINDOWS,
    );

    // Assess: the fresh consignee, and the full shipper's parcels' other parties, are known, their marks counted
    const once = { [windowKey(WINDOWS[0]!)]: 1, [windowKey(WINDOWS[1]!)]: 1 };
    for (const parcel of facts) {
      for (const party of [parcel.consignee, parcel.phone, parcel.address]) {
        expect(party).toMatchObject({ firstSeen: `${DAY}T08:00:00.000Z`, parcels7d: 1, tallies: once });
      }
    }
    expect(facts[2]!.shipper).toMatchObject({ parcels7d: 1, tallies: once });
    // The full shipper's day counts neither parcel; it was seen all the same, and said full once
    expect(facts[0]!.shipper).toMatchObject({ parcels7d: held, lastSeen: `${DAY}T08:00:00.000Z` });
    expect(full).toEqual([{ key: busy, region: REGION, day: DAY }]);
  }, 60_000);

  it('counts nothing twice when the message is delivered again', async () => {
    // Prepare: the message recorded once
    const busy = keyOf('shipper', 'day-full-replayed');
    const held = await fillDay(busy);
    const message = [
      observationOf('REPLAYED-1', keysOf('day-full-replayed-a', 'day-full-replayed')),
      observationOf('REPLAYED-2', keysOf('day-full-replayed-fresh', 'day-full-replayed-other')),
    ];
    await store.record(message);
    const before = await snapshot();
    full.length = 0;

    // Act: delivered again, a day later (the claims fix the day it counts on)
    await store.record(
      message.map((observation) => ({ ...observation, observedAt: '2026-11-28T07:00:00.000Z' })),
    );
    const facts = await store.summarize(
      message.map((observation) => observation.keys),
      REGION,
      NOW,
      undefined,
      WINDOWS,
    );

    // Assess: no item changed (buckets, profiles, claims), and the day is said full again
    expect(await snapshot()).toEqual(before);
    const once = { [windowKey(WINDOWS[0]!)]: 1, [windowKey(WINDOWS[1]!)]: 1 };
    expect(facts[1]!.consignee).toMatchObject({ parcels7d: 1, tallies: once });
    expect(facts[0]!.consignee).toMatchObject({ parcels7d: 1, tallies: once });
    expect(facts[0]!.shipper).toMatchObject({ parcels7d: held });
    expect(full).toEqual([{ key: busy, region: REGION, day: DAY }]);
  }, 60_000);

  it('reports a full day once when its parcels come in more writes than one', async () => {
    // Prepare: more parcels of the full shipper than one coalesced write takes
    const busy = keyOf('shipper', 'day-full-many');
    const held = await fillDay(busy);
    const message = Array.from({ length: COALESCE_LIMIT + 1 }, (_, index) =>
      observationOf(`MANY-${index}`, keysOf(`day-full-many-${index}`, 'day-full-many')),
    );
    full.length = 0;

    // Act
    await store.record(message);
    const [facts] = await store.summarize([message[0]!.keys], REGION, NOW, undefined, WINDOWS);

    // Assess: no parcel counted on the full day, which is said full once
    expect(facts!.shipper).toMatchObject({ parcels7d: held });
    expect(facts!.consignee).toMatchObject({ parcels7d: 1 });
    expect(full).toEqual([{ key: busy, region: REGION, day: DAY }]);
  }, 60_000);
});
