import type { RuleSetOutline } from '../core/rules/index.js';
import {
  type DayRange,
  type RuleSetStatistic,
  ruleSetStatistics,
} from '../core/statistics/rule-statistics.js';
import type { RuleStatistics } from '../ports/rule-statistics.js';

/** What GET /v1/rules/statistics answers. */
export interface RuleStatisticsAnswer {
  region: string;
  since: string | null;
  until: string | null;
  /** The deployed rule set the rules are read against: its id and human label. */
  ruleSetId: string;
  label: string;
  rules: RuleSetStatistic[];
}

/**
 * GET /v1/rules/statistics: per rule, hits, inspections, seizures and precision in a region, over the
 * days of decision asked for (UTC, both inclusive; either open), for every rule of the deployed rule set
 * (`deployed`) and every counted rule id it no longer has.
 */
export const makeReadRuleStatistics =
  (statistics: RuleStatistics, deployed: RuleSetOutline) =>
  async (region: string, days: DayRange = {}): Promise<RuleStatisticsAnswer> => ({
    region,
    since: days.since ?? null,
    until: days.until ?? null,
    ruleSetId: deployed.ruleSetId,
    label: deployed.label,
    rules: ruleSetStatistics(deployed.rules, await statistics.read(region, days)),
  });
