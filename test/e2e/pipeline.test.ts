import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestReceiptSchema } from '../../events/manifest-receipt-v1.js';
import { ParcelFlaggedSchema } from '../../events/parcel-flagged-v1.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { FaultPlan } from '../../functions/local/fault-proxy.js';
import { drainQueue, postAsPartner, scanAll } from '../support/embedded.js';
import {
  aManifestOf,
  RUILI_MANIFEST,
  readMessageSample,
  readSample,
  SHENZHEN_MANIFEST,
} from '../support/factories.js';
import { aScreeningMessage } from '../support/screening-messages.js';

describe('the pipeline on the embedded stack', () => {
  let stack: EmbeddedStack;
  const faults = new FaultPlan();

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1, faults });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('takes a signed manifest from the webhook to the review queue and the inspection queue', async () => {
    // Prepare
    const ruili = JSON.stringify(readSample(RUILI_MANIFEST));
    const shenzhen = JSON.stringify(readSample(SHENZHEN_MANIFEST));
    // Act
    const accepted = await postAsPartner(stack, 'southwest-freight', ruili);
    const ordinary = await postAsPartner(stack, 'pearl-express', shenzhen);
    await stack.waitForIdle();
    // Assess
    expect(accepted).toMatchObject({
      status: 202,
      body: { manifestId: 'SWF-20261127-0041', parcelCount: 2 },
    });
    const receipt = ManifestReceiptSchema.parse(accepted.body);
    expect(receipt).toEqual({
      ...(readMessageSample('manifest-receipt-v1') as object),
      receivedAt: receipt.receivedAt,
    });
    expect(ordinary.status).toBe(202);

    const queue = await new DynamoDbReviewQueue(stack.db, stack.tables.reviewQueue).list(
      'wuzhou-customs',
      'open',
      { now: new Date().toISOString() },
    );
    expect(queue.items).toHaveLength(1);
    const furniture = queue.items[0]!;
    expect(furniture).toMatchObject({ parcelId: 'SWF7781000123', lane: 'hold' });
    expect(furniture.firedRules.length).toBeGreaterThanOrEqual(4);
    for (const rule of furniture.firedRules) expect(rule.reason.length).toBeGreaterThan(10);

    const decisions = await scanAll(stack.db, stack.tables.decisions);
    expect(decisions).toHaveLength(5);
    const lanes = Object.fromEntries(decisions.map((decision) => [decision.parcelId, decision.lane]));
    expect(lanes).toMatchObject({
      PEX0000918273: 'release',
      PEX0000918274: 'release',
      PEX0000918275: 'release',
    });

    const flaggedMessages = (await drainQueue(stack.sqs, stack.queues.inspection.url)).map((body) =>
      JSON.parse(body),
    );
    expect(flaggedMessages.map((message) => message.parcelId)).toContain('SWF7781000123');
    const furnitureMessage = flaggedMessages.find((message) => message.parcelId === 'SWF7781000123');
    expect(furnitureMessage).toMatchObject({
      type: 'ParcelFlagged',
      version: 1,
      lane: 'hold',
      inspectionOffice: 'wuzhou-customs',
    });
    // The contract's sample is this message: only the time, the referral id (of the manifest's receipt
    // time) and the rule set's hash vary
    const sample = readMessageSample('parcel-flagged-v1') as Record<string, unknown>;
    expect(ParcelFlaggedSchema.parse(furnitureMessage)).toEqual({
      ...sample,
      decidedAt: furnitureMessage.decidedAt,
      referralId: furnitureMessage.referralId,
      ruleSetVersion: furnitureMessage.ruleSetVersion,
    });

    // Every AWS call the functions made was checked against their roles' grants (infra/grants.ts)
    const calls = stack.awsCalls();
    expect(calls.filter((call) => !call.granted)).toEqual([]);
    expect(calls.map((call) => `${call.role} ${call.grant}`)).toEqual(
      expect.arrayContaining([
        'ingest dynamodb:PutItem parcels',
        'ingest sqs:SendMessage screening',
        'screen dynamodb:PutItem decisions',
        'screen sqs:SendMessage inspection',
      ]),
    );
  });

  it('refuses a manifest that breaks the contract with a problem whose type describes itself', async () => {
    // Prepare
    const broken = { ...readSample(SHENZHEN_MANIFEST), manifestId: 'BROKEN-1', parcels: [] };
    // Act
    const refused = await postAsPartner(stack, 'pearl-express', JSON.stringify(broken));
    const described = await fetch(new URL(refused.body.type, stack.apiUrl));
    // Assess
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      type: '/problems/validation-failed',
      errors: [{ path: 'parcels' }],
    });
    expect(described.status).toBe(200);
    expect(await described.text()).toMatch(/^422 Validation failed/);
  });

  it('screens a replayed delivery once and answers it identically', async () => {
    // Prepare
    const body = JSON.stringify(aManifestOf(3, 'REPLAY-1'));
    // Act
    const sends = faults.observe({
      operation: 'SendMessageBatch',
      resource: stack.queues.screening.url.split('/').pop()!,
    });
    const first = await postAsPartner(stack, 'pearl-express', body);
    await stack.waitForIdle();
    const sentForFirst = sends.matched;
    const replay = await postAsPartner(stack, 'pearl-express', body);
    await stack.waitForIdle();
    sends.clear();
    // Assess: the replay is answered from the stored receipt, and nothing is queued for screening again
    expect(first.status).toBe(202);
    expect(replay).toEqual({ ...first, headers: replay.headers });
    expect(sentForFirst).toBe(1);
    expect(sends.matched).toBe(sentForFirst);
    const decisions = (await scanAll(stack.db, stack.tables.decisions)).filter(
      (item) => item.manifestId === 'REPLAY-1',
    );
    expect(decisions).toHaveLength(3);
  });

  it('dead-letters a message that always fails and still screens the rest of its batch', async () => {
    // Prepare
    const goodMessage = aScreeningMessage(SHENZHEN_MANIFEST);
    goodMessage.manifestId = 'POISON-NEIGHBOUR';
    goodMessage.items = [
      {
        ...goodMessage.items[0]!,
        parcel: { ...goodMessage.items[0]!.parcel, parcelId: 'POISON-NEIGHBOUR-1' },
      },
    ];
    // Act
    await stack.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.screening.url,
        Entries: [
          { Id: 'poison', MessageBody: '{"type":"ScreeningRequested","version":1,"items":"not a list"}' },
          { Id: 'good', MessageBody: JSON.stringify(goodMessage) },
        ],
      }),
    );
    await stack.waitForIdle(30_000);
    // Assess
    const deadLetters = await drainQueue(stack.sqs, stack.queues.screening.dlqUrl);
    expect(deadLetters).toEqual(['{"type":"ScreeningRequested","version":1,"items":"not a list"}']);
    const decisions = await scanAll(stack.db, stack.tables.decisions);
    expect(decisions.filter((decision) => decision.parcelId === 'POISON-NEIGHBOUR-1')).toHaveLength(1);
  });
});
