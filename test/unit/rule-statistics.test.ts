import { describe, expect, it } from 'vitest';
import { aggregateRuleStatistics } from '../../functions/core/statistics/rule-statistics.js';

describe('rule statistics', () => {
  it('sums counters per rule and computes precision and inspection rate', () => {
    // Act
    const statistics = aggregateRuleStatistics([
      { ruleId: 'wooden-goods', hits: 10, inspections: 4, seizures: 1 },
      { ruleId: 'wooden-goods', hits: 6, inspections: 4, seizures: 2 },
      { ruleId: 'cash-on-delivery', hits: 3, inspections: 0, seizures: 0 },
    ]);
    // Assess
    expect(statistics).toEqual([
      {
        ruleId: 'cash-on-delivery',
        hits: 3,
        inspections: 0,
        seizures: 0,
        precision: null,
        inspectionRate: 0,
      },
      {
        ruleId: 'wooden-goods',
        hits: 16,
        inspections: 8,
        seizures: 3,
        precision: 0.375,
        inspectionRate: 0.5,
      },
    ]);
  });
});
