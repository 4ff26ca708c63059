import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import type { AuditDraft, AuditEntry } from '../../functions/core/audit/audit-chain.js';
import { recordExpiresAt } from '../../functions/core/retention.js';
import { ValidationError } from '../../functions/platform/errors.js';
import type { AuditLog } from '../../functions/ports/audit-log.js';
import type { PartyHistory } from '../../functions/ports/party-history.js';
import type { ReviewItem } from '../../functions/ports/review-queue.js';
import type { RuleStatistics } from '../../functions/ports/rule-statistics.js';
import { sweepPending } from '../../functions/review-sweep/sweep-pending.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { scanAll } from '../support/embedded.js';
import { aFlaggedItem, anAuditDraft } from '../support/factories.js';
import { partyKeys } from '../support/party-history-contract.js';
import { mustNotBeCalled } from '../support/staff.js';

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
      audit: anAuditDraft(item, 'claim', actionId, at),
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

const unused = mustNotBeCalled('for a pending claim');

describe('the review queue pending index on DynamoDB (dynalite)', () => {
  let dynamo: LocalDynamoDb;
  let queue: DynamoDbReviewQueue;
  const TABLE = 'review-queue';
  /** Pending claims owe only their audit entry: history and statistics must not be called. */
  const sweepDeps = (auditLog: AuditLog) => ({
    reviewQueue: queue,
    auditLog,
    history: unused as PartyHistory,
    ruleStatistics: unused as RuleStatistics,
    clock: { now: () => new Date('2026-11-28T09:12:00.000Z') },
  });

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

  it('ignores a claim stored inside the pending map: only its own attributes are a claim', async () => {
    // Prepare: an item written with the claim inside `pending`, as no current code writes it
    const item = claimedPending(flagged('P9'), '2026-11-28T09:05:00.000Z');
    await dynamo.doc.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: item.parcelKey,
          ...item,
          pending: { ...item.pending!, finisher: 'stale', finishUntil: '2999-01-01T00:00:00.000Z' },
        },
      }),
    );

    // Act
    const read = await queue.get(item.parcelKey);
    const claimed = await queue.claimPending(item.parcelKey, item.pending!.actionId, {
      finisher: 'sweep:9',
      now: '2026-11-28T09:12:00.000Z',
      until: '2026-11-28T09:15:00.000Z',
    });

    // Assess
    expect(read?.pending).not.toHaveProperty('finisher');
    expect(claimed).toBe(true);
    expect((await queue.get(item.parcelKey))?.pending).toMatchObject({
      finisher: 'sweep:9',
      finishUntil: '2026-11-28T09:15:00.000Z',
    });
  });

  it('starts no parcel once the run is short of time, and says there is more', async () => {
    // Prepare
    const auditLog = new RecordingAuditLog();
    const deps = sweepDeps(auditLog);

    // Act
    const report = await sweepPending(deps, {
      finisher: 'sweep:late',
      graceSeconds: 120,
      maxItems: 100,
      timeLeftMs: () => 15_000,
      reserveMs: 20_000,
    });

    // Assess
    expect(report).toEqual({ finished: [], busy: [], failed: [], more: true });
    expect(auditLog.appended).toEqual([]);
  });

  it('sweeps at most maxItems a run, oldest first, says there is more, and takes the rest next run', async () => {
    // Prepare
    const auditLog = new RecordingAuditLog();
    const deps = sweepDeps(auditLog);
    const options = {
      finisher: 'sweep:1',
      graceSeconds: 120,
      maxItems: 2,
      timeLeftMs: () => 60_000,
      reserveMs: 1,
    };

    // Act
    const first = await sweepPending(deps, options);
    const second = await sweepPending(deps, options);
    const third = await sweepPending(deps, options);

    // Assess: P4 is younger than the grace period and stays pending; P5 never was
    expect(first).toEqual({
      finished: ['southwest-freight#P1', 'southwest-freight#P2'],
      busy: [],
      failed: [],
      more: true,
    });
    expect(second).toEqual({ finished: ['southwest-freight#P3'], busy: [], failed: [], more: false });
    expect(third).toEqual({ finished: [], busy: [], failed: [], more: false });
    expect(auditLog.appended).toEqual([
      'claim:southwest-freight#P1:v1',
      'claim:southwest-freight#P2:v1',
      'claim:southwest-freight#P3:v1',
    ]);
    const indexed = (await scanAll(dynamo.doc, TABLE)).filter((item) => item.pendingQueue !== undefined);
    expect(indexed.map((item) => item.pk)).toEqual(['southwest-freight#P4']);
  });
});

