import type { RuleSetStatistic } from '../../functions/core/statistics/rule-statistics.js';

/** The row of a deployed rule nothing was counted for: zero counters, null ratios. */
export const uncountedRow = (ruleId: string, title: unknown, enabled = true): RuleSetStatistic =>
  ({
    ruleId,
    hits: 0,
    inspections: 0,
    seizures: 0,
    precision: null,
    inspectionRate: null,
    inRuleSet: true,
    title,
    enabled,
  }) as RuleSetStatistic;

/** The row of a counted rule id the deployed rule set no longer has, with hits and nothing inspected. */
export const retiredRow = (ruleId: string, hits: number): RuleSetStatistic => ({
  ruleId,
  hits,
  inspections: 0,
  seizures: 0,
  precision: null,
  inspectionRate: 0,
  inRuleSet: false,
  title: null,
  enabled: null,
});
