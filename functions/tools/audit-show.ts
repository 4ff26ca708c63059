import type { parseArgs } from 'node:util';
import {
  type AuditEntryFilter,
  type AuditListing,
  type ListedAuditEntry,
  readAuditEntryFilter,
} from '../core/audit/audit-listing.js';
import { parseToolArgs } from './arguments.js';
import { jsonLine, shown } from './terminal-text.js';

/** `npm run audit -- show`: its options, read; the listing's lines, written (audit-cli.ts wires them). */

export const SHOW_OPTIONS =
  'show [--chain <office|city|region|rules|operations>] [--parcel <parcel id|key>] [--actor <staff id|user name>] [--since <instant>] [--until <instant>] [--json]';

export interface ShowCommand {
  filter: AuditEntryFilter;
  json: boolean;
}

const FILTER_OPTIONS = ['chain', 'parcel', 'actor', 'since', 'until'] as const;

const OPTIONS = {
  chain: { type: 'string' },
  parcel: { type: 'string' },
  actor: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/**
 * The options of `show`, or an Error naming the one that is wrong (the caller exits 2). Each option is
 * given once: a second `--parcel` read as the only one would list another parcel's entries unsaid.
 */
export const parseShowCommand = (args: readonly string[]): ShowCommand | Error => {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseToolArgs({
      args: [...args],
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return new Error((error as Error).message);
  }
  const written: Partial<Record<(typeof FILTER_OPTIONS)[number], string>> = {};
  for (const name of FILTER_OPTIONS) if (values[name] !== undefined) written[name] = values[name];
  const reading = readAuditEntryFilter(written);
  return reading.ok ? { filter: reading.filter, json: values.json === true } : new Error(reading.problem);
};

/** A stored value as text: strings as they are, anything else (an altered entry's) as JSON. */
const textOf = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));

/** A state before or after the action, as JSON. */
const stateOf = (value: unknown): string => JSON.stringify(value) ?? '-';

/**
 * One entry on one line, every stored part escaped (`shown`): `ok` or `ALTERED`, seq, time, chain,
 * actor (name, role), action, target, state before → after, request id, and for an altered entry what
 * its chain shows at it.
 */
export const entryLine = ({ entry, problems }: ListedAuditEntry): string => {
  const line = [
    `#${textOf(entry.seq)}`,
    textOf(entry.at),
    textOf(entry.chain),
    `${textOf(entry.actor)} (${textOf(entry.actorName)}, ${textOf(entry.role)})`,
    textOf(entry.action),
    textOf(entry.target),
    `${stateOf(entry.before)} → ${stateOf(entry.after)}`,
    `request ${textOf(entry.requestId)}`,
  ].join(' ');
  return problems.length === 0
    ? `ok       ${shown(line)}`
    : `ALTERED  ${shown(`${line} (${problems.join('; ')})`)}`;
};

/**
 * One entry as one line of JSON, for jq: the entry as stored, then `altered`, and for an altered entry
 * its `problems` (after the stored fields, so an altered entry cannot name itself intact).
 */
export const entryJsonLine = ({ entry, problems }: ListedAuditEntry): string =>
  jsonLine({ ...entry, altered: problems.length > 0, ...(problems.length > 0 ? { problems } : {}) });

/** Why a listing can come out empty when something was done: every filter matches exactly. */
const NOTHING_MATCHED =
  '(filters match exactly, case included: a chain is an office id such as wuzhou-customs, rules or operations; a parcel its house document number or <partner>#<number>; an actor a staff id or user name; a day is a UTC day, so give an offset for a local one: --since 2026-11-30T00:00:00+08:00)';

/** The listing's last line: how many entries matched, how many of them their chain does not hold at, and where else the log breaks. */
export const listingFooter = ({ listed, read, altered, unlistedBreaks }: AuditListing): string => {
  const matched = `${listed.length} of ${read} entries matched`;
  if (altered > 0 || unlistedBreaks.length > 0) {
    const elsewhere =
      unlistedBreaks.length === 0
        ? ''
        : `; the log also breaks at ${unlistedBreaks.length} entr${unlistedBreaks.length === 1 ? 'y' : 'ies'} the filters left out (${unlistedBreaks
            .slice(0, FOOTER_BREAKS)
            .map(({ chain, seq }) => `${chain} #${seq}`)
            .join(
              ', ',
            )}${unlistedBreaks.length > FOOTER_BREAKS ? ', …' : ''}), so what is listed may not be all there was`;
    return `audit show FAILED: ${matched}, ${altered} ALTERED${elsewhere} (npm run audit -- verify names every break)`;
  }
  if (listed.length === 0) return `audit show: ${matched} ${NOTHING_MATCHED}`;
  return `audit show: ${matched}, each intact in its chain (npm run audit -- verify also holds the chains to their anchors)`;
};

/** Breaks outside the selection the footer names; the rest are counted. */
const FOOTER_BREAKS = 5;
