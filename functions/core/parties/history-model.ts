import { isInspection } from '../review/outcome.js';
import { addDecimal } from '../rules/numeric.js';
import {
  emptyPartySummary,
  type HistoryFacts,
  type HistoryParty,
  type PartySummary,
} from '../screening/facts.js';
import { type TallyMark, type TallyWindow, windowKey } from '../screening/tallies.js';
import { bareAdministrativeName } from './address.js';
import { COUNTERPART_KIND, counterpartOnParcel } from './counterpart-kind.js';
import { dayOf, HISTORY_WINDOW_DAYS, inHistoryWindow } from './history-days.js';
import { correctedOutcomeLog, parseOutcomeEntry } from './outcome-log.js';
import type { PartyKeys } from './party-keys.js';
import { kindOfKey, type PartyKeyKind } from './party-keys.js';
import {
  countCounterpartsAcrossRegions,
  countSharedSeizures,
  type SharedCounterparts,
  type SharedSeizures,
} from './shared-history.js';
import {
  possibleSharingPartners,
  SHARED_INDICATOR_KINDS,
  type SharedIndicatorKind,
  type SharingAgreements,
} from './sharing.js';
import { foldText, hasHan } from './text.js';

/**
 * The history model both stores keep, and the pure arithmetic over it. A store keeps, per region and
 * party key, one profile (lifetime: first and last seen, active days, outcomes) and one bucket per day
 * the party was seen (that day's parcels, counts, linked keys and origins). Summaries are computed here
 * from a profile and the buckets of the 90 days up to `now`, so the in-memory fake and DynamoDB agree
 * by construction and the contract suite checks only what each store keeps.
 *
 * Windows are UTC calendar days, today included: `parcels7d` counts the parcels of day(now) and the
 * six days before it. Days after day(now), first-seen times after `now`, and outcomes after `now` are
 * ignored, so a summary asked for a past `now` does not see the future. A rule set's tallies
 * (core/screening/tallies.ts) are kept in the same buckets, marked by the parcels they count, and
 * summed over their own windows (at most the 90 days a store keeps) the same way.
 */

export interface PartyProfile {
  firstSeen?: string;
  lastSeen?: string;
  /** Every day (YYYY-MM-DD) the party was seen on. */
  days: string[];
  /** One entry per outcome: `recordedAt|outcome|parcelKey` (see outcomeEntry). */
  outcomeLog: string[];
  /** One entry per correction of an outcome: `correctedAt|outcome|parcelKey` (see correctedOutcomeLog). */
  outcomeCorrections: string[];
}

export interface DayBucket {
  day: string;
  /** How many parcels the party was seen on that day (stored as the bucket's `shipments` attribute). */
  parcelCount: number;
  flags: number;
  /** The other party keys seen on this day's parcels (names included, as `nm_…`). */
  links: string[];
  /** Normalized origin cities of this day's parcels. */
  origins: string[];
  /** Parcel and sum tallies: how many of this day's parcels marked each counter, or the sum of their amounts. */
  tallies: Readonly<Record<string, number>>;
  /** Distinct tallies: the party keys this day's parcels marked each counter with. */
  tallyKeys: Readonly<Record<string, readonly string[]>>;
}

/**
 * What one parcel adds to each tally of one party's day bucket: 1 per parcel tally it marks, its amount
 * per sum tally (`parcels`, by counter), its party key per distinct tally (`keys`). Each counter once: a
 * parcel is one parcel of a tally, however often marked.
 */
export const tallyMarksOf = (
  marks: readonly TallyMark[],
): { parcels: Map<string, number>; keys: Map<string, Set<string>> } => {
  const parcels = new Map<string, number>();
  const keys = new Map<string, Set<string>>();
  for (const { counter, value, amount } of marks) {
    if (value !== undefined) keys.set(counter, (keys.get(counter) ?? new Set()).add(value));
    else if (!parcels.has(counter)) parcels.set(counter, amount ?? 1);
  }
  return { parcels, keys };
};

/**
 * Adds a parcel's amount to a tally's count or sum as DynamoDB's `ADD` does on decimals: exactly, to
 * the 6 places amounts have (rule arithmetic), so a sum of 0.1 and 0.2 is 0.3 in every store.
 */
export const addToTally = (total: number, amount: number): number => addDecimal(total, amount);

/**
 * The keys of a parcel that keep a history of their own (names are counted, not tracked). A parcel
 * whose address names no street, or that carries no ID document (or one without a number), has no
 * such key (derivePartyKeys) and no history for it.
 */
export const historyKeysOf = (keys: PartyKeys): string[] => [
  keys.consignee,
  keys.shipper,
  keys.phone,
  ...(keys.address ? [keys.address] : []),
  ...(keys.idDocument ? [keys.idDocument] : []),
];

/** The keys linked to `key` by one parcel: every other key on it, the consignee's name included. */
export const linkedKeysOf = (key: string, keys: PartyKeys): string[] =>
  [...new Set([...historyKeysOf(keys), ...(keys.consigneeName ? [keys.consigneeName] : [])])].filter(
    (other) => other !== key,
  );

