import type { LoadedRuleSet } from '../../adapters/file-rule-set-source.js';
import { type BacktestReport, markRulesNotRecorded, startComparison } from '../../core/backtest/backtest.js';
import { BacktestToolConfigSchema, ShadowReportToolConfigSchema } from '../../platform/config.js';
import { toolConfigOrUsage } from '../tool-config.js';
import { decidedInPeriod, recordedRulesOf } from './backtest.js';
import { formatBacktest } from './backtest-report.js';
import {
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  loadOrReport,
  out,
  ruleSetDirectory,
  UsageError,
} from './cli-shared.js';

/** Said without `--rule-set`: the decisions record the rules that fired, never the ones that did not. */
const NEVER_FIRED_HINT = 'rules that never fired are listed with --rule-set <folder>';

const parcelsCount = (n: number): string => `${n} parcel${n === 1 ? '' : 's'}`;

/** The enabled rules of the shadow's folder that fired on none of the parcels its version decided, in its order. */
const neverFired = (report: BacktestReport, policy: { enabledRuleIds: readonly string[] }): string[] => {
  const fired = new Set(report.rules.filter((rule) => rule.candidateHits > 0).map((rule) => rule.ruleId));
  const never = policy.enabledRuleIds.filter((ruleId) => !fired.has(ruleId));
  const enabled = policy.enabledRuleIds.length;
  if (never.length === 0) return ['', `every enabled rule of the shadow fired (${enabled})`];
  return [
    '',
    `shadow rules that never fired (${never.length} of ${enabled} enabled):`,
    ...never.map((ruleId) => `  ${ruleId}`),
  ];
};

/**
 * Compares what the shadow rule set decided on the parcels of the period (recorded beside each decision,
 * never acted on) with what was decided, and what inspections found: one report per shadow version,
 * in the backtest's form. With `ruleSetPath`, the shadow's folder, the report of the version the folder
 * holds also lists its enabled rules that never fired, and every report shows `new` for a rule none of
 * the recorded versions had (where their rules are known, as in a backtest); a period no parcel of which
 * that version decided is a usage error (exit 2), naming the versions that did.
 */
export const shadow = async (
  since: string | undefined,
  until: string | undefined,
  ruleSetPath: string | undefined,
  usageHint: string,
): Promise<number> => {
  const directory = ruleSetPath === undefined ? undefined : ruleSetDirectory(ruleSetPath, '--rule-set');
  const config = toolConfigOrUsage(ShadowReportToolConfigSchema, usageHint);
  if (config === undefined) return EXIT_USAGE;
  let folder: LoadedRuleSet | undefined;
  let recordedRules: ((version: string) => readonly string[] | undefined) | undefined;
  if (directory !== undefined) {
    // Loaded as the deployment loaded the shadow, watchlists hashed with its salt: the version depends on it.
    const salted = toolConfigOrUsage(BacktestToolConfigSchema, usageHint);
    if (salted === undefined) return EXIT_USAGE;
    folder = loadOrReport(directory, salted.PARTY_KEY_SALT);
    if (folder === undefined) return EXIT_FAILED;
    // With the salt, the recorded versions' rules can be known, as a backtest knows them: a shadow rule
    // none of them had shows `new`, not a recorded 0 that reads as "never fired".
    recordedRules = recordedRulesOf(folder.policy, salted.PARTY_KEY_SALT);
  }
  const { from, to, read } = decidedInPeriod(config, since, until);
  const byVersion = new Map<string, { id: string; comparison: ReturnType<typeof startComparison> }>();
  let parcels = 0;
  let withoutShadow = 0;
  for await (const page of read()) {
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
  const reports = [...byVersion].map(([version, { id, comparison }]) => {
    const report = comparison.finish();
    return {
      version,
      id,
      report: recordedRules === undefined ? report : markRulesNotRecorded(report, recordedRules),
    };
  });
  // In the order the versions were deployed: by the first parcel each decided (every report has one).
  reports.sort((a, b) => (a.report.from! < b.report.from! ? -1 : 1));
  if (folder !== undefined && !byVersion.has(folder.policy.version)) {
    const decided = reports.map(({ version, report }) => `${version} (${parcelsCount(report.parcels)})`);
    throw new UsageError(
      `--rule-set ${ruleSetPath} is version ${folder.policy.version}, which decided no parcel from ${from} until ${to}: ${
        decided.length === 0
          ? 'no parcel of the period has a shadow decision'
          : `the shadow decided with ${decided.join(', ')}`
      }`,
    );
  }
  out(`parcels decided from ${from} until ${to}: ${parcels}, ${withoutShadow} without a shadow decision`);
  for (const { version, id, report } of reports) {
    report.rules.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    out('');
    const title = `shadow ${id} (${version})`;
    for (const line of formatBacktest(report, { id, label: '', version }, { title, side: 'shadow' }))
      out(line);
    if (version === folder?.policy.version) for (const line of neverFired(report, folder.policy)) out(line);
  }
  if (folder === undefined) out(`\n${NEVER_FIRED_HINT}`);
  return EXIT_OK;
};
