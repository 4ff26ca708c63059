import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { windowKey } from '../../functions/core/screening/tallies.js';
import type { ParcelObservation } from '../../functions/ports/party-history.js';
import { awsError } from '../support/aws-mocks.js';
import { anObservation, keyOf, partyKeys } from '../support/party-history-contract.js';

/** How DynamoDbPartyHistory writes and reads a rule set's tallies (core/screening/tallies.ts). */

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(doc);
const TABLE = 'party-history';
const SMALL = 'a1b2c3d4e5f60718';
const PHONES = '0f1e2d3c4b5a6978';

const observation = (parcelKey: string, overrides: Partial<ParcelObservation> = {}): ParcelObservation =>
  anObservation({ parcelKey, region: 'yunnan', ...overrides });

const bucketUpdates = (pk?: string): UpdateCommandInput[] =>
  dynamo
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => String(input.Key?.sk).startsWith('D#') && (pk === undefined || input.Key?.pk === pk));

/** The tally attributes an update adds, by attribute name: a number, or a set's members sorted. */
const talliesAdded = (input: UpdateCommandInput): Record<string, number | string[]> => {
  const names = input.ExpressionAttributeNames ?? {};
  const values = input.ExpressionAttributeValues ?? {};
  const added: Record<string, number | string[]> = {};
  for (const [, name, value] of String(input.UpdateExpression).matchAll(/(#[tv]\d+) (:[tv]\d+)/g)) {
    const stored = values[value!];
    added[names[name!]!] = stored instanceof Set ? [...(stored as Set<string>)].sort() : (stored as number);
  }
  return added;
};

describe('DynamoDbPartyHistory tallies', () => {
  afterEach(() => {
    dynamo.reset();
  });

  it('adds the marks of coalesced parcels in the update that counts them, summed per counter', async () => {
    // Prepare
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({ Attributes: {} });
    const history = new DynamoDbPartyHistory(doc, TABLE);
    const phones = ['p1', 'p2', 'p3'].map((label) => keyOf('phone', label));

    // Act
    await history.record([
      observation('p1', { tallies: [{ counter: SMALL }, { counter: PHONES, value: phones[0]! }] }),
      observation('p2', { tallies: [{ counter: SMALL }, { counter: PHONES, value: phones[1]! }] }),
      observation('p3', { tallies: [{ counter: PHONES, value: phones[2]! }] }),
    ]);

    // Assess: one conditional update per party and day, the marks in it
    const updates = bucketUpdates();
    expect(updates).toHaveLength(4);
    for (const update of updates) {
      expect(update.ConditionExpression).toContain('NOT contains(#parcels, :p0)');
      expect(update.ExpressionAttributeValues).toMatchObject({ ':shipments': 3 });
      expect(talliesAdded(update)).toEqual({ [`t_${SMALL}`]: 2, [`v_${PHONES}`]: [...phones].sort() });
    }
  });

  it('writes no tally attribute for parcels without marks, as before tallies', async () => {
    // Prepare
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({ Attributes: {} });
    const history = new DynamoDbPartyHistory(doc, TABLE);

    // Act
    await history.record([observation('p1'), observation('p2', { tallies: [] })]);

    // Assess
    for (const update of bucketUpdates()) {
      expect(update.UpdateExpression).toBe(
        'ADD #parcels :parcels, shipments :shipments, flags :flags, origins :origins, links :links SET expiresAt = :expiresAt, #bucket = :bucket',
      );
      expect(Object.values(update.ExpressionAttributeNames ?? {})).toEqual(['parcels', 'bucket']);
    }
  });

  it('retries a partly counted group parcel by parcel, each with its own marks only', async () => {
    // Prepare: p1 was counted by an earlier, interrupted delivery
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
      if (
        String(input.Key?.sk).startsWith('D#') &&
        Object.values(input.ExpressionAttributeValues!).includes('p1')
      )
        throw awsError('ConditionalCheckFailedException');
      return { Attributes: {} };
    });
    const history = new DynamoDbPartyHistory(doc, TABLE);

    // Act
    await history.record([
      observation('p1', { tallies: [{ counter: SMALL }] }),
      observation('p2', { tallies: [{ counter: SMALL }, { counter: PHONES, value: 'ph_2' }] }),
    ]);

    // Assess: per party, the group (with and without links), then p1 (with and without links) and p2
    // once, concurrently
    const updates = bucketUpdates(`H#yunnan#${partyKeys().shipper}`).map(talliesAdded);
    const group = { [`t_${SMALL}`]: 2, [`v_${PHONES}`]: ['ph_2'] };
    expect(updates.slice(0, 2)).toEqual([group, group]);
    const alone = updates.slice(2).map((added) => JSON.stringify(added));
    expect(alone.sort()).toEqual(
      [{ [`t_${SMALL}`]: 1 }, { [`t_${SMALL}`]: 1 }, { [`t_${SMALL}`]: 1, [`v_${PHONES}`]: ['ph_2'] }]
        .map((added) => JSON.stringify(added))
        .sort(),
    );
  });

  it('counts the marks of a parcel its day bucket has no room for in the overflow bucket that takes it', async () => {
    // Prepare
    const shipperPk = `H#yunnan#${partyKeys().shipper}`;
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
      if (input.Key?.pk === shipperPk && input.Key?.sk === 'D#2026-11-27')
        throw Object.assign(awsError('ValidationException'), {
          message: 'Item size has exceeded the maximum allowed size',
        });
      return { Attributes: {} };
    });
    const history = new DynamoDbPartyHistory(doc, TABLE);

    // Act
    await history.record([
      observation('p1', { tallies: [{ counter: SMALL }, { counter: PHONES, value: 'ph_1' }] }),
    ]);

    // Assess
    const updates = bucketUpdates(shipperPk);
    expect(updates.map((update) => update.Key?.sk)).toEqual([
      'D#2026-11-27',
      'D#2026-11-27',
      'D#2026-11-27#1',
    ]);
    expect(talliesAdded(updates[2]!)).toEqual({ [`t_${SMALL}`]: 1, [`v_${PHONES}`]: ['ph_1'] });
  });

  it('reads the buckets of the tally windows from the table, projecting the tallies asked for, and older days from the index', async () => {
    // Prepare: a consignee seen 3 and 40 days ago
    const keys = partyKeys();
    const pk = `H#yunnan#${keys.consignee}`;
    const stored: Record<string, Record<string, unknown>> = {
      PROFILE: {
        pk,
        sk: 'PROFILE',
        firstSeen: '2026-10-19T08:00:00.000Z',
        days: new Set(['2026-10-19', '2026-11-25']),
      },
      'D#2026-11-25': {
        pk,
        sk: 'D#2026-11-25',
        shipments: 2,
        flags: 0,
        [`t_${SMALL}`]: 2,
        [`v_${PHONES}`]: new Set(['ph_1']),
      },
    };
    dynamo
      .on(BatchGetCommand)
      .callsFake((input: { RequestItems: Record<string, { Keys: { pk: string; sk: string }[] }> }) => {
        const items = input.RequestItems[TABLE]!.Keys.flatMap((key) => {
          const item = key.pk === pk ? stored[key.sk] : undefined;
          return item ? [item] : [];
        });
        return { Responses: { [TABLE]: items } };
      });
    dynamo.on(QueryCommand).resolves({ Items: [{ pk, sk: 'D#2026-10-19', shipments: 5, flags: 1 }] });
    const history = new DynamoDbPartyHistory(doc, TABLE);

    // Act
    const [facts] = await history.summarize([keys], 'yunnan', '2026-11-28T10:00:00.000Z', undefined, [
      { counter: SMALL, days: 7, distinct: false, parties: ['consignee'] },
      { counter: SMALL, days: 30, distinct: false, parties: ['consignee'] },
      { counter: PHONES, days: 7, distinct: true, parties: ['consignee'] },
    ]);

    // Assess
    expect(facts!.consignee.parcels90d).toBe(7);
    expect(facts!.consignee.tallies).toEqual({
      [windowKey({ counter: SMALL, days: 7 })]: 2,
      [windowKey({ counter: SMALL, days: 30 })]: 2,
      [windowKey({ counter: PHONES, days: 7 })]: 1,
    });
    const query = dynamo
      .commandCalls(QueryCommand)
      .find((call) => call.args[0].input.IndexName === 'bucketCounts');
    expect(query!.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':from': '2026-08-31',
      ':to': '2026-10-29#~',
    });
    const bucketRead = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems![TABLE]!)
      .find((request) => request.Keys!.some((key) => String(key.sk).startsWith('D#')))!;
    expect(bucketRead.Keys).toEqual([{ pk, sk: 'D#2026-11-25' }]);
    expect(bucketRead.ProjectionExpression).toBe(
      'pk, sk, shipments, flags, links, origins, #tally0, #tally1',
    );
    expect(bucketRead.ExpressionAttributeNames).toEqual({
      '#tally0': `t_${SMALL}`,
      '#tally1': `v_${PHONES}`,
    });
  });

  it("reads a tally's buckets from the table only for the parties whose rules read it: the shipper's from the index, without its phones", async () => {
    // Prepare: the address and the shipper each seen 3 days ago, a distinct tally of phones on both
    const keys = partyKeys();
    const stored = new Map<string, Record<string, unknown>>();
    for (const key of [keys.address!, keys.shipper]) {
      const pk = `H#yunnan#${key}`;
      stored.set(`${pk} PROFILE`, {
        pk,
        sk: 'PROFILE',
        firstSeen: '2026-11-25T08:00:00.000Z',
        days: new Set(['2026-11-25']),
      });
      stored.set(`${pk} D#2026-11-25`, {
        pk,
        sk: 'D#2026-11-25',
        bucket: '2026-11-25#0',
        shipments: 3,
        flags: 0,
        [`v_${PHONES}`]: new Set(['ph_1', 'ph_2']),
      });
    }
    dynamo
      .on(BatchGetCommand)
      .callsFake((input: { RequestItems: Record<string, { Keys: { pk: string; sk: string }[] }> }) => ({
        Responses: {
          [TABLE]: input.RequestItems[TABLE]!.Keys.flatMap((key) => {
            const item = stored.get(`${key.pk} ${key.sk}`);
            return item ? [item] : [];
          }),
        },
      }));
    dynamo.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => {
      const { ':pk': pk, ':from': from, ':to': to } = input.ExpressionAttributeValues;
      const items = [...stored.values()].filter(
        (item) =>
          item.pk === pk && typeof item.bucket === 'string' && item.bucket >= from! && item.bucket <= to!,
      );
      // The index projects counts, never tallies
      return { Items: items.map(({ pk, sk, shipments, flags }) => ({ pk, sk, shipments, flags })) };
    });
    const history = new DynamoDbPartyHistory(doc, TABLE);
    const window = { counter: PHONES, days: 7, distinct: true, parties: ['address'] } as const;

    // Act
    const [facts] = await history.summarize([keys], 'yunnan', '2026-11-28T10:00:00.000Z', undefined, [
      window,
    ]);

    // Assess: the address's bucket from the table with its phones; the shipper's from the index alone
    expect(facts!.address.tallies).toEqual({ [windowKey(window)]: 2 });
    expect(facts!.shipper.tallies).toEqual({});
    expect(facts!.shipper.parcels7d).toBe(3);
    const bucketReads = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems![TABLE]!)
      .filter((request) => request.Keys!.some((key) => String(key.sk).startsWith('D#')));
    expect(bucketReads.flatMap((request) => request.Keys)).toEqual([
      { pk: `H#yunnan#${keys.address}`, sk: 'D#2026-11-25' },
    ]);
    expect(Object.values(bucketReads[0]!.ExpressionAttributeNames ?? {})).toEqual([`v_${PHONES}`]);
    const shipperQuery = dynamo
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input)
      .find((input) => input.ExpressionAttributeValues?.[':pk'] === `H#yunnan#${keys.shipper}`);
    expect(shipperQuery!.ExpressionAttributeValues).toMatchObject({ ':to': '2026-11-28#~' });
    expect(shipperQuery!.ProjectionExpression).not.toMatch(/#tally|v_|t_/);
  });

  it("reads each party's tally days from the table with its own windows' tallies, and queries no index for days none is before", async () => {
    // Prepare: the consignee and the shipper each seen only on the first day of a 7-day window, each party read by a tally of its own
    const keys = partyKeys();
    const stored = new Map<string, Record<string, unknown>>();
    for (const key of [keys.consignee, keys.shipper]) {
      const pk = `H#yunnan#${key}`;
      stored.set(`${pk} PROFILE`, {
        pk,
        sk: 'PROFILE',
        firstSeen: '2026-11-22T08:00:00.000Z',
        days: new Set(['2026-11-22']),
      });
      stored.set(`${pk} D#2026-11-22`, {
        pk,
        sk: 'D#2026-11-22',
        bucket: '2026-11-22#0',
        shipments: 2,
        flags: 0,
        [`t_${SMALL}`]: 2,
        [`v_${PHONES}`]: new Set(['ph_1', 'ph_2']),
      });
    }
    // The table returns what a read projects: its counts and the tally attributes it names
    dynamo
      .on(BatchGetCommand)
      .callsFake(
        (input: {
          RequestItems: Record<
            string,
            { Keys: { pk: string; sk: string }[]; ExpressionAttributeNames?: Record<string, string> }
          >;
        }) => {
          const request = input.RequestItems[TABLE]!;
          const named = new Set(Object.values(request.ExpressionAttributeNames ?? {}));
          return {
            Responses: {
              [TABLE]: request.Keys.flatMap((key) => {
                const item = stored.get(`${key.pk} ${key.sk}`);
                if (!item) return [];
                return [
                  Object.fromEntries(
                    Object.entries(item).filter(
                      ([attribute]) => !/^[tv]_/.test(attribute) || named.has(attribute),
                    ),
                  ),
                ];
              }),
            },
          };
        },
      );
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const history = new DynamoDbPartyHistory(doc, TABLE);
    const small = { counter: SMALL, days: 7, distinct: false, parties: ['consignee'] } as const;
    const phones = { counter: PHONES, days: 7, distinct: true, parties: ['shipper'] } as const;

    // Act
    const [facts] = await history.summarize([keys], 'yunnan', '2026-11-28T10:00:00.000Z', undefined, [
      small,
      phones,
    ]);

    // Assess: each party's tally counted from the attribute its own read projected
    expect(facts!.consignee.tallies).toEqual({ [windowKey(small)]: 2 });
    expect(facts!.shipper.tallies).toEqual({ [windowKey(phones)]: 2 });
    const bucketReads = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems![TABLE]!)
      .filter((request) => request.Keys!.some((key) => String(key.sk).startsWith('D#')))
      .map((request) => ({
        keys: request.Keys,
        names: Object.values(request.ExpressionAttributeNames ?? {}),
      }));
    expect(bucketReads).toEqual(
      expect.arrayContaining([
        { keys: [{ pk: `H#yunnan#${keys.consignee}`, sk: 'D#2026-11-22' }], names: [`t_${SMALL}`] },
        { keys: [{ pk: `H#yunnan#${keys.shipper}`, sk: 'D#2026-11-22' }], names: [`v_${PHONES}`] },
      ]),
    );
    expect(bucketReads).toHaveLength(2);
    // Every bucket of either party is in its tally window, read from the table: no Query of the index
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
