import { aggregateRuleStatistics, type RuleStatistic } from '../core/statistics/rule-statistics.js';
import type { RuleStatistics } from '../ports/rule-statistics.js';

/** GET /v1/rules/statistics: per rule, hits, inspections, seizures and precision in a region, since a day if given. */
export const makeReadRuleStatistics =
  (statistics: RuleStatistics) =>
  async (
    region: string,
    sinceDay?: string,
  ): Promise<{ region: string; since: string | null; rules: RuleStatistic[] }> => ({
    region,
    since: sinceDay ?? null,
    rules: aggregateRuleStatistics(await statistics.read(region, sinceDay)),
  });
