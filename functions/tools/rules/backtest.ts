import { DynamoDbPastParcels } from '../../adapters/dynamodb-past-parcels.js';
import { findRuleSetDirectories, loadRuleSet } from '../../adapters/file-rule-set-source.js';
import { markRulesNotRecorded, startBacktest } from '../../core/backtest/backtest.js';
import { SALT_CHECKED_PARCELS, startSaltCheck } from '../../core/backtest/party-key-salt-check.js';
import { isDayText, periodBoundOf, RuleSetError } from '../../core/rules/index.js';
import { getDocumentClient, TOOL_REQUEST_HANDLER } from '../../platform/clients.js';
import { BacktestToolConfigSchema } from '../../platform/config.js';
import { toolConfigOrUsage } from '../tool-config.js';
import { repositoryPath } from '../user-directory.js';
import { formatBacktest } from './backtest-report.js';
import {
  DAY_MS,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  err,
  loadOrReport,
  out,
  type RuleSetRead,
  ruleSetDirectory,
  UsageError,
} from './cli-shared.js';

/** A day (2026-11-01, UTC) or an instant, in epoch milliseconds (periodBoundOf); refused as usage otherwise. */
const instantOf = (text: string, option: 'since' | 'until'): number => {
  // Strictly: a date-time without offset would be read in the machine's zone, 2026-02-30 as 2 March.
  const ms = periodBoundOf(text, option);
  if (ms === undefined)
    throw new UsageError(
      `--${option} ${text} is not a day (YYYY-MM-DD, UTC) or an ISO time with an offset (2026-11-01T08:00:00Z)`,
    );
  return ms;
};

/**
 * The period `--since` and `--until` name: by default the 30 days until now (or until `--until`, if
 * earlier). No parcel was decided after now, so a start after now is refused, and a later end is read as
 * now and a day (slack for the clocks decisions are stamped by):
 * `--until 9999-12-31` queries no future month, and no end past year 9999, whose ISO text (`+010000-…`)
 * would sort before the decisions' own.
 */
const periodOf = (since: string | undefined, until: string | undefined): { from: string; to: string } => {
  const now = Date.now();
  const end = until === undefined ? now : instantOf(until, 'until');
  const to = Math.min(end, now + DAY_MS);
  const from = since === undefined ? Math.min(end, now) - 30 * DAY_MS : instantOf(since, 'since');
  if (from >= end) {
    // As written: the instants computed from it (a day's end is the next day's start) were never typed.
    const written =
      until === undefined
        ? `now (${new Date(end).toISOString()})`
        : `--until ${until}${isDayText(until) ? ' (through the end of that day)' : ''}`;
    throw new UsageError(`--since ${since} is not before ${written}`);
  }
  if (from > now) {
    throw new UsageError(`--since ${since} is in the future: no parcel has been decided since then`);
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
};

/** The parcels decided in the period `--since` and `--until` name, page by page, from the deployment's tables. */
export const decidedInPeriod = (
  config: { DECISIONS_TABLE: string; REVIEW_QUEUE_TABLE: string },
  since: string | undefined,
  until: string | undefined,
) => {
  const { from, to } = periodOf(since, until);
  const past = new DynamoDbPastParcels(
    getDocumentClient(TOOL_REQUEST_HANDLER),
    config.DECISIONS_TABLE,
    config.REVIEW_QUEUE_TABLE,
  );
  // A reading of the period each call: a candidate whose tallies are recounted reads it twice (startBacktest).
  return { from, to, read: () => past.decidedBetween(from, to) };
};

/**
 * The report's first words: the candidate's id, the directory it was read from (a copy of rules/default
 * keeps its id: only the directory and the hash tell them apart), its label and version.
 */
export const backtestTitle = (
  candidate: { id: string; label: string; version: string },
  given: RuleSetRead,
  directory = given.path,
): string =>
  `backtest of ${candidate.id} (read from ${directory}${given.isDefault ? ', the default' : ''}) ${candidate.label} (${candidate.version})`;

/**
 * The rules a recorded rule set version could fire (its enabled ones: a rule disabled then is `new` when
 * a candidate enables it, not a rule that never fired), where they can be known: a decision records its
 * version (a hash of the rule set with its lists), not its rules. Known for the candidate's own version, and for
 * the version of a rule set under the repository's rules/ read with the same salt (the same version is
 * the same content: a copy of rules/default backtested against what rules/default decided); undefined
 * for any other, such as a rule set deployed with lists from the table.
 */
export const recordedRulesOf = (
  candidate: { version: string; enabledRuleIds: readonly string[] },
  partyKeySalt: string,
): ((version: string) => readonly string[] | undefined) => {
  let known: Map<string, readonly string[]> | undefined;
  return (version) => {
    if (version === candidate.version) return candidate.enabledRuleIds;
    if (known === undefined) {
      known = new Map();
      for (const directory of findRuleSetDirectories(repositoryPath('rules'))) {
        try {
          const { policy } = loadRuleSet(directory, partyKeySalt);
          known.set(policy.version, policy.enabledRuleIds);
        } catch (error) {
          // One that does not load decided nothing in its present form: its version stays unknown.
          if (!(error instanceof RuleSetError)) throw error;
        }
      }
    }
    return known.get(version);
  };
};

/** Screens the parcels decided in the period again with the candidate rule set, and compares. */
export const backtest = async (
  given: RuleSetRead,
  since: string | undefined,
  until: string | undefined,
  usageHint: string,
): Promise<number> => {
  const ruleSet = ruleSetDirectory(given.path, 'backtest');
  const config = toolConfigOrUsage(BacktestToolConfigSchema, usageHint);
  if (config === undefined) return EXIT_USAGE;
  const candidate = loadOrReport(ruleSet, config.PARTY_KEY_SALT);
  if (candidate === undefined) return EXIT_FAILED;
  const { from, to, read } = decidedInPeriod(config, since, until);
  const run = startBacktest(candidate.policy);
  const saltCheck = startSaltCheck(config.PARTY_KEY_SALT);
  // A candidate whose enabled rules read a tally (`recounts`) marks every parcel of the period on this
  // first reading and screens them on a second (startBacktest); a parcel decided between the two is
  // screened too, its own marks uncounted, and one whose decision expires between them is marked (the
  // parcels after it count it), not screened.
  for await (const parcels of read()) {
    for (const parcel of parcels) {
      saltCheck.add(parcel);
      if (run.recounts) run.mark(parcel);
      else run.add(parcel);
    }
    if (saltCheck.complete && saltCheck.wrongSalt) break;
  }
  if (saltCheck.wrongSalt) {
    err(
      `PARTY_KEY_SALT is not the one the recorded parcels were keyed with: the phone keys it derives from the first parcels (up to ${SALT_CHECKED_PARCELS}) match none recorded, so no watchlist could match; set the deployment's salt\n${usageHint}`,
    );
    return EXIT_USAGE;
  }
  if (run.recounts) for await (const parcels of read()) for (const parcel of parcels) run.add(parcel);
  const report = markRulesNotRecorded(run.finish(), recordedRulesOf(candidate.policy, config.PARTY_KEY_SALT));
  out(`parcels decided from ${from} until ${to}: ${report.parcels}`);
  const title = backtestTitle(candidate.policy, given, ruleSet);
  for (const line of formatBacktest(report, candidate.policy, { title })) out(line);
  return EXIT_OK;
};
