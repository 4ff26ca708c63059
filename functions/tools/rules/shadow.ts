import { formatBacktest, startComparison } from '../../core/backtest/backtest.js';
import { ShadowReportToolConfigSchema } from '../../platform/config.js';
import { toolConfigOrUsage } from '../tool-config.js';
import { decidedInPeriod } from './backtest.js';
import { EXIT_OK, EXIT_USAGE, out } from './cli-shared.js';

/**
 * Compares what the shadow rule set decided on the parcels of the period (recorded beside each decision,
 * never acted on) with what was decided, and what inspections found: one report per shadow version,
 * in the backtest's form.
 */
export const shadow = async (
  since: string | undefined,
  until: string | undefined,
  usageHint: string,
): Promise<number> => {
  const config = toolConfigOrUsage(ShadowReportToolConfigSchema, usageHint);
  if (config === undefined) return EXIT_USAGE;
  const { from, to, pages } = decidedInPeriod(config, since, until);
  const byVersion = new Map<string, { id: string; comparison: ReturnType<typeof startComparison> }>();
  let parcels = 0;
  let withoutShadow = 0;
  for await (const page of pages) {
    for (const parcel of page) {
      parcels += 1;
      if (parcel.shadow === undefined) {
        withoutShadow += 1;
        continue;
      }
      const { ruleSetId, ruleSetVersion, lane, firedRuleIds } = parcel.shadow;
      let version = byVersion.get(ruleSetVersion);
      if (version === undefined) {
        version = { id: ruleSetId, comparison: startComparison([]) };
        byVersion.set(ruleSetVersion, version);
      }
      version.comparison.add(parcel, { lane, firedRules: firedRuleIds.map((ruleId) => ({ ruleId })) });
    }
  }
  out(`parcels decided from ${from} until ${to}: ${parcels}, ${withoutShadow} without a shadow decision`);
  const reports = [...byVersion].map(([version, { id, comparison }]) => ({
    version,
    id,
    report: comparison.finish(),
  }));
  // In the order the versions were deployed: by the first parcel each decided (every report has one).
  reports.sort((a, b) => (a.report.from! < b.report.from! ? -1 : 1));
  for (const { version, id, report } of reports) {
    report.rules.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    out('');
    for (const line of formatBacktest(report, { id, label: '', version }, `shadow ${id} (${version})`))
      out(line);
  }
  return EXIT_OK;
};
