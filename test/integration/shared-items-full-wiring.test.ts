import { resolve } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoDbReviewEffects } from '../../functions/adapters/dynamodb-review-effects.js';
import { makeLogger } from '../../functions/platform/logger.js';
import { TABLES } from '../../infra/definitions.js';
import { awsError } from '../support/aws-mocks.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { keyOf } from '../support/party-history-contract.js';

const TABLE = 'party-history-wiring';
const REGION = 'yunnan-guangxi';

/** DynamoDB's refusal of an update that would outgrow 400 KB, as the SDK raises it. */
const itemTooLarge = () =>
  awsError('ValidationException', 'Item size to update has exceeded the maximum allowed size');

/** The table on dynalite, except that every update of a shared item (`S#…`) is refused as too large. */
const sharedItemsFull = (doc: DynamoDBDocumentClient): DynamoDBDocumentClient =>
  ({
    send: (command: { constructor: { name: string }; input: { Key?: { pk?: unknown } } }) =>
      command.constructor.name === 'UpdateCommand' && String(command.input.Key?.pk).startsWith('S#')
        ? Promise.reject(itemTooLarge())
        : doc.send(command as never),
  }) as unknown as DynamoDBDocumentClient;

describe('the review effects wired to the party history, a shared seizures item full', () => {
  let dynamo: LocalDynamoDb;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable(TABLE, TABLES.partyHistory);
  });

  afterAll(async () => {
    await dynamo.stop();
  });

  it('warns which shared seizures item is full, and records the seizure all the same', async () => {
    // Prepare: the review function's wiring, on the agreements it bundles (Yunnan–Guangxi shares with Guangdong)
    const logger = makeLogger('warn', {}, () => {});
    const warn = vi.spyOn(logger, 'warn');
    const { history } = dynamoDbReviewEffects(
      sharedItemsFull(dynamo.doc),
      {
        AWS_REGION: 'ap-east-1',
        LOG_LEVEL: 'warn',
        REVIEW_QUEUE_TABLE: 'review-queue',
        PARTY_HISTORY_TABLE: TABLE,
        RULE_STATISTICS_TABLE: 'rule-statistics',
        AUDIT_LOG_TABLE: 'audit-log',
        SHARING_AGREEMENTS_FILE: resolve(import.meta.dirname, '../../rules/sharing/agreements.yaml'),
      },
      logger,
    );
    const keys = {
      consignee: keyOf('consignee', 'depot'),
      shipper: keyOf('shipper', 'depot'),
      phone: keyOf('phone', 'depot'),
      address: keyOf('address', 'depot'),
      consigneeName: keyOf('name', 'depot'),
    };

    // Act
    await history.recordOutcome([
      {
        parcelKey: 'southwest-freight#DEPOT-1',
        region: REGION,
        recordedAt: '2026-11-28T09:00:00.000Z',
        keys,
        outcome: 'seized',
      },
    ]);
    const [own] = await history.summarize([keys], REGION, '2026-11-28T10:00:00.000Z');

    // Assess: one warning for each shared indicator's item, and the region's own history has the seizure
    const byKey = (a: unknown[], b: unknown[]) =>
      String((a[1] as { key: string }).key) < String((b[1] as { key: string }).key) ? -1 : 1;
    expect([...warn.mock.calls].sort(byKey)).toEqual(
      [keys.address, keys.consignee, keys.phone]
        .sort()
        .map((key) => ['shared seizures full', { key, region: REGION }]),
    );
    expect(own!.consignee).toMatchObject({ seizures: 1 });
  });
});