describe('the claimed listing on DynamoDB (dynalite)', () => {
  let dynamo: LocalDynamoDb;
  let queue: DynamoDbReviewQueue;
  const TABLE = 'review-queue-claimed';
  const NOW = '2026-11-28T10:05:00.000Z';
  const OFFICE = flagged('P00').inspectionOffice;
  const idOf = (index: number) => `P${String(index).padStart(2, '0')}`;
  /** 30 open parcels, P00 first (highest score); these are under a live lease. */
  const CLAIMED = [5, 6, 7, 20, 21, 29];

  /** Every page of the claimed queue, following each cursor to the end. */
  const claimedPages = async (limit: number): Promise<string[][]> => {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await queue.list(OFFICE, 'claimed', { limit, now: NOW, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((item) => item.parcelId));
      cursor = page.cursor;
    } while (cursor !== undefined && pages.length < 50);
    return pages;
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable(TABLE, TABLES.reviewQueue);
    queue = new DynamoDbReviewQueue(dynamo.doc, TABLE);
    for (let index = 0; index < 30; index += 1) {
      const item = aFlaggedItem(idOf(index), partyKeys({ consignee: idOf(index) }), 100 - index);
      await queue.enqueue(item);
      if (CLAIMED.includes(index)) {
        const lease = {
          holder: 'sub-wuzhou',
          holderName: 'wuzhou',
          claimedAt: NOW,
          until: '2026-11-28T10:30:00.000Z',
        };
        await queue.save({ ...item, lease }, 0);
      }
    }
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('fills the first page with claimed parcels that lie beyond the first query of open ones', async () => {
    // Act
    const first = await queue.list(OFFICE, 'claimed', { limit: 25, now: NOW });

    // Assess: DynamoDB's first query of 25 holds only three of them
    expect(first.items.map((item) => item.parcelId)).toEqual(['P05', 'P06', 'P07', 'P20', 'P21', 'P29']);
    expect(first.cursor).toBeUndefined();
  });

  it('pages claimed parcels in priority order, none skipped or repeated, when a page fills mid-query', async () => {
    // Act
    const pages = await claimedPages(2);

    // Assess
    expect(pages.flat()).toEqual(CLAIMED.map(idOf));
    expect(pages.slice(0, 3)).toEqual([
      ['P05', 'P06'],
      ['P07', 'P20'],
      ['P21', 'P29'],
    ]);
  });

  it.each([
    {
      when: 'a millisecond before their lease ends',
      now: '2026-11-28T10:29:59.999Z',
      listed: CLAIMED.map(idOf),
    },
    // As a claim reads it: a lease is in force while now < until, so the parcel is open to claim again.
    { when: 'at the instant their lease ends', now: '2026-11-28T10:30:00.000Z', listed: [] },
  ])('lists parcels as claimed $when: $listed', async ({ now, listed }) => {
    // Act
    const page = await queue.list(OFFICE, 'claimed', { limit: 25, now });

    // Assess
    expect(page.items.map((item) => item.parcelId)).toEqual(listed);
  });

  it('lists no parcel in the second its record expires, as a read of it finds none', async () => {
    // Arrange
    const expiry = new Date(recordExpiresAt(flagged('P00').flaggedAt) * 1000).toISOString();
    const justBefore = new Date(Date.parse(expiry) - 1000).toISOString();

    // Act
    const before = await queue.list(OFFICE, 'open', { limit: 1, now: justBefore });
    const at = await queue.list(OFFICE, 'open', { limit: 50, now: expiry });

    // Assess
    expect(before.items.map((item) => item.parcelId)).toEqual(['P00']);
    expect(at.items).toEqual([]);
    expect(await queue.get(flagged('P00').parcelKey, expiry)).toBeUndefined();
  });

  /** An issued cursor's key with `change` applied, encoded as the queue encodes cursors. */
  const handMade = async (change: (key: Record<string, string>) => void): Promise<string> => {
    const { cursor } = await queue.list(OFFICE, 'open', { limit: 2, now: NOW });
    const key = JSON.parse(Buffer.from(cursor!, 'base64url').toString('utf8')) as Record<string, string>;
    change(key);
    return Buffer.from(JSON.stringify(key)).toString('base64url');
  };

  it.each([
    ['an empty parcel key', (key: Record<string, string>) => Object.assign(key, { pk: '' })],
    ['an empty priority', (key: Record<string, string>) => Object.assign(key, { priority: '' })],
    [
      'a parcel key over DynamoDB’s key size',
      (key: Record<string, string>) => Object.assign(key, { pk: 'p'.repeat(3000) }),
    ],
    [
      'a priority over DynamoDB’s key size',
      (key: Record<string, string>) => Object.assign(key, { priority: `${key.priority}${'p'.repeat(3000)}` }),
    ],
    [
      'a score key of neither width the queue writes',
      (key: Record<string, string>) => Object.assign(key, { priority: key.priority!.slice(1) }),
    ],
    [
      'the priority of another parcel',
      (key: Record<string, string>) => Object.assign(key, { pk: 'southwest-freight#P29' }),
    ],
  ])('refuses a hand-made cursor with %s as a bad cursor, not a failed query', async (_case, change) => {
    // Arrange
    const cursor = await handMade(change);

    // Act
    const refusal = await queue.list(OFFICE, 'open', { limit: 2, now: NOW, cursor }).catch((error) => error);

    // Assess
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal.issues).toEqual([
      { path: 'cursor', message: 'not a cursor this queue issued for this office and status' },
    ]);
  });

  it.each([
    ['open', 'claimed'],
    ['claimed', 'open'],
  ] as const)(
    'refuses a cursor issued for %s parcels when listing %s ones, though both share a partition',
    async (issuedFor, listed) => {
      // Prepare
      const { cursor } = await queue.list(OFFICE, issuedFor, { limit: 1, now: NOW });

      // Act
      const refusal = await queue
        .list(OFFICE, listed, { limit: 2, now: NOW, cursor: cursor! })
        .catch((error) => error);

      // Assess
      expect(refusal).toBeInstanceOf(ValidationError);
    },
  );

  it('follows a cursor it issued', async () => {
    // Arrange
    const cursor = await handMade(() => undefined);

    // Act
    const next = await queue.list(OFFICE, 'open', { limit: 2, now: NOW, cursor });

    // Assess
    expect(next.items.map((item) => item.parcelId)).toEqual(['P02', 'P03']);
  });

  it('stops after a bounded number of queries and answers the cursor where it stopped', async () => {
    // Act: pages of one, so ten queries after P07 read P08 to P17, none of them claimed
    const pages = await claimedPages(1);

    // Assess
    expect(pages.slice(0, 5)).toEqual([['P05'], ['P06'], ['P07'], [], ['P20']]);
    expect(pages.flat()).toEqual(CLAIMED.map(idOf));
  });
});

