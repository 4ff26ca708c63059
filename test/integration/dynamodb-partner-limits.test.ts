import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { DynamoDbWebhookDeliveryLog } from '../../functions/adapters/dynamodb-webhook-delivery-log.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';

/** The per-partner request limit and the webhook-id memory, on dynalite with the real adapters. */
describe('partner request limits and webhook ids (dynalite, the real adapters)', () => {
  let dynamo: LocalDynamoDb;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable('rateLimits', TABLES.partnerRateLimits);
    await dynamo.createTable('deliveries', TABLES.webhookDeliveries);
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  const at = (iso: string) => new Date(iso);

  it('allows a partner its limit of requests in a window, refuses the next until the window ends, and counts partners apart', async () => {
    // Prepare
    const limiter = new DynamoDbRateLimiter(dynamo.doc, 'rateLimits', 'manifest-posts', 3, 60);
    const consume = (partnerId: string, iso: string) => limiter.consume(partnerId, at(iso));
    // Act
    const inWindow = [];
    for (const second of ['00', '10', '20', '45'])
      inWindow.push(await consume('pearl', `2026-11-29T08:00:${second}Z`));
    const other = await consume('southwest', '2026-11-29T08:00:50Z');
    const nextWindow = await consume('pearl', '2026-11-29T08:01:00Z');
    // Assess
    expect(inWindow).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
      { allowed: false, limit: 3, retryAfterSeconds: 15 },
    ]);
    expect(other).toEqual({ allowed: true });
    expect(nextWindow).toEqual({ allowed: true });
  });

  it('keeps a window of requests past its end, so TTL never deletes a count the window still needs', async () => {
    // Prepare
    const limiter = new DynamoDbRateLimiter(dynamo.doc, 'rateLimits', 'status-reads', 3, 60);

    // Act
    await limiter.consume('keeper', at('2026-11-29T10:00:30Z'));

    // Assess
    const { Items } = await dynamo.doc.send(new ScanCommand({ TableName: 'rateLimits' }));
    const window = Items!.find((item) => String(item.pk).startsWith('keeper#'));
    expect(window!.expiresAt).toBeGreaterThanOrEqual(Date.parse('2026-11-29T10:01:00Z') / 1000);
  });

  it('counts concurrent requests exactly: never more than the limit allowed in one window', async () => {
    // Prepare
    const limiter = new DynamoDbRateLimiter(dynamo.doc, 'rateLimits', 'manifest-posts', 5, 60);
    // Act
    const decisions = await Promise.all(
      Array.from({ length: 12 }, () => limiter.consume('burst', at('2026-11-29T09:00:30Z'))),
    );
    // Assess
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
  });

  it('tells a webhook id seen first, again with the same body, with another body, and first again once forgotten', async () => {
    // Prepare
    const log = new DynamoDbWebhookDeliveryLog(dynamo.doc, 'deliveries');
    const remember = (partnerId: string, bodyHash: string, iso: string) =>
      log.remember({
        partnerId,
        webhookId: 'msg_1',
        bodyHash,
        now: at(iso),
        keepUntil: new Date(at(iso).getTime() + 600_000),
      });
    // Act
    const sightings = [
      await remember('pearl', 'a', '2026-11-29T08:00:00Z'),
      await remember('pearl', 'a', '2026-11-29T08:05:00Z'),
      await remember('pearl', 'b', '2026-11-29T08:09:59Z'),
      await remember('southwest', 'b', '2026-11-29T08:09:59Z'),
      await remember('pearl', 'b', '2026-11-29T08:10:01Z'),
    ];
    // Assess
    expect(sightings).toEqual(['first', 'same-body', 'other-body', 'first', 'first']);
  });
});
