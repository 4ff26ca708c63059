import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import type { Lease } from '../../functions/core/review/case-transitions.js';
import { ValidationError } from '../../functions/platform/errors.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { aFlaggedItem } from '../support/factories.js';
import { partyKeys } from '../support/party-history-contract.js';

const NOW = '2026-11-28T10:05:00.000Z';
const ME = 'sub-wuzhou';

const leaseOf = (holder: string, until: string, released = false): Lease => ({
  holder,
  holderName: holder.replace(/^sub-/, ''),
  claimedAt: '2026-11-28T09:50:00.000Z',
  until,
  ...(released ? { releasedAt: until } : {}),
});

/** Open parcels, highest score first, and the lease each carries, if any. */
const PARCELS: [string, Lease | undefined][] = [
  ['P0', undefined],
  ['P1', leaseOf(ME, '2026-11-28T10:30:00.000Z')],
  ['P2', leaseOf('sub-wuzhou-2', '2026-11-28T10:30:00.000Z')],
  ['P3', leaseOf(ME, '2026-11-28T10:00:00.000Z', true)],
  ['P4', leaseOf(ME, '2026-11-28T10:04:59.999Z')],
  ['P5', leaseOf(ME, '2026-11-28T10:20:00.000Z')],
];

describe("one officer's claims in the review queue on DynamoDB (dynalite)", () => {
  let dynamo: LocalDynamoDb;
  let queue: DynamoDbReviewQueue;
  const TABLE = 'review-queue-claimed-by';
  const OFFICE = 'wuzhou-customs';

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable(TABLE, TABLES.reviewQueue);
    queue = new DynamoDbReviewQueue(dynamo.doc, TABLE);
    for (const [index, [parcelId, lease]] of PARCELS.entries()) {
      const item = aFlaggedItem(parcelId, partyKeys({ consignee: parcelId }), 100 - index);
      await queue.enqueue(item);
      if (lease) await queue.save({ ...item, lease }, 0);
    }
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it.each(['open', 'claimed'] as const)(
    'lists, as %s parcels, only those under a live lease of the officer: not released, not run out, not another’s',
    async (status) => {
      // Act
      const page = await queue.list(OFFICE, status, { limit: 25, now: NOW, claimedBy: ME });

      // Assess
      expect(page.items.map((item) => item.parcelId)).toEqual(['P1', 'P5']);
      expect(page.cursor).toBeUndefined();
    },
  );

  it('pages them one at a time with the cursor it issues for them', async () => {
    // Act
    const first = await queue.list(OFFICE, 'open', { limit: 1, now: NOW, claimedBy: ME });
    const second = await queue.list(OFFICE, 'open', {
      limit: 1,
      now: NOW,
      claimedBy: ME,
      cursor: first.cursor!,
    });

    // Assess
    expect(first.items.map((item) => item.parcelId)).toEqual(['P1']);
    expect(second.items.map((item) => item.parcelId)).toEqual(['P5']);
  });

  it.each([
    ['another officer', 'sub-wuzhou-2', 'this office, status and claimedBy'],
    ['the whole queue', undefined, 'this office and status'],
  ])("refuses the cursor of one officer's claims for %s", async (_name, claimedBy, issuedFor) => {
    // Prepare
    const { cursor } = await queue.list(OFFICE, 'open', { limit: 1, now: NOW, claimedBy: ME });

    // Act
    const refusal = await queue
      .list(OFFICE, 'open', { limit: 1, now: NOW, cursor: cursor!, ...(claimedBy ? { claimedBy } : {}) })
      .catch((error) => error);

    // Assess
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal.issues).toEqual([
      { path: 'cursor', message: `not a cursor this queue issued for ${issuedFor}` },
    ]);
  });
});
