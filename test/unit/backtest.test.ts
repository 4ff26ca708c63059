import { describe, expect, it } from 'vitest';
import { type PastParcel, startBacktest } from '../../functions/core/backtest/backtest.js';
import type { Evaluation } from '../../functions/core/screening/decision.js';
import type { ScreeningFacts } from '../../functions/core/screening/facts.js';
import type { Lane } from '../../functions/core/screening/lane.js';

/** A candidate that decides by the parcel key the facts carry: lane and fired rules from a table. */
const candidateOf = (decisions: Record<string, [Lane, string[]]>) => ({
  id: 'candidate',
  version: 'sha256:new',
  ruleIds: ['origin', 'weight'],
  laneFloor: () => undefined,
  evaluate: (facts: ScreeningFacts): Evaluation => {
    const [lane, ruleIds] = decisions[(facts as unknown as { key: string }).key]!;
    return {
      ruleSetId: 'candidate',
      ruleSetVersion: 'sha256:new',
      score: 0,
      lane,
      firedRules: ruleIds.map((ruleId) => ({ ruleId, title: ruleId, score: 0, reason: '', values: {} })),
    };
  },
});

const past = (key: string, lane: Lane, fired: string[], outcome?: PastParcel['outcome']): PastParcel => ({
  parcelKey: key,
  decidedAt: `2026-11-0${key.length}T00:00:00.000Z`,
  ruleSetVersion: 'sha256:old',
  lane,
  firedRuleIds: fired,
  facts: { key } as unknown as ScreeningFacts,
  ...(outcome === undefined ? {} : { outcome }),
});

describe('startBacktest', () => {
  it('compares lanes, outcomes and rule hits of the recorded decisions and the candidate', () => {
    // Prepare
    const candidate = candidateOf({
      a: ['hold', ['origin', 'weight']],
      bb: ['release', []],
      ccc: ['review', ['weight']],
      dddd: ['review', ['origin']],
      eeeee: ['release', []],
    });
    const parcels = [
      past('a', 'hold', ['origin'], 'seized'),
      past('bb', 'review', ['origin', 'old-rule'], 'seized'),
      past('ccc', 'release', []),
      past('dddd', 'review', ['origin'], 'not-found'),
      past('eeeee', 'review', ['origin'], 'cleared'),
    ];

    // Act
    const backtest = startBacktest(candidate);
    for (const parcel of parcels) backtest.add(parcel);
    const report = backtest.finish();

    // Assess
    expect(report).toMatchObject({
      parcels: 5,
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-05T00:00:00.000Z',
      recordedVersions: { 'sha256:old': 5 },
      changed: 3,
      // not-found is no inspection: nothing was looked at
      inspected: 3,
      seized: 2,
      seizedFlagged: { recorded: 2, candidate: 1 },
      clearedFlagged: { recorded: 1, candidate: 0 },
      missedSeizures: [
        {
          parcelKey: 'bb',
          decidedAt: '2026-11-02T00:00:00.000Z',
          recordedLane: 'review',
          candidateLane: 'release',
        },
      ],
    });
    expect(report.lanes.review).toEqual({ release: 2, review: 1, hold: 0, 'do-not-load': 0 });
    expect(report.lanes.release).toEqual({ release: 0, review: 1, hold: 0, 'do-not-load': 0 });
    expect(report.rules).toEqual([
      { ruleId: 'origin', recordedHits: 4, candidateHits: 2, inspected: 1, seized: 1 },
      { ruleId: 'weight', recordedHits: 0, candidateHits: 2, inspected: 1, seized: 1 },
      { ruleId: 'old-rule', recordedHits: 1, candidateHits: 0, inspected: 0, seized: 0 },
    ]);
  });
});
