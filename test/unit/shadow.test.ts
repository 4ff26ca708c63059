import { describe, expect, it } from 'vitest';
import type { Evaluation, ScreeningPolicy } from '../../functions/core/screening/decision.js';
import type { ScreeningFacts } from '../../functions/core/screening/facts.js';
import { evaluateInShadow } from '../../functions/core/screening/shadow.js';

const policyOf = (
  evaluate: () => Evaluation,
  tallyMarks: ScreeningPolicy['tallyMarks'] = () => [],
): ScreeningPolicy => ({
  id: 'candidate',
  version: 'sha256:candidate',
  evaluate,
  tallies: [],
  tallyMarks,
  laneFloor: () => undefined,
});

const released = (): Evaluation => ({
  ruleSetId: 'candidate',
  ruleSetVersion: 'sha256:candidate',
  score: 0,
  lane: 'release',
  firedRules: [],
});

describe('evaluateInShadow', () => {
  it('keeps what the shadow decided and which rules fired, without reasons or values', () => {
    // Prepare
    const shadow = policyOf(() => ({
      ruleSetId: 'candidate',
      ruleSetVersion: 'sha256:candidate',
      score: 35,
      lane: 'review',
      firedRules: [
        { ruleId: 'cash-payment', title: 'Cash', score: 10, reason: 'paid by cash', values: { x: 1 } },
        { ruleId: 'shared-seizures', title: 'Shared', score: 25, reason: 'seized elsewhere', values: {} },
      ],
    }));

    // Act
    const result = evaluateInShadow(shadow, {} as ScreeningFacts);

    // Assess
    expect(result).toEqual({
      shadow: {
        ruleSetId: 'candidate',
        ruleSetVersion: 'sha256:candidate',
        score: 35,
        lane: 'review',
        firedRuleIds: ['cash-payment', 'shared-seizures'],
      },
      tallyMarks: [],
    });
  });

  it("keeps the marks the parcel makes on the shadow's tallies", () => {
    // Prepare
    const shadow = policyOf(released, () => [
      { counter: '0123456789abcdef' },
      { counter: 'fedcba9876543210', value: 'ph_x' },
    ]);

    // Act
    const result = evaluateInShadow(shadow, {} as ScreeningFacts);

    // Assess
    expect(result).toMatchObject({
      tallyMarks: [{ counter: '0123456789abcdef' }, { counter: 'fedcba9876543210', value: 'ph_x' }],
    });
  });

  it('turns a shadow whose tally marks fail on a parcel into its failure, not a thrown error', () => {
    // Prepare
    const shadow = policyOf(released, () => {
      throw new Error('a tally the engine could not evaluate');
    });

    // Act
    const result = evaluateInShadow(shadow, {} as ScreeningFacts);

    // Assess
    expect(result).toEqual({ failure: 'a tally the engine could not evaluate' });
  });

  it('keeps what a shadow threw that is no Error as its failure', () => {
    // Prepare
    const broken = policyOf(() => {
      throw 'rule engine gave up';
    });

    // Act
    const result = evaluateInShadow(broken, {} as ScreeningFacts);

    // Assess
    expect(result).toEqual({ failure: 'rule engine gave up' });
  });

  it("turns a shadow that fails on a parcel into that parcel's missing comparison, not a thrown error", () => {
    // Prepare
    const broken = policyOf(() => {
      throw new RangeError('a rule the engine could not evaluate');
    });

    // Act
    const result = evaluateInShadow(broken, {} as ScreeningFacts);

    // Assess
    expect(result).toEqual({ failure: 'a rule the engine could not evaluate' });
  });
});
