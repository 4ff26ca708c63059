import { describe, expect, it, vi } from 'vitest';
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

const depsWith = (queue: ReturnType<typeof queueListing>): SweepDeps => ({
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
});
