import { describe, expect, it, vi } from 'vitest';
import { DependencyError } from '../../../functions/platform/errors.js';
import type { ReviewItem, ReviewQueue } from '../../../functions/ports/review-queue.js';
import { FINISH_CLAIM_MS } from '../../../functions/review/finish-pending.js';
import { type SweepDeps, sweepPending } from '../../../functions/review-sweep/sweep-pending.js';
import { FUNCTIONS, type FunctionDefinition } from '../../../infra/definitions.js';
import { aFlaggedItem, anAuditDraft } from '../../support/factories.js';
import { partyKeys } from '../../support/party-history-contract.js';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const OPTIONS = {
  finisher: 'sweep:1',
  graceSeconds: 120,
  maxItems: 10,
  timeLeftMs: () => 60_000,
  reserveMs: 1,
};

/** A review queue whose index still lists a parcel that now owes a newer action, taken `ageMs` ago. */
const queueListing = (ageMs: number) => {
  const item = aFlaggedItem('P1', partyKeys({ consignee: 'c' }));
  const actionId = `release:${item.parcelKey}:v3`;
  const stored: ReviewItem = {
    ...item,
    pending: {
      actionId,
      audit: anAuditDraft(item, 'release', actionId, new Date(NOW.getTime() - ageMs).toISOString()),
    },
  };
  return {
    listPending: vi.fn(async () => ({ parcelKeys: [item.parcelKey] })),
    get: vi.fn(async () => stored),
    claimPending: vi.fn(async () => false),
  };
};

/**
 * A review queue whose index lists `parcelIds`, at most `pageSize` a query (as DynamoDB cuts a page at its
 * size bound) and with a cursor while more are left, every one owing an action taken `ageMs` ago that
 * another finisher holds (so each parcel swept is reported busy).
 */
const queuePaging = (parcelIds: string[], pageSize = 100, ageMs = 600_000) => {
  const items = new Map(
    parcelIds.map((parcelId) => {
      const item = aFlaggedItem(parcelId, partyKeys({ consignee: 'c' }));
      const actionId = `release:${item.parcelKey}:v3`;
      const at = new Date(NOW.getTime() - ageMs).toISOString();
      const stored: ReviewItem = {
        ...item,
        pending: { actionId, audit: anAuditDraft(item, 'release', actionId, at) },
      };
      return [item.parcelKey, stored];
    }),
  );
  const keys = [...items.keys()];
  return {
    listPending: vi.fn(async (_before: string, options: { limit?: number; cursor?: string } = {}) => {
      const from = options.cursor === undefined ? 0 : Number(options.cursor);
      const to = from + Math.min(options.limit ?? 100, pageSize);
      return { parcelKeys: keys.slice(from, to), ...(to < keys.length ? { cursor: String(to) } : {}) };
    }),
    get: vi.fn(async (parcelKey: string) => items.get(parcelKey)),
    claimPending: vi.fn(async () => false),
  };
};

const keyOf = (parcelId: string) => `southwest-freight#${parcelId}`;

const depsWith = (queue: object): SweepDeps => ({
  reviewQueue: queue as unknown as ReviewQueue,
  auditLog: undefined as never,
  history: undefined as never,
  ruleStatistics: undefined as never,
  clock: { now: () => NOW },
});

