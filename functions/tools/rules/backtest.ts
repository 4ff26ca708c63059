import { DynamoDbPastParcels } from '../../adapters/dynamodb-past-parcels.js';
import { formatBacktest, startBacktest } from '../../core/backtest/backtest.js';
import { parseInstant } from '../../core/rules/index.js';
import { getDocumentClient, TOOL_REQUEST_HANDLER } from '../../platform/clients.js';
import { BacktestToolConfigSchema } from '../../platform/config.js';
import { toolConfigOrUsage } from '../tool-config.js';
import {
  DAY_MS,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  loadOrReport,
  out,
  ruleSetDirectory,
  UsageError,
} from './cli-shared.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A day (2026-11-01, UTC) or an instant, as the ISO text decisions are stamped with. A day given to
 * `--until` includes that day: the period ends at the start of the next.
 */
const instantOf = (text: string, option: 'since' | 'until'): string => {
  // Strictly: a date-time without offset would be read in the machine's zone, 2026-02-30 as 2 March.
  const ms = parseInstant(text);
  if (ms === undefined)
    throw new UsageError(
      `--${option} ${text} is not a day (YYYY-MM-DD, UTC) or an ISO time with an offset (2026-11-01T08:00:00Z)`,
    );
  return new Date(option === 'until' && DAY.test(text) ? ms + DAY_MS : ms).toISOString();
};

/** The period `--since` and `--until` name: by default the 30 days until now. */
const periodOf = (since: string | undefined, until: string | undefined): { from: string; to: string } => {
  const to = until === undefined ? new Date().toISOString() : instantOf(until, 'until');
  const from =
    since === undefined ? new Date(Date.parse(to) - 30 * DAY_MS).toISOString() : instantOf(since, 'since');
  if (from >= to) throw new UsageError(`--since ${from} is not before --until ${to}`);
  return { from, to };
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
  return { from, to, pages: past.decidedBetween(from, to) };
};

/** Screens the parcels decided in the period again with the candidate rule set, and compares. */
export const backtest = async (
  directory: string,
  since: string | undefined,
  until: string | undefined,
  usageHint: string,
): Promise<number> => {
  const ruleSet = ruleSetDirectory(directory, 'backtest');
  const config = toolConfigOrUsage(BacktestToolConfigSchema, usageHint);
  if (config === undefined) return EXIT_USAGE;
  const candidate = loadOrReport(ruleSet, config.PARTY_KEY_SALT);
  if (candidate === undefined) return EXIT_FAILED;
  const { from, to, pages } = decidedInPeriod(config, since, until);
  const run = startBacktest(candidate.policy);
  for await (const parcels of pages) for (const parcel of parcels) run.add(parcel);
  const report = run.finish();
  out(`parcels decided from ${from} until ${to}: ${report.parcels}`);
  for (const line of formatBacktest(report, candidate.policy)) out(line);
  return EXIT_OK;
};