describe('the open listing on DynamoDB (dynalite), for any score a decision can hold', () => {
  let dynamo: LocalDynamoDb;
  let queue: DynamoDbReviewQueue;
  const TABLE = 'review-queue-scores';
  const NOW = '2026-11-28T10:05:00.000Z';
  const OFFICE = flagged('P00').inspectionOffice;
  /**
   * Highest first; a rule adds up to ±1,000,000 in millionths, and a forced lane queues any score (past
   * ±2^53 millionths, the key holds the bound: those beyond it sort among themselves by time). 0.0157 and
   * 0.015699 are a millionth apart, though 0.0157 * 10^6 is 15699.999999999998 in binary.
   */
  const SCORES = [
    100_000_000_000, 2_000_000_000, 20_000, 15_000, 60.004, 60.001, 60, 0.0157, 0.015699, 0.000001, 0, -0.5,
    -100_000, -999_940, -100_000_000_000,
  ];
  const idOf = (score: number) => `S${String(SCORES.indexOf(score)).padStart(2, '0')}`;

  /** Every page of the open queue, `limit` at a time, following each cursor to the end. */
  const openPages = async (limit: number): Promise<string[]> => {
    const listed: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await queue.list(OFFICE, 'open', { limit, now: NOW, ...(cursor ? { cursor } : {}) });
      listed.push(...page.items.map((item) => item.parcelId));
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== undefined && pages < 50);
    return listed;
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable(TABLE, TABLES.reviewQueue);
    queue = new DynamoDbReviewQueue(dynamo.doc, TABLE);
    // Enqueued lowest first, each flagged later than the one before: neither order helps the listing
    // (between equal scores, the earlier flagged goes first: a score key that ties two would list them
    // lowest first).
    for (const [index, score] of [...SCORES].reverse().entries()) {
      const flaggedAt = new Date(Date.parse('2026-11-28T08:00:00.000Z') + index * 60_000).toISOString();
      await queue.enqueue({
        ...aFlaggedItem(idOf(score), partyKeys({ consignee: idOf(score) }), score),
        flaggedAt,
      });
    }
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it.each([1, 3, 25])('lists them highest score first, %i a page, none skipped', async (limit) => {
    // Act
    const listed = await openPages(limit);

    // Assess
    expect(listed).toEqual(SCORES.map(idOf));
  });

  it('pages past an item stored with the narrow key of before (hundredths, 7 digits)', async () => {
    // Arrange: stored as the queue wrote it then, between the scores 0 and -0.5
    const legacy = { ...aFlaggedItem('L00', partyKeys({ consignee: 'L00' }), 0) };
    await dynamo.doc.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          ...legacy,
          pk: legacy.parcelKey,
          officeStatus: `${OFFICE}#open`,
          priority: `1000000#${legacy.flaggedAt}#${legacy.parcelKey}`,
          expiresAt: recordExpiresAt(legacy.flaggedAt),
          version: 1,
        },
      }),
    );

    // Act
    const listed = await openPages(1);

    // Assess: every item once, the narrow key included (its place among the wide keys aside)
    expect([...listed].sort()).toEqual([...SCORES.map(idOf), 'L00'].sort());
  });
});