describe('sweepPending', () => {
  it('leaves an action younger than the grace to its request, even when the lagging index lists the parcel', async () => {
    // Prepare
    const queue = queueListing(10_000);

    // Act
    const report = await sweepPending(depsWith(queue), OPTIONS);

    // Assess
    expect(report).toEqual({ finished: [], busy: [], failed: [], more: false });
    expect(queue.claimPending).not.toHaveBeenCalled();
  });

  it('reports as busy an old action another finisher holds', async () => {
    // Prepare
    const queue = queueListing(600_000);

    // Act
    const report = await sweepPending(depsWith(queue), OPTIONS);

    // Assess
    expect(report).toEqual({ finished: [], busy: ['southwest-freight#P1'], failed: [], more: false });
    expect(queue.claimPending).toHaveBeenCalledOnce();
  });

  it('claims for longer than any function that writes the review queue may run', () => {
    // Prepare: a holder alive past its claim could finish an action after a later one's effects
    const writers = Object.entries(FUNCTIONS as Record<string, FunctionDefinition>).filter(([, definition]) =>
      (definition.tables.write as readonly string[]).includes('reviewQueue'),
    );

    // Assess
    expect(writers.map(([name]) => name).sort()).toEqual(['review', 'reviewSweep', 'screen']);
    for (const [, definition] of writers) {
      expect(definition.timeoutSeconds * 1000 + 30_000).toBeLessThan(FINISH_CLAIM_MS);
    }
  });
  it('leaves an action exactly as old as the grace to its request, as the index does', async () => {
    // Prepare
    const queue = queueListing(OPTIONS.graceSeconds * 1000);

    // Act
    const report = await sweepPending(depsWith(queue), OPTIONS);

    // Assess
    expect(report.busy).toEqual([]);
    expect(queue.claimPending).not.toHaveBeenCalled();
  });

  it('sweeps every page the index lists, passing on its cursor', async () => {
    // Prepare
    const queue = queuePaging(['P1', 'P2', 'P3'], 2);

    // Act
    const report = await sweepPending(depsWith(queue), OPTIONS);

    // Assess
    expect(report).toEqual({ finished: [], busy: ['P1', 'P2', 'P3'].map(keyOf), failed: [], more: false });
    expect(queue.listPending.mock.calls.map(([, options]) => options?.cursor)).toEqual([undefined, '2']);
  });

  it('sweeps at most maxItems parcels, asks the index for no more, and says more are left', async () => {
    // Prepare
    const queue = queuePaging(['P1', 'P2', 'P3']);

    // Act
    const report = await sweepPending(depsWith(queue), { ...OPTIONS, maxItems: 2 });

    // Assess
    expect(report).toEqual({ finished: [], busy: ['P1', 'P2'].map(keyOf), failed: [], more: true });
    expect(queue.listPending).toHaveBeenCalledWith(expect.any(String), { limit: 2 });
  });

  it('says more are left when it stops at maxItems at the end of a page the index has more after', async () => {
    // Prepare
    const queue = queuePaging(['P1', 'P2'], 1);

    // Act
    const report = await sweepPending(depsWith(queue), { ...OPTIONS, maxItems: 1 });

    // Assess
    expect(report).toEqual({ finished: [], busy: [keyOf('P1')], failed: [], more: true });
  });

  it('still starts a parcel with exactly the reserve left, and none below it', async () => {
    // Prepare
    const queue = queuePaging(['P1', 'P2']);
    const left = [1_000, 999];

    // Act
    const report = await sweepPending(depsWith(queue), {
      ...OPTIONS,
      reserveMs: 1_000,
      timeLeftMs: () => left.shift() ?? 0,
    });

    // Assess
    expect(report).toEqual({ finished: [], busy: [keyOf('P1')], failed: [], more: true });
  });

  it('reports a parcel it could not finish with the error and its code, and goes on with the others', async () => {
    // Prepare
    const queue = queuePaging(['P1', 'P2', 'P3']);
    queue.get.mockRejectedValueOnce(new DependencyError('read review item: throttled'));
    queue.get.mockRejectedValueOnce(new Error('socket hang up'));

    // Act
    const report = await sweepPending(depsWith(queue), OPTIONS);

    // Assess
    expect(report).toEqual({
      finished: [],
      busy: [keyOf('P3')],
      failed: [
        { parcelKey: keyOf('P1'), error: 'read review item: throttled', code: 'DEPENDENCY_UNAVAILABLE' },
        { parcelKey: keyOf('P2'), error: 'socket hang up' },
      ],
      more: false,
    });
  });
});