/**
 * An origin city as history keeps it: a Han name in the bare form the address's city takes
 * (`瑞丽市`, `瑞丽` → `瑞丽`; `伊犁哈萨克自治州`, `伊犁州` → `伊犁`), any other folded in case and width
 * (`Ruili`, `ＲＵＩＬＩ` → `ruili`). No pinyin↔Han matching: `Ruili` and `瑞丽` stay two origins.
 * Idempotent, so origins stored under an earlier normalization are normalized again when read.
 */
export const normalizeOrigin = (city: string): string =>
  hasHan(city) ? bareAdministrativeName(city) : foldText(city);

/** The distinct counterparts of `key` (see COUNTERPART_KIND) in its own region's buckets of the 90 days up to now. */
export const counterpartsIn = (key: string, buckets: DayBucket[], now: string): Set<string> => {
  const today = dayOf(now);
  const counterpartKind = COUNTERPART_KIND[kindOfKey(key) ?? 'name'];
  if (counterpartKind === null) return new Set();
  return new Set(
    buckets
      .filter((bucket) => inHistoryWindow(bucket.day, today))
      .flatMap((bucket) => bucket.links)
      .filter((link) => kindOfKey(link) === counterpartKind),
  );
};

/** The parties a key's buckets link it to, sorted; names are left out (they keep no history of their own). */
export const linkedPartiesIn = (buckets: readonly DayBucket[]): string[] => {
  const links = new Set<string>();
  for (const bucket of buckets) {
    for (const link of bucket.links) if (kindOfKey(link) !== 'name') links.add(link);
  }
  return [...links].sort();
};

/**
 * Each window's count, by its window key (windowKey), over the buckets of its days up to day(now): the
 * sum of a parcel tally's marks, or the number of distinct party keys a distinct tally was marked with.
 * A day's several buckets (its overflow buckets) count like days. Windows not asked for are not returned.
 * A window is at most the 90 days a store keeps: the rule set schema refuses a longer one (MAX_TALLY_DAYS),
 * and the buckets counted here are those of the 90 days (summarizeParty), so no cap is needed.
 */
const countTallies = (
  buckets: readonly DayBucket[],
  windows: readonly TallyWindow[],
  now: string,
): Record<string, number> => {
  const today = dayOf(now);
  const counts: Record<string, number> = {};
  for (const window of windows) {
    const inWindow = buckets.filter((bucket) => inHistoryWindow(bucket.day, today, window.days));
    counts[windowKey(window)] = window.distinct
      ? new Set(inWindow.flatMap((bucket) => bucket.tallyKeys[window.counter] ?? [])).size
      : inWindow.reduce((total, bucket) => addToTally(total, bucket.tallies[window.counter] ?? 0), 0);
  }
  return counts;
};

/** The windows counted for one party: those that name it (a tally its rules read on it). */
const windowsOfParty = (windows: readonly TallyWindow[], party: HistoryParty): TallyWindow[] =>
  windows.filter((window) => window.parties.includes(party));

/** The history party each kind of key is of (names keep no history of their own). */
const HISTORY_PARTY_OF_KIND: Readonly<Record<PartyKeyKind, HistoryParty | null>> = {
  consignee: 'consignee',
  shipper: 'shipper',
  phone: 'phone',
  address: 'address',
  idDocument: 'idDocument',
  name: null,
};

/**
 * The windows a store counts for one history key: those of its party (windowsOfParty), which its kind
 * names (kindOfKey), so every parcel carrying the key asks the same. None for a key of no history party.
 */
export const windowsOfKey = (windows: readonly TallyWindow[], key: string): TallyWindow[] => {
  const kind = kindOfKey(key);
  const party = kind === null ? null : HISTORY_PARTY_OF_KIND[kind];
  return party === null ? [] : windowsOfParty(windows, party);
};

/** The summary of a party with no history: every count 0, the windows asked for included. */
const unknownParty = (windows: readonly TallyWindow[], now: string): PartySummary => ({
  ...emptyPartySummary(),
  tallies: countTallies([], windows, now),
});

