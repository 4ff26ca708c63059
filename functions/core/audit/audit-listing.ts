import { isDayText, parseInstant, periodBoundOf } from '../rules/index.js';
import { type AuditEntry, BROKEN_LINK, verifyChain } from './audit-chain.js';

/**
 * What an investigator reads of the audit log (`npm run audit -- show`): the entries a filter selects,
 * each held to its chain as verify holds it (its own hash, its link to the entry before it), so a listing
 * never passes off an altered entry as what happened.
 */

/** Which entries to list: every condition given must hold; none given lists every entry. */
export interface AuditEntryFilter {
  /** The chain: an inspection office, or `rules`. */
  chain?: string;
  /**
   * Chains, any of which an entry's may be: the inspection offices under a city or region named as
   * `--chain` (the tool reads the hierarchy), as a grant of that office covers them.
   */
  chains?: ReadonlySet<string>;
  /**
   * A parcel key as entries' targets carry it (`southwest-freight#SWF7781000123`), or a house document
   * number alone (`SWF7781000123`), which matches that parcel of every partner.
   */
  parcel?: string;
  /**
   * The staff member: their stable id, as entries record it in `actor` (the identity provider's subject),
   * or their user name, as entries record it in `actorName` (what the console and the token show).
   */
  actor?: string;
  /** Entries made at or after this instant (epoch milliseconds). */
  since?: number;
  /** Entries made before this instant (epoch milliseconds). */
  until?: number;
}

/** The filter as written on the command line: each value as given, not yet read. */
export interface WrittenAuditEntryFilter {
  chain?: string;
  parcel?: string;
  actor?: string;
  since?: string;
  until?: string;
}

export type AuditEntryFilterReading = { ok: true; filter: AuditEntryFilter } | { ok: false; problem: string };

/** The filter the options say, or the first of them that says nothing usable, named with its value. */
export const readAuditEntryFilter = (written: WrittenAuditEntryFilter): AuditEntryFilterReading => {
  const filter: AuditEntryFilter = {};
  for (const option of ['chain', 'parcel', 'actor'] as const) {
    const value = written[option];
    if (value === undefined) continue;
    if (value === '') return { ok: false, problem: `--${option} is empty: name the ${option}` };
    filter[option] = value;
  }
  for (const option of ['since', 'until'] as const) {
    const value = written[option];
    if (value === undefined) continue;
    const ms = periodBoundOf(value, option);
    if (ms === undefined)
      return {
        ok: false,
        problem: `--${option} ${value} is not an instant: a day (2026-11-01, UTC) or an ISO 8601 time with an offset (2026-11-01T08:00:00Z)`,
      };
    filter[option] = ms;
  }
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    const through = isDayText(written.until!) ? ' (through the end of that day)' : '';
    return {
      ok: false,
      problem: `--since ${written.since} is not before --until ${written.until}${through}`,
    };
  }
  return { ok: true, filter };
};

/** The house document number of a parcel key (`<partner>#<parcel id>`; a parcel id holds no `#`). */
const parcelIdOf = (target: string): string | undefined => {
  const at = target.lastIndexOf('#');
  return at < 0 ? undefined : target.slice(at + 1);
};

/** When an entry was made, or undefined when its `at` is no instant (only an altered entry has such). */
const madeAt = (entry: AuditEntry): number | undefined => parseInstant(entry.at);

/** Whether the entry is one the filter selects. An entry whose time is unreadable is in no period. */
export const selectsEntry = (filter: AuditEntryFilter, entry: AuditEntry): boolean => {
  if (filter.chain !== undefined && entry.chain !== filter.chain) return false;
  if (filter.chains !== undefined && !filter.chains.has(entry.chain)) return false;
  if (filter.actor !== undefined && entry.actor !== filter.actor && entry.actorName !== filter.actor)
    return false;
  if (filter.parcel !== undefined) {
    const { target } = entry;
    if (typeof target !== 'string') return false;
    if (target !== filter.parcel && parcelIdOf(target) !== filter.parcel) return false;
  }
  if (filter.since === undefined && filter.until === undefined) return true;
  const at = madeAt(entry);
  if (at === undefined) return false;
  return (
    (filter.since === undefined || at >= filter.since) && (filter.until === undefined || at < filter.until)
  );
};

/** An entry as listed: empty `problems` when its chain holds at it, else every break verify names there. */
export interface ListedAuditEntry {
  entry: AuditEntry;
  problems: string[];
}

export interface AuditListing {
  /** The entries selected, oldest first (then by chain and sequence number). */
  listed: ListedAuditEntry[];
  /** How many entries the log holds in all, selected or not. */
  read: number;
  /** How many of the listed entries their chain does not hold at. */
  altered: number;
  /**
   * Where the log breaks at entries the filter left out, in chain order: an entry moved off the
   * selection (its target changed) leaves the selection intact-looking, but not the log.
   */
  unlistedBreaks: { chain: string; seq: number }[];
}

/**
 * Oldest first (an unreadable time last), then by chain and sequence number: each entry's time is read
 * once, not at every comparison of the sort.
 */
const sortedByTime = (listed: readonly ListedAuditEntry[]): ListedAuditEntry[] =>
  listed
    .map((item) => ({ item, at: madeAt(item.entry) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => {
      if (a.at !== b.at) return a.at < b.at ? -1 : 1;
      const [entryA, entryB] = [a.item.entry, b.item.entry];
      if (entryA.chain !== entryB.chain) return entryA.chain < entryB.chain ? -1 : 1;
      return Number(entryA.seq) - Number(entryB.seq) || 0;
    })
    .map(({ item }) => item);

/**
 * The entries of the log (every chain with every entry, as AuditLog.readAll gives it) the filter selects,
 * each with the breaks verifyChain finds at it in its whole chain: an entry that does not hash as written,
 * whose link is not the stored hash of the entry before it, or that follows a gap; and an entry the next
 * one does not link to, which may have been rewritten and rehashed (verifyChain reports the link on the
 * later entry). Every chain is verified, selected or not: breaks at entries left out are counted in
 * `unlistedBreaks`, so a listing never looks intact where the log is not. Anchors are not read: a chain
 * rewritten and rehashed throughout lists as intact here, and only `npm run audit -- verify` shows it.
 */
export const listAuditEntries = (
  chains: ReadonlyMap<string, readonly AuditEntry[]>,
  filter: AuditEntryFilter,
): AuditListing => {
  const listed: ListedAuditEntry[] = [];
  const unlistedBreaks: AuditListing['unlistedBreaks'] = [];
  let read = 0;
  for (const [chain, entries] of chains) {
    read += entries.length;
    const verdict = verifyChain(chain, entries);
    // Keyed by seq as a number, as verifyChain names breaks (a Map finds NaN as NaN: a seq no append writes).
    const breaks = new Map<number, string[]>();
    const add = (seq: number, problem: string) => breaks.set(seq, [...(breaks.get(seq) ?? []), problem]);
    if (!verdict.ok)
      for (const { seq, problem } of verdict.breaks) {
        add(seq, problem);
        if (problem === BROKEN_LINK)
          add(seq - 1, `entry ${seq} does not link to it: it may have been rewritten and rehashed`);
      }
    for (const entry of entries) {
      const problems = breaks.get(Number(entry.seq)) ?? [];
      if (selectsEntry(filter, entry)) listed.push({ entry, problems });
      else if (problems.length > 0) unlistedBreaks.push({ chain, seq: Number(entry.seq) });
    }
  }
  return {
    listed: sortedByTime(listed),
    read,
    altered: listed.filter((entry) => entry.problems.length > 0).length,
    unlistedBreaks,
  };
};
