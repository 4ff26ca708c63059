import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDecisionStore } from '../../functions/adapters/dynamodb-decision-store.js';
import { DynamoDbManifestStore } from '../../functions/adapters/dynamodb-manifest-store.js';
import { DynamoDbParcelStore } from '../../functions/adapters/dynamodb-parcel-store.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { RECORD_RETENTION_DAYS } from '../../functions/core/retention.js';
import type { ScreeningFacts } from '../../functions/core/screening/facts.js';
import type { DecisionRecord } from '../../functions/ports/decision-store.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { scanAll } from '../support/embedded.js';
import { aFlaggedItem, aParcel } from '../support/factories.js';
import { partyKeys } from '../support/party-history-contract.js';

const RECEIVED_AT = '2026-11-28T08:00:00.000Z';
const DECIDED_AT = '2026-11-28T08:00:05.000Z';
/** 400 days after `at`, in epoch seconds: when DynamoDB's TTL may delete the record. */
const expiry = (at: string) => Date.parse(at) / 1000 + RECORD_RETENTION_DAYS * 86_400;

describe('the records of a delivered parcel', () => {
  let dynamo: LocalDynamoDb;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    for (const name of ['manifests', 'parcels', 'decisions', 'reviewQueue'] as const)
      await dynamo.createTable(name, TABLES[name]);
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('keeps the manifest, parcel, decision and review item for 400 days after each was written', async () => {
    // Prepare
    const parcel = aParcel({ parcelId: 'P-1' });
    const decision = {
      ruleSetId: 'default',
      ruleSetVersion: 'sha256:1',
      score: 60,
      lane: 'hold',
      firedRules: [],
      parcelKey: 'southwest-freight#P-1',
      partnerId: 'southwest-freight',
      manifestId: 'M-1',
      parcelId: 'P-1',
      region: 'yunnan-guangxi',
      inspectionOffice: 'wuzhou-customs',
      referralId: 'ref_1',
      decidedAt: DECIDED_AT,
      facts: { now: DECIDED_AT, parcel } as ScreeningFacts,
    } satisfies DecisionRecord;
    const item = { ...aFlaggedItem('P-1', partyKeys({ consignee: 'P-1' })), flaggedAt: DECIDED_AT };
    const manifests = new DynamoDbManifestStore(dynamo.doc, 'manifests');
    const decisions = new DynamoDbDecisionStore(dynamo.doc, 'decisions');
    const queue = new DynamoDbReviewQueue(dynamo.doc, 'reviewQueue');

    // Act
    await manifests.createOrGet({
      partnerId: 'southwest-freight',
      manifestId: 'M-1',
      region: 'yunnan-guangxi',
      bodyHash: 'h',
      webhookId: 'msg_1',
      receivedAt: RECEIVED_AT,
      parcelIds: ['P-1'],
      status: 'received',
    });
    await new DynamoDbParcelStore(dynamo.doc, 'parcels').putAll([
      {
        partnerId: 'southwest-freight',
        manifestId: 'M-1',
        region: 'yunnan-guangxi',
        receivedAt: RECEIVED_AT,
        parcel,
      },
    ]);
    await decisions.createOrGet(decision);
    await queue.enqueue(item);
    const stored = (await queue.get(item.parcelKey))!;
    await queue.save({ ...stored, status: 'closed' }, stored.version ?? 0);

    // Assess: stored with their expiry, as DynamoDB's TTL reads it (whole epoch seconds)
    const expiries = await Promise.all(
      ['manifests', 'parcels', 'decisions', 'reviewQueue'].map(async (table) =>
        (await scanAll(dynamo.doc, table)).map((record) => record.expiresAt),
      ),
    );
    expect(expiries).toEqual([
      [expiry(RECEIVED_AT)],
      [expiry(RECEIVED_AT)],
      [expiry(DECIDED_AT)],
      [expiry(DECIDED_AT)],
    ]);
    // ... and read without it
    expect(await manifests.get('southwest-freight', 'M-1')).not.toHaveProperty('expiresAt');
    expect((await decisions.getMany([decision.parcelKey])).get(decision.parcelKey)).toEqual(decision);
    expect(await queue.get(item.parcelKey)).not.toHaveProperty('expiresAt');
  });
});
