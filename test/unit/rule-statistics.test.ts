import { describe, expect, it } from 'vitest';
import type { RuleOutline } from '../../functions/core/rules/index.js';
import { CONTROL_SAMPLE_COUNTER } from '../../functions/core/screening/control-sample.js';
import {
  aggregateRuleStatistics,
  type RuleCounters,
  ruleSetStatistics,
} from '../../functions/core/statistics/rule-statistics.js';
import { uncountedRow } from '../support/rule-statistics.js';

const deployedRule = (id: string, extra: Partial<RuleOutline> = {}): RuleOutline => ({
  id,
  title: `Title of ${id}`,
  enabled: true,
  ...extra,
});

const counted = (ruleId: string, hits: number, inspections = 0, seizures = 0): RuleCounters => ({
  ruleId,
  hits,
  inspections,
  seizures,
});

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

describe('rule statistics against the deployed rule set', () => {
  it('lists a deployed rule that was never counted with zero counters and null ratios', () => {
    // Act
    const statistics = ruleSetStatistics([deployedRule('never-fires')], []);
    // Assess
    expect(statistics).toEqual([uncountedRow('never-fires', 'Title of never-fires')]);
  });

  it('lists a counted rule id the deployed rule set no longer has as not in the rule set, its counts kept', () => {
    // Act
    const statistics = ruleSetStatistics(
      [deployedRule('current')],
      [counted('renamed-away', 5, 2, 1), counted('renamed-away', 1), counted('current', 4, 2, 0)],
    );
    // Assess
    expect(statistics).toEqual([
      {
        ruleId: 'current',
        hits: 4,
        inspections: 2,
        seizures: 0,
        precision: 0,
        inspectionRate: 0.5,
        inRuleSet: true,
        title: 'Title of current',
        enabled: true,
      },
      {
        ruleId: 'renamed-away',
        hits: 6,
        inspections: 2,
        seizures: 1,
        precision: 0.5,
        inspectionRate: 0.3333,
        inRuleSet: false,
        title: null,
        enabled: null,
      },
    ]);
  });

  it.each([
    { when: 'counted', counters: [counted('switched-off', 3, 1, 1)], hits: 3 },
    { when: 'not counted', counters: [], hits: 0 },
  ])('shows a disabled rule as in the rule set and not enabled, $when', ({ counters, hits }) => {
    // Act
    const [statistic] = ruleSetStatistics([deployedRule('switched-off', { enabled: false })], counters);
    // Assess
    expect(statistic).toMatchObject({ ruleId: 'switched-off', hits, inRuleSet: true, enabled: false });
  });

  it('sorts deployed, retired and control-sample rows together by id, whatever the rule set order', () => {
    // Prepare: the rule set's order is not the id order
    const rules = [
      deployedRule('weight-far-above-goods'),
      deployedRule('cash-payment'),
      deployedRule('new-consignee'),
    ];
    // Act
    const statistics = ruleSetStatistics(rules, [
      counted('origin-old', 2),
      counted('weight-far-above-goods', 1),
      counted(CONTROL_SAMPLE_COUNTER, 7, 1, 0),
    ]);
    // Assess
    expect(statistics.map(({ ruleId, inRuleSet }) => [ruleId, inRuleSet])).toEqual([
      [CONTROL_SAMPLE_COUNTER, false],
      ['cash-payment', true],
      ['new-consignee', true],
      ['origin-old', false],
      ['weight-far-above-goods', true],
    ]);
    expect(statistics.find((row) => row.ruleId === CONTROL_SAMPLE_COUNTER)).toMatchObject({
      hits: 7,
      title: null,
      enabled: null,
    });
  });

  it('keeps every row of the counters alone, with the same counts and ratios', () => {
    // Prepare
    const counters = [counted('a-rule', 3, 2, 1), counted('b-rule', 1), counted('a-rule', 1)];
    // Act
    const statistics = ruleSetStatistics([deployedRule('a-rule'), deployedRule('c-rule')], counters);
    // Assess: only fields are added, and rows for deployed rules not counted
    expect(
      statistics.map(({ ruleId, hits, inspections, seizures, precision, inspectionRate }) => ({
        ruleId,
        hits,
        inspections,
        seizures,
        precision,
        inspectionRate,
      })),
    ).toEqual([
      ...aggregateRuleStatistics(counters),
      { ruleId: 'c-rule', hits: 0, inspections: 0, seizures: 0, precision: null, inspectionRate: null },
    ]);
  });

  it('lists a rule id the rule set names twice once, as its first rule', () => {
    // Act
    const statistics = ruleSetStatistics(
      [deployedRule('twice', { title: 'First' }), deployedRule('twice', { title: 'Second', enabled: false })],
      [counted('twice', 1)],
    );
    // Assess
    expect(statistics).toEqual([
      expect.objectContaining({ ruleId: 'twice', hits: 1, title: 'First', enabled: true }),
    ]);
  });
});
