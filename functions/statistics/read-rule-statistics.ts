import {
  aggregateRuleStatistics,
  type DayRange,
  type RuleStatistic,
} from '../core/statistics/rule-statistics.js';
import type { RuleStatistics } from '../ports/rule-statistics.js';

/**
 * GET /v1/rules/statistics: per rule, hits, inspections, seizures and precision in a region, over the
 * days of decision asked for (UTC, both inclusive; either open).
 */
export const makeReadRuleStatistics =
  (statistics: RuleStatistics) =>
  async (
    region: string,
    days: DayRange = {},
  ): Promise<{ region: string; since: string | null; until: string | null; rules: RuleStatistic[] }> => ({
    region,
    since: days.since ?? null,
    until: days.until ?? null,
    rules: aggregateRuleStatistics(await statistics.read(region, days)),
  });
