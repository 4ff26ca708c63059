import { aggregateRuleStatistics, type RuleStatistic } from '../core/statistics/rule-statistics.js';
import type { RuleStatistics } from '../ports/rule-statistics.js';

/** GET /v1/rules/statistics: per rule, hits, inspections, seizures and precision, since a day if given. */
export const makeReadRuleStatistics =
  (statistics: RuleStatistics) =>
  async (sinceDay?: string): Promise<{ since: string | null; rules: RuleStatistic[] }> => ({
    since: sinceDay ?? null,
    rules: aggregateRuleStatistics(await statistics.read(sinceDay)),
  });
