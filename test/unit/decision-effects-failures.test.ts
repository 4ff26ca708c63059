import { describe, expect, it } from 'vitest';
import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { AppError } from '../../functions/core/app-error.js';
import { DependencyError } from '../../functions/platform/errors.js';
import type { DecisionRecord } from '../../functions/ports/decision-store.js';
import { applyDecisionEffects, type DecisionEffectsDeps } from '../../functions/screen/decision-effects.js';
import { aParcel } from '../support/factories.js';

/** A released decision: no review item, no referral, only the bookkeeping (history and rule statistics). */
const aReleasedDecision = (): DecisionRecord =>
  ({
    parcelKey: 'pearl-express#P-1',
    partnerId: 'pearl-express',
    manifestId: 'M-1',
    parcelId: 'P-1',
    region: 'yunnan-guangxi',
    inspectionOffice: 'ruili',
    referralId: 'ref-1',
    decidedAt: '2026-11-28T10:00:00.000Z',
    lane: 'release',
    score: 0,
    firedRules: [],
    ruleSetVersion: 'default@1',
    facts: { parcel: aParcel({ parcelId: 'P-1' }), parties: [] },
  }) as unknown as DecisionRecord;

const message = {
  partnerId: 'pearl-express',
  manifestId: 'M-1',
  receivedAt: '2026-11-28T09:00:00.000Z',
  items: [],
} as unknown as ScreeningRequested;

/** Effects whose two bookkeeping stores fail as given; everything else succeeds. */
const depsFailing = (
  history: unknown,
  statistics: unknown,
): { deps: DecisionEffectsDeps; marked: string[] } => {
  const marked: string[] = [];
  const deps = {
    decisions: { markEffectsDone: async (key: string) => void marked.push(key) },
    history: { record: async () => (history === undefined ? undefined : Promise.reject(history)) },
    ruleStatistics: {
      recordHits: async () => (statistics === undefined ? undefined : Promise.reject(statistics)),
    },
    manifestParts: {},
    reviewQueue: { enqueue: async () => undefined },
    inspectionQueue: { send: async () => undefined },
    referralQueue: { send: async () => undefined },
    clock: { now: () => new Date('2026-11-28T10:00:01.000Z') },
  } as unknown as DecisionEffectsDeps;
  return { deps, marked };
};

describe('applyDecisionEffects when bookkeeping fails', () => {
  it('rethrows a single failure as it is, and marks nothing done', async () => {
    // Prepare
    const failure = new DependencyError('party history throttled');
    const { deps, marked } = depsFailing(failure, undefined);
    // Act
    const thrown = await applyDecisionEffects(deps, message, [aReleasedDecision()]).catch(
      (error: unknown) => error,
    );
    // Assess
    expect(thrown).toBe(failure);
    expect(marked).toEqual([]);
  });

  it('reports both failures in the one error it throws, retryable only when both are', async () => {
    // Prepare
    const history = new DependencyError('party history throttled');
    const statistics = new AppError('ITEM_TOO_LARGE', 'rule statistics item at its size limit');
    const { deps, marked } = depsFailing(history, statistics);
    // Act
    const thrown = await applyDecisionEffects(deps, message, [aReleasedDecision()]).catch(
      (error: unknown) => error,
    );
    // Assess
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'BOOKKEEPING_FAILED', retryable: false, cause: history });
    expect((thrown as AppError).message).toContain('DEPENDENCY_UNAVAILABLE: party history throttled');
    expect((thrown as AppError).message).toContain('ITEM_TOO_LARGE: rule statistics item at its size limit');
    expect((thrown as AppError).details).toMatchObject({ failures: [history, statistics] });
    expect(marked).toEqual([]);
  });

  it('keeps both failures retryable when each of them is', async () => {
    // Prepare
    const { deps } = depsFailing(new DependencyError('history'), new DependencyError('statistics'));
    // Act
    const thrown = await applyDecisionEffects(deps, message, [aReleasedDecision()]).catch(
      (error: unknown) => error,
    );
    // Assess
    expect(thrown).toMatchObject({ code: 'BOOKKEEPING_FAILED', retryable: true });
  });
});
