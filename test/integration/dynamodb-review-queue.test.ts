import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import type { AuditDraft, AuditEntry } from '../../functions/core/audit/audit-chain.js';
import type { AuditLog } from '../../functions/ports/audit-log.js';
import type { PartyHistory } from '../../functions/ports/party-history.js';
import type { ReviewItem } from '../../functions/ports/review-queue.js';
import type { RuleStatistics } from '../../functions/ports/rule-statistics.js';
import { sweepPending } from '../../functions/review/sweep-pending.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { scanAll } from '../support/embedded.js';
import { aFlaggedItem } from '../support/factories.js';
import { partyKeys } from '../support/party-history-contract.js';

const flagged = (parcelId: string): ReviewItem =>
  aFlaggedItem(parcelId, partyKeys({ consignee: parcelId }), 60);

/** A claim stored at `at` whose audit entry is still owed. */
const claimedPending = (item: ReviewItem, at: string): ReviewItem => {
  const actionId = `claim:${item.parcelKey}:v1`;
  return {
    ...item,
    lease: { holder: 'sub-wuzhou', holderName: 'wuzhou', claimedAt: at, until: '2026-11-28T10:00:00.000Z' },
    pending: {
      actionId,
      audit: {
        chain: item.inspectionOffice,
        actionId,
        actor: 'sub-wuzhou',
        actorName: 'wuzhou',
        role: 'officer',
        at,
        action: 'claim',
        target: item.parcelKey,
        before: { status: 'open' },
        after: { status: 'open' },
        requestId: `req-${item.parcelId}`,
      },
    },
  };
};

class RecordingAuditLog implements AuditLog {
  readonly appended: string[] = [];
  async appendOnce(draft: AuditDraft): Promise<AuditEntry> {
    this.appended.push(draft.actionId);
    return { ...draft, seq: this.appended.length, prevHash: '', hash: '' };
  }
  async readAll(): Promise<Map<string, AuditEntry[]>> {
    return new Map();
  }
}

const unused = new Proxy(
  {},
  {
    get: (_target, name) => () => {
      throw new Error(`${String(name)} is not called for a pending claim`);
    },
  },
);

describe('the review queue pending index on DynamoDB (dynalite)', () => {
  let dynamo: LocalDynamoDb;
  let queue: DynamoDbReviewQueue;
  const TABLE = 'review-queue';

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable(TABLE, TABLES.reviewQueue);
    queue = new DynamoDbReviewQueue(dynamo.doc, TABLE);
    const stored: [string, string | undefined][] = [
      ['P3', '2026-11-28T09:03:00.000Z'],
      ['P1', '2026-11-28T09:01:00.000Z'],
      ['P2', '2026-11-28T09:02:00.000Z'],
      ['P4', '2026-11-28T09:30:00.000Z'],
      ['P5', undefined],
    ];
    for (const [parcelId, at] of stored) {
      const item = flagged(parcelId);
      await queue.enqueue(item);
      if (at !== undefined) await queue.save(claimedPending(item, at), 0);
    }
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('lists the parcels with pending effects older than a time, oldest first, page by page', async () => {
    // Act
    const first = await queue.listPending('2026-11-28T09:10:00.000Z', { limit: 2 });
    const second = await queue.listPending('2026-11-28T09:10:00.000Z', { limit: 2, cursor: first.cursor! });

    // Assess
    expect(first.parcelKeys).toEqual(['southwest-freight#P1', 'southwest-freight#P2']);
    expect(first.cursor).toBeDefined();
    expect(second.parcelKeys).toEqual(['southwest-freight#P3']);
    expect(second.cursor).toBeUndefined();
  });

  it('keeps the index keys out of the items it returns', async () => {
    // Act
    const item = await queue.get('southwest-freight#P1');

    // Assess
    expect(item?.pending?.actionId).toBe('claim:southwest-freight#P1:v1');
    expect(item).not.toHaveProperty('pendingQueue');
    expect(item).not.toHaveProperty('pendingSince');
  });

  it('sweeps at most maxItems a run, oldest first, says there is more, and takes the rest next run', async () => {
    // Prepare
    const auditLog = new RecordingAuditLog();
    const deps = {
      reviewQueue: queue,
      auditLog,
      history: unused as PartyHistory,
      ruleStatistics: unused as RuleStatistics,
      clock: { now: () => new Date('2026-11-28T09:12:00.000Z') },
    };
    const options = { graceSeconds: 120, maxItems: 2 };

    // Act
    const first = await sweepPending(deps, options);
    const second = await sweepPending(deps, options);
    const third = await sweepPending(deps, options);

    // Assess: P4 is younger than the grace period and stays pending; P5 never was
    expect(first).toEqual({
      finished: ['southwest-freight#P1', 'southwest-freight#P2'],
      failed: [],
      more: true,
    });
    expect(second).toEqual({ finished: ['southwest-freight#P3'], failed: [], more: false });
    expect(third).toEqual({ finished: [], failed: [], more: false });
    expect(auditLog.appended).toEqual([
      'claim:southwest-freight#P1:v1',
      'claim:southwest-freight#P2:v1',
      'claim:southwest-freight#P3:v1',
    ]);
    const indexed = (await scanAll(dynamo.doc, TABLE)).filter((item) => item.pendingQueue !== undefined);
    expect(indexed.map((item) => item.pk)).toEqual(['southwest-freight#P4']);
  });
});