export const summarizeParty = (
  key: string,
  profile: PartyProfile | undefined,
  buckets: DayBucket[],
  now: string,
  windows: readonly TallyWindow[] = [],
): PartySummary => {
  if (!profile) return unknownParty(windows, now);
  const today = dayOf(now);
  const inWindow = (bucket: DayBucket, days: number) => inHistoryWindow(bucket.day, today, days);
  const visible = buckets.filter((bucket) => inWindow(bucket, HISTORY_WINDOW_DAYS));
  const sum = (days: number) =>
    visible
      .filter((bucket) => inWindow(bucket, days))
      .reduce((total, bucket) => total + bucket.parcelCount, 0);

  const counterparts = counterpartsIn(key, visible, now);
  // Buckets written before origins were bare names hold `瑞丽市`: normalized again, it meets `瑞丽`.
  const origins = new Set([...new Set(visible.flatMap((bucket) => bucket.origins))].map(normalizeOrigin));
  const outcomes = correctedOutcomeLog(profile.outcomeLog, profile.outcomeCorrections, now)
    .map(parseOutcomeEntry)
    .filter((entry) => entry.at <= now);
  const seizures = outcomes
    .filter((entry) => entry.outcome === 'seized')
    .map((entry) => entry.at)
    .sort();
  const firstSeen = profile.firstSeen !== undefined && profile.firstSeen <= now ? profile.firstSeen : null;
  // Last seen after now (a parcel screened elsewhere since): the latest day seen up to now, at its
  // last instant up to now (days are all a profile keeps of earlier parcels): now itself, on today.
  const lastSeen = (() => {
    if (profile.lastSeen !== undefined && profile.lastSeen <= now) return profile.lastSeen;
    if (firstSeen === null) return null;
    const lastDay = profile.days
      .filter((day) => day <= today)
      .sort()
      .at(-1);
    if (lastDay === undefined) return firstSeen;
    return lastDay === today ? now : `${lastDay}T23:59:59.999Z`;
  })();

  return {
    known: firstSeen !== null,
    firstSeen,
    lastSeen,
    parcels7d: sum(7),
    parcels30d: sum(30),
    parcels90d: sum(HISTORY_WINDOW_DAYS),
    distinctCounterparts: counterparts.size,
    sharedDistinctCounterparts: counterparts.size,
    distinctOrigins: origins.size,
    flags: visible.reduce((total, bucket) => total + bucket.flags, 0),
    // A parcel nobody could find was not looked at: no inspection (as in rule statistics).
    inspections: outcomes.filter((entry) => isInspection(entry.outcome)).length,
    seizures: seizures.length,
    lastSeizureAt: seizures.at(-1) ?? null,
    tallies: countTallies(visible, windows, now),
  };
};

/** One party's own-region history: its summary and its counterparts in the window. */
export interface OwnHistory {
  summary: PartySummary;
  counterparts: ReadonlySet<string>;
}

/** What partner regions shared about one indicator key: seizure and counterpart entries. */
export interface SharedEntries {
  seizures: string[];
  counterparts: string[];
}

const isSharedKind = (kind: string): kind is SharedIndicatorKind =>
  (SHARED_INDICATOR_KINDS as readonly string[]).includes(kind);

/**
 * The history facts of one parcel from what a store read: each party's own-region history, and what
 * the regions that may share with `region` shared about the parcel's indicators. Both stores build
 * their answer here, so they agree by construction.
 */
export const historyFactsOf = (input: {
  keys: PartyKeys;
  region: string;
  now: string;
  /** The delivery being screened (sharedDeliveryRef), whose own shared counterparts are left out. */
  delivery?: string;
  /**
   * The tally windows asked for: each party's count of the windows that name it (windowsOfParty) by
   * window key, 0 for a party with no history; a window that does not name a party is not in its tallies.
   */
  tallies?: readonly TallyWindow[];
  agreements: SharingAgreements;
  /** A key's own-region history, its summary counting the windows of its key (windowsOfKey of `tallies`). */
  own: (key: string) => OwnHistory | undefined;
  shared: (key: string, sourceRegion: string) => SharedEntries | undefined;
}): HistoryFacts => {
  const { keys, region, now, agreements } = input;
  const windows = input.tallies ?? [];
  const seizures: SharedSeizures[] = [];
  const party = (kind: HistoryParty): PartySummary => {
    const key = keys[kind];
    const read = windowsOfParty(windows, kind);
    if (key === undefined) return unknownParty(read, now);
    const own = input.own(key);
    const sharedCounterparts: SharedCounterparts[] = [];
    if (isSharedKind(kind)) {
      for (const sourceRegion of possibleSharingPartners(agreements, region, kind)) {
        const entries = input.shared(key, sourceRegion);
        seizures.push({ kind, sourceRegion, entries: entries?.seizures ?? [] });
        sharedCounterparts.push({ kind, sourceRegion, entries: entries?.counterparts ?? [] });
      }
    }
    const current = counterpartOnParcel(kind, keys);
    return {
      ...(own?.summary ?? unknownParty(read, now)),
      sharedDistinctCounterparts: countCounterpartsAcrossRegions({
        own: own?.counterparts ?? new Set(),
        shared: sharedCounterparts,
        ...(current === undefined ? {} : { current }),
        ...(input.delivery === undefined ? {} : { delivery: input.delivery }),
        agreements,
        region,
        now,
      }),
    };
  };
  const facts = {
    consignee: party('consignee'),
    shipper: party('shipper'),
    phone: party('phone'),
    address: party('address'),
    idDocument: party('idDocument'),
  };
  return { ...facts, sharedSeizures: countSharedSeizures(seizures, agreements, region, now) };
};

/**
 * One entry per parcel of a region, its last: a call that carries a parcel twice counts it once, as
 * its last entry says, in every store (DynamoDB writes each parcel once per call).
 */
export const lastOfEachParcel = <T extends { region: string; parcelKey: string }>(
  items: readonly T[],
): T[] => [...new Map(items.map((item) => [`${item.region}#${item.parcelKey}`, item])).values()];
