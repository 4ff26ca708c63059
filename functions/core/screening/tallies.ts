import { roundDecimal } from '../rules/numeric.js';
import { HISTORY_PARTIES, type HistoryFacts, type HistoryParty, type PartySummary } from './facts.js';

/**
 * Tallies: counters a rule set declares over its parties' history ("small parcels from Ruili to this
 * address in the last 30 days", "distinct consignee phones at this address in 14 days"), so that an
 * analyst can write a windowed, filtered history pattern without a programmer. Each screened parcel
 * that meets a tally's condition marks it for every party on the parcel that keeps a history; the
 * history store keeps the marks per party and day, and rules read the tally over its window as
 * `history.<party>.tallies.<tally id>`.
 *
 * A tally's marks are stored under its counter: a digest of what it counts (its condition and its
 * distinct fact), not of its id or window. Two rule sets that count the same thing share the marks;
 * a tally whose condition changes starts again from zero; a window can change without losing anything.
 */

/** A tally as a rule set declares it, compiled. */
export interface DeclaredTally {
  /** The kebab-case id rules read it by: `history.consignee.tallies.<id>`. */
  id: string;
  /** Where its marks are stored (see above): 16 lowercase hex characters. */
  counter: string;
  /** Its window: the UTC calendar days up to now, today included (1 to 90). */
  days: number;
  /** True when it counts distinct parties (`distinct: parties.phone`), false when it counts parcels or sums. */
  distinct: boolean;
  /** True when it sums a number per parcel (`sum: { fact: derived.goodsValueCny }`) instead of counting parcels. */
  sum: boolean;
  /**
   * The history parties whose tally the rule set's rules read (`history.address.tallies.<id>`, directly
   * or through derived facts): a parcel marks the tally on every party, but only these are read (a
   * distinct tally's sets of a busy shipper nobody reads are not fetched).
   */
  parties: readonly HistoryParty[];
}

/**
 * The largest amount one parcel adds to a sum tally, either sign: a larger one adds this much (a parcel
 * declaring 5e16 CNY still counts as 1,000,000,000). So every amount is a whole number of millionths a
 * double holds exactly, and a day bucket's total, DynamoDB adding thousands of them exactly, stays below
 * 2^53, which the SDK writes and reads as a number (past it, it refuses to write one and a total with
 * decimals cannot be read back, failing every later parcel of the party).
 */
export const MAX_TALLY_AMOUNT = 1_000_000_000;

/**
 * The amount one parcel adds to a sum tally: `added` rounded to 6 decimals, as an arithmetic step is (a
 * fact is not rounded: 0.1234567 kg adds 0.123457), and within MAX_TALLY_AMOUNT either sign.
 */
export const boundedAmount = (added: number): number =>
  Math.min(MAX_TALLY_AMOUNT, Math.max(-MAX_TALLY_AMOUNT, roundDecimal(added)));

/** What one parcel adds to its parties' tallies: one parcel, one distinct party key, or its amount. */
export interface TallyMark {
  counter: string;
  /** For a distinct tally, the parcel's salted party key (e.g. its `parties.phone`); absent otherwise. */
  value?: string;
  /**
   * For a sum tally, the number the parcel adds (its `sum`, a decimal of at most 6 places, within
   * MAX_TALLY_AMOUNT either sign); absent: 1.
   */
  amount?: number;
}

/** A count the history store is asked for: one counter over one window, for the keys of these parties. */
export interface TallyWindow {
  counter: string;
  days: number;
  distinct: boolean;
  parties: readonly HistoryParty[];
}

/** How the store names a window's count in `PartySummary.tallies` (screening renames it by tally id). */
export const windowKey = (window: Pick<TallyWindow, 'counter' | 'days'>): string =>
  `${window.counter}@${window.days}`;

/** The windows the store must count for these tallies, each once, for every party any of them is read on. */
export const tallyWindows = (tallies: readonly DeclaredTally[]): TallyWindow[] => {
  const windows = new Map<string, TallyWindow>();
  for (const { counter, days, distinct, parties } of tallies) {
    if (parties.length === 0) continue;
    const key = windowKey({ counter, days });
    const read = new Set([...(windows.get(key)?.parties ?? []), ...parties]);
    windows.set(key, {
      counter,
      days,
      distinct,
      parties: HISTORY_PARTIES.filter((party) => read.has(party)),
    });
  }
  return [...windows.values()];
};

/** Per party, in HISTORY_PARTIES order, the tallies a rule set reads on it: each one's id and window key. */
const namesOf = (tallies: readonly DeclaredTally[]): (readonly [id: string, key: string])[][] =>
  HISTORY_PARTIES.map((party) =>
    tallies
      .filter((tally) => tally.parties.includes(party))
      .map((tally) => [tally.id, windowKey(tally)] as const),
  );

/**
 * History as a rule set reads it, named once per rule set: each party's tallies that its rules read, by
 * tally id, from the counts the store returned by window key (a window it did not count reads 0). A
 * tally no rule reads on a party is left out there, as a fact nobody reads (a rule reading one would
 * read 0 all the same). A rule set that reads no tally gets `history` itself when the store counted
 * none, its parties' tallies emptied otherwise.
 */
export const tallyNamer = (tallies: readonly DeclaredTally[]): ((history: HistoryFacts) => HistoryFacts) => {
  const names = namesOf(tallies);
  const readsNone = names.every((read) => read.length === 0);
  return (history) => {
    if (readsNone && HISTORY_PARTIES.every((party) => isEmpty(history[party].tallies))) return history;
    const result: HistoryFacts = { ...history };
    HISTORY_PARTIES.forEach((party, index) => {
      const summary: PartySummary = history[party];
      result[party] = {
        ...summary,
        tallies: Object.fromEntries(names[index]!.map(([id, key]) => [id, summary.tallies[key] ?? 0])),
      };
    });
    return result;
  };
};

/** Whether two rule sets' tallyNamer name any history alike (they read the same tallies on each party). */
export const namesAlike = (some: readonly DeclaredTally[], others: readonly DeclaredTally[]): boolean =>
  JSON.stringify(namesOf(some)) === JSON.stringify(namesOf(others));

const isEmpty = (record: Readonly<Record<string, number>>): boolean => {
  for (const _ in record) return false;
  return true;
};

/**
 * The marks screening records for one parcel: the live set's, and the shadow's only under counters the
 * live set does not declare. A counter the live set declares holds the live set's marks alone, whether
 * the live set marks the parcel or not: a shadow can share the counter and mark otherwise (a sum through
 * a table with a new exchange rate sums a parcel whose live sum is missing; a count whose `when` reads a
 * list, counted by name, matches other parcels under a new version of it), and its marks there would be
 * read by the live rules, where a shadow must never act.
 */
export const mergeTallyMarks = (
  liveTallies: readonly DeclaredTally[],
  liveMarks: readonly TallyMark[],
  shadowMarks: readonly TallyMark[],
): TallyMark[] => {
  const declared = new Set(liveTallies.map((tally) => tally.counter));
  const marks = new Map<string, TallyMark>();
  for (const mark of liveMarks) if (!marks.has(mark.counter)) marks.set(mark.counter, mark);
  for (const mark of shadowMarks)
    if (!declared.has(mark.counter) && !marks.has(mark.counter)) marks.set(mark.counter, mark);
  return [...marks.values()];
};
