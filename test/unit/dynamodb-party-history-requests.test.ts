import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { DependencyError } from '../../functions/platform/errors.js';
import type { ParcelObservation } from '../../functions/ports/party-history.js';
import { awsError } from '../support/aws-mocks.js';
import { anObservation, partyKeys } from '../support/party-history-contract.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(doc);
const TABLE = 'party-history';
const NOW = '2026-11-28T10:00:00.000Z';

const observation = (parcelKey: string): ParcelObservation => anObservation({ parcelKey, region: 'yunnan' });

describe('DynamoDbPartyHistory requests', () => {
  afterEach(() => {
    dynamo.reset();
  });

  it('coalesces the writes of parcels sharing their parties into one update per party and day', async () => {
    // Prepare
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({ Attributes: { firstSeen: '2026-11-27T08:00:00.000Z' } });
    const history = new DynamoDbPartyHistory(doc, TABLE);

    // Act
    await history.record(['p1', 'p2', 'p3'].map(observation));

    // Assess
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(3);
    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    const buckets = updates.filter((input) => String(input.Key?.sk).startsWith('D#'));
    const profiles = updates.filter((input) => input.Key?.sk === 'PROFILE');
    expect(buckets).toHaveLength(4);
    expect(profiles).toHaveLength(4);
    const values = buckets[0]!.ExpressionAttributeValues!;
    expect(values).toMatchObject({ ':shipments': 3, ':k0': 'p1', ':k1': 'p2', ':k2': 'p3' });
    const digests = [...(values[':parcels'] as Set<string>)];
    expect(digests).toHaveLength(3);
    expect(digests.map((digest) => digest.length)).toEqual([12, 12, 12]);
    expect(digests).toEqual([values[':p0'], values[':p1'], values[':p2']]);
    const fresh = [0, 1, 2].map((i) => `NOT contains(#parcels, :p${i}) AND NOT contains(#parcels, :k${i})`);
    expect(buckets[0]!.ConditionExpression).toBe(
      `${fresh.join(' AND ')} AND (attribute_not_exists(links) OR size(links) < :linksPerDay)`,
    );
  });

  it('treats a failed bucket condition as already counted and retries a coalesced group parcel by parcel', async () => {
    // Prepare
    dynamo.on(PutCommand).resolves({});
    dynamo
      .on(UpdateCommand)
      .callsFake((input: { Key: { sk: string }; ExpressionAttributeValues: Record<string, unknown> }) => {
        const keys = Object.values(input.ExpressionAttributeValues);
        if (input.Key.sk.startsWith('D#') && keys.includes('p1'))
          throw awsError('ConditionalCheckFailedException');
        return { Attributes: {} };
      });
    const history = new DynamoDbPartyHistory(doc, TABLE);

    // Act
    const result = history.record(['p1', 'p2'].map(observation));

    // Assess
    await expect(result).resolves.toBeUndefined();
    const bucketCalls = dynamo
      .commandCalls(UpdateCommand)
      .filter((call) => String(call.args[0].input.Key?.sk).startsWith('D#'));
    // Per party: the group with and without links, p1 with and without links, p2 once.
    expect(bucketCalls).toHaveLength(4 * 5);
    expect(bucketCalls.every((call) => call.args[0].input.Key?.sk === 'D#2026-11-27')).toBe(true);
  });

  it('counts a parcel its day bucket has no room for in the first overflow bucket that takes it, named on the profile', async () => {
    // Prepare
    const shipperPk = `H#yunnan#${partyKeys().shipper}`;
    const full = new Set([`D#2026-11-27`, `D#2026-11-27#1`]);
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
      if (input.Key.pk === shipperPk && full.has(input.Key.sk)) {
        // DynamoDB's own wording (dynalite says "Item size to update has exceeded…").
        throw Object.assign(awsError('ValidationException'), {
          message: 'Item size has exceeded the maximum allowed size',
        });
      }
      return { Attributes: {} };
    });
    const history = new DynamoDbPartyHistory(doc, TABLE);

    // Act
    await history.record([observation('p1')]);

    // Assess
    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    const shipper = updates.filter((input) => input.Key?.pk === shipperPk);
    expect(shipper.map((input) => input.Key?.sk)).toEqual([
      'D#2026-11-27',
      'D#2026-11-27',
      'D#2026-11-27#1',
      'D#2026-11-27#2',
      'PROFILE',
    ]);
    expect(shipper[3]!.UpdateExpression).not.toContain('links');
    expect(shipper[4]!.ExpressionAttributeValues).toMatchObject({ ':slots': new Set(['2026-11-27#2']) });
    const others = updates.filter((input) => input.Key?.pk !== shipperPk && input.Key?.sk === 'PROFILE');
    expect(others.every((input) => !String(input.UpdateExpression).includes('slots'))).toBe(true);
  });

  it('retries unprocessed keys of a batch read', async () => {
    // Prepare
    const profileKey = { pk: `H#yunnan#${partyKeys().consignee}`, sk: 'PROFILE' };
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [profileKey] } } })
      .resolves({
        Responses: { [TABLE]: [{ ...profileKey, firstSeen: '2026-11-01T00:00:00.000Z', days: new Set() }] },
      });
    const history = new DynamoDbPartyHistory(doc, TABLE);

    // Act
    const [facts] = await history.summarize([partyKeys()], 'yunnan', NOW);

    // Assess
    expect(facts!.consignee.known).toBe(true);
    expect(dynamo.commandCalls(BatchGetCommand).length).toBeGreaterThanOrEqual(2);
  });

  it.each([{ name: 'ProvisionedThroughputExceededException' }, { name: 'ThrottlingException' }])(
    'turns $name into a retryable DependencyError',
    async ({ name }) => {
      // Prepare
      dynamo.on(PutCommand).rejects(awsError(name));
      const history = new DynamoDbPartyHistory(doc, TABLE);

      // Act
      const result = history.record([observation('p1')]);

      // Assess
      await expect(result).rejects.toBeInstanceOf(DependencyError);
      await expect(result).rejects.toMatchObject({ retryable: true });
    },
  );
});
