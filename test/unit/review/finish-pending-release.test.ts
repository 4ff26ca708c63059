import { describe, expect, it, vi } from 'vitest';
import { dynamoDbReviewEffects } from '../../../functions/adapters/dynamodb-review-effects.js';
import type { ReviewEffectsConfig } from '../../../functions/platform/config.js';
import { DependencyError } from '../../../functions/platform/errors.js';
import { makeLogger } from '../../../functions/platform/logger.js';
import type { ReviewItem, ReviewQueue } from '../../../functions/ports/review-queue.js';
import { type FinishDeps, finishPending } from '../../../functions/review/finish-pending.js';
import { aFlaggedItem, anAuditDraft } from '../../support/factories.js';
import { partyKeys } from '../../support/party-history-contract.js';

const NOW = new Date('2026-11-28T10:00:00.000Z');

/** A parcel owing a release's audit entry, claimed at once; the audit log and the release fail as given. */
const failingFinish = (releaseError: unknown) => {
  const item = aFlaggedItem('P1', partyKeys({ consignee: 'c' }));
  const actionId = `release:${item.parcelKey}:v3`;
  const stored: ReviewItem = {
    ...item,
    pending: { actionId, audit: anAuditDraft(item, 'release', actionId, NOW.toISOString()) },
  };
  const auditError = new DependencyError('audit log throttled');
  const claimNotReleased = vi.fn();
  const releasePending = vi.fn(async () =>
    releaseError === undefined ? undefined : Promise.reject(releaseError),
  );
  const deps: FinishDeps = {
    reviewQueue: { claimPending: async () => true, releasePending } as unknown as ReviewQueue,
    auditLog: { appendOnce: async () => Promise.reject(auditError) } as unknown as FinishDeps['auditLog'],
    history: undefined as never,
    ruleStatistics: undefined as never,
    clock: { now: () => NOW },
    claimNotReleased,
  };
  return { deps, stored, auditError, claimNotReleased, releasePending };
};

describe('finishPending when its effects fail', () => {
  it('reports a claim it could not give back, once, with the parcel key, and still surfaces the failure', async () => {
    // Prepare
    const releaseError = new DependencyError('review queue throttled');
    const { deps, stored, auditError, claimNotReleased } = failingFinish(releaseError);
    // Act
    const thrown = await finishPending(deps, stored, 'sweep:1').catch((error: unknown) => error);
    // Assess
    expect(thrown).toBe(auditError);
    expect(claimNotReleased).toHaveBeenCalledTimes(1);
    expect(claimNotReleased).toHaveBeenCalledWith(stored.parcelKey, releaseError);
  });

  it('reports nothing when the claim is given back', async () => {
    // Prepare
    const { deps, stored, auditError, claimNotReleased, releasePending } = failingFinish(undefined);
    // Act
    const thrown = await finishPending(deps, stored, 'sweep:1').catch((error: unknown) => error);
    // Assess
    expect(thrown).toBe(auditError);
    expect(releasePending).toHaveBeenCalledTimes(1);
    expect(claimNotReleased).not.toHaveBeenCalled();
  });
});

describe('dynamoDbReviewEffects', () => {
  it('logs a claim that was not given back as a warning naming the parcel', () => {
    // Prepare
    const lines: string[] = [];
    const logger = makeLogger('info', {}, (line) => lines.push(line));
    const config = {
      REVIEW_QUEUE_TABLE: 'review',
      AUDIT_LOG_TABLE: 'audit',
      PARTY_HISTORY_TABLE: 'history',
      RULE_STATISTICS_TABLE: 'statistics',
      SHARING_AGREEMENTS_FILE: 'rules/sharing/agreements.yaml',
    } as ReviewEffectsConfig;
    const effects = dynamoDbReviewEffects({} as never, config, logger);
    // Act
    effects.claimNotReleased('southwest-freight#P1', new DependencyError('review queue throttled'));
    // Assess
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      {
        level: 'warn',
        message: 'pending claim not released',
        parcelKey: 'southwest-freight#P1',
        error: { name: 'DependencyError', code: 'DEPENDENCY_UNAVAILABLE' },
      },
    ]);
  });
});
