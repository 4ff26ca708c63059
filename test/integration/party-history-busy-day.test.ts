import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import type { PartyKeys } from '../../functions/core/parties/party-keys.js';
import type { ParcelObservation } from '../../functions/ports/party-history.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { keyOf } from '../support/party-history-contract.js';

/**
 * One shipper's busy day on dynalite with DynamoDB's 400 KB item limit: 8,000 parcels, each to a
 * distinct consignee, where a day bucket keeping whole parcel keys refused every update after about
 * 4,000 (4,050 in production). The consignees share one phone and address (not how real keys are derived) so
 * that the test writes fewer items; those two become busy parties as well.
 */

const PARCELS = 8_000;
const REPLAYED = 500;
const LATE = 100;
const REGION = 'yunnan-guangxi';
const NOW = '2026-11-28T10:00:00.000Z';
const TABLE = 'party-history-busy-day';

const parcelKeyOf = (index: number) =>
  `southwest-freight#SWF-2026-11-27-${String(index).padStart(12, '0')}-CN`;
const keysOf = (index: number): PartyKeys => ({
  consignee: keyOf('consignee', `busy-${index}`),
  shipper: keyOf('shipper', 'busy'),
  phone: keyOf('phone', 'busy-forwarder'),
  address: keyOf('address', 'busy-forwarder'),
  consigneeName: keyOf('name', `busy-${index}`),
});
const observationOf = (index: number, observedAt = '2026-11-27T08:00:00.000Z'): ParcelObservation => ({
  parcelKey: parcelKeyOf(index),
  region: REGION,
  observedAt,
  keys: keysOf(index),
  originCity: index % 2 === 0 ? 'Shenzhen' : 'Yiwu',
  flagged: index % 7 === 0,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** As the screen function would: messages of 100 parcels, four at a time. */
const recordAll = async (history: DynamoDbPartyHistory, observations: ParcelObservation[]) => {
  const messages = Array.from({ length: Math.ceil(observations.length / 100) }, (_, i) =>
    observations.slice(i * 100, (i + 1) * 100),
  );
  for (let next = 0; next < messages.length; next += 4) {
    await Promise.all(messages.slice(next, next + 4).map((message) => history.record(message)));
  }
};

describe('party history of a busy day on dynalite', () => {
  let dynamo: LocalDynamoDb;
  let history: DynamoDbPartyHistory;

  const bucketsOf = async (key: string) => {
    const result = await dynamo.doc.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
        ExpressionAttributeValues: { ':pk': `H#${REGION}#${key}`, ':day': 'D#' },
      }),
    );
    return result.Items ?? [];
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable(TABLE, TABLES.partyHistory);
    history = new DynamoDbPartyHistory(dynamo.doc, TABLE);
  });

  afterAll(async () => {
    await dynamo.stop();
  });

  it('counts every parcel once, replays included, and reads back the links it kept', async () => {
    // Prepare
    await recordAll(
      history,
      range(0, PARCELS).map((index) => observationOf(index)),
    );
    // Redelivered a day later, mixed with parcels not seen before: the claims keep them on their day.
    const replays = range(0, REPLAYED).map((i) =>
      observationOf((i * 97) % PARCELS, '2026-11-28T07:00:00.000Z'),
    );
    const late = range(PARCELS, PARCELS + LATE).map((index) => observationOf(index));
    await recordAll(
      history,
      replays.flatMap((replay, i) => (i % 5 === 0 ? [replay, late[i / 5]!] : [replay])),
    );
    const total = PARCELS + LATE;

    // Act
    const [facts] = await history.summarize([keysOf(0)], REGION, NOW);
    const links = await history.linksOf(keysOf(0).shipper, REGION, NOW);
    const buckets = await bucketsOf(keysOf(0).shipper);

    // Assess
    const flagged = range(0, total).filter((index) => index % 7 === 0).length;
    for (const party of [facts!.shipper, facts!.phone, facts!.address]) {
      expect(party).toMatchObject({
        parcels7d: total,
        parcels90d: total,
        flags: flagged,
        distinctOrigins: 2,
      });
    }
    expect(facts!.consignee).toMatchObject({ parcels90d: 1, distinctCounterparts: 1 });
    expect(buckets.map((bucket) => bucket.sk)).toEqual(['D#2026-11-27']);
    const digests = buckets.flatMap((bucket) => [...(bucket.parcels as Set<string>)]);
    expect(new Set(digests).size).toBe(total);

    // Links are kept for the first parcels of the day, each parcel's all or none, up to about 1,000.
    const nameOf = new Map(
      range(0, total).map((index) => [keysOf(index).consignee, keysOf(index).consigneeName]),
    );
    const linkedConsignees = links.filter((link) => nameOf.has(link));
    expect(links.filter((link) => !nameOf.has(link)).sort()).toEqual(
      [keysOf(0).phone, keysOf(0).address].sort(),
    );
    const stored = buckets[0]!.links as Set<string>;
    expect(linkedConsignees.every((consignee) => stored.has(nameOf.get(consignee)!))).toBe(true);
    expect(stored.size).toBeGreaterThanOrEqual(1_000);
    expect(stored.size).toBeLessThan(1_000 + 2 * 20);
    expect(facts!.shipper.distinctCounterparts).toBe(linkedConsignees.length);
    // About 45 s alone on 2 cores; 90 s when the other worker and a busy machine share them.
  }, 240_000);
});
