import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { RandomControlSampler } from '../../functions/adapters/random-control-sampler.js';
import { KebabIdSchema } from '../../functions/core/rules/rule-set-schema.js';
import {
  asControlSample,
  CONTROL_SAMPLE_COUNTER,
  countersOf,
  isFlaggedByRules,
  outcomeCountersOf,
  queueScoreOf,
  rulesLaneOf,
} from '../../functions/core/screening/control-sample.js';
import type { Evaluation } from '../../functions/core/screening/decision.js';

const released: Evaluation = {
  ruleSetId: 'default',
  ruleSetVersion: 'sha256:0',
  score: 10,
  lane: 'release',
  firedRules: [
    {
      ruleId: 'new-consignee',
      title: 'New',
      score: 10,
      reason: 'consignee has no shipping history',
      values: {},
    },
  ],
};

describe('control samples', () => {
  it("hold a released parcel with the rules' score and reasons as they were", () => {
    // Act
    const sampled = asControlSample(released);
    // Assess
    expect(sampled).toEqual({ ...released, lane: 'hold', controlSample: true });
  });

  it('count as released for the rules, not as a flag of the parties, and in a counter of their own', () => {
    // Prepare
    const sampled = asControlSample(released);
    const held = { ...released, lane: 'hold' as const };
    // Act / Assess
    expect([rulesLaneOf(sampled), rulesLaneOf(held), rulesLaneOf(released)]).toEqual([
      'release',
      'hold',
      'release',
    ]);
    expect([isFlaggedByRules(sampled), isFlaggedByRules(held), isFlaggedByRules(released)]).toEqual([
      false,
      true,
      false,
    ]);
    expect(countersOf(sampled)).toEqual(['new-consignee', CONTROL_SAMPLE_COUNTER]);
    expect(countersOf(held)).toEqual(['new-consignee']);
    expect(KebabIdSchema.safeParse(CONTROL_SAMPLE_COUNTER).success).toBe(false);
  });

  it("count a sample's outcome only as a control sample's: a rule's precision is of the parcels it flagged", () => {
    // Prepare
    const sampled = asControlSample(released);
    const held = { ...released, lane: 'hold' as const };
    // Act / Assess
    expect(outcomeCountersOf(sampled)).toEqual([CONTROL_SAMPLE_COUNTER]);
    expect(outcomeCountersOf(held)).toEqual(['new-consignee']);
  });

  it('queue a sample at the score the rule set first holds at, or its own when higher', () => {
    // Prepare
    const policy = loadRuleSetFromDirectory(resolve(import.meta.dirname, '../../rules/default'));
    const holdFloor = policy.laneFloor('hold');
    // Act / Assess
    expect(holdFloor).toBe(60);
    expect(policy.laneFloor('do-not-load')).toBe(200);
    expect(queueScoreOf(asControlSample(released), holdFloor)).toBe(60);
    expect(queueScoreOf(asControlSample({ ...released, score: 75 }), holdFloor)).toBe(75);
    expect(queueScoreOf(released, holdFloor)).toBe(10);
    expect(queueScoreOf(asControlSample({ ...released, score: -5 }), undefined)).toBe(-5);
    expect(queueScoreOf(asControlSample(released), undefined)).toBe(10);
  });

  it.each([
    [0, 0, 0],
    [1_000, 20_000, 20_000],
    [100, 1_700, 2_300], // 10 % of 20,000 draws, seven standard deviations either side
  ])('pick %i per thousand: between %i and %i of 20,000 parcels', (perMille, low, high) => {
    // Prepare
    const sampler = new RandomControlSampler(perMille);
    // Act
    let picked = 0;
    for (let i = 0; i < 20_000; i++) if (sampler.pick()) picked++;
    // Assess
    expect(picked).toBeGreaterThanOrEqual(low);
    expect(picked).toBeLessThanOrEqual(high);
  });
});
