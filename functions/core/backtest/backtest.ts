import { isInspection, isSeizure, type Outcome } from '../review/outcome.js';
import { roundDecimal } from '../rules/numeric.js';
import type { ScreeningPolicy } from '../screening/decision.js';
import {
  HISTORY_PARTIES,
  type HistoryFacts,
  type HistoryParty,
  type ScreeningFacts,
} from '../screening/facts.js';
import { isFlagged, LANES, type Lane } from '../screening/lane.js';
import type { ShadowEvaluation } from '../screening/shadow.js';
import type { DeclaredTally } from '../screening/tallies.js';

/**
 * A backtest: past parcels screened again, from the facts they were screened with, by a candidate rule
 * set, and compared with what was decided then and what inspections found. Pure: the parcels come in,
 * the report goes out.
 */

/** A parcel as it was decided, and the outcome its inspection recorded, if it had one. */
export interface PastParcel {
  parcelKey: string;
  decidedAt: string;
  ruleSetVersion: string;
  lane: Lane;
  firedRuleIds: readonly string[];
  facts: ScreeningFacts;
  outcome?: Outcome;
  /** What a shadow rule set decided beside it, if one was deployed then. */
  shadow?: ShadowEvaluation;
  /**
   * The region that screened it, whose party history it read and fed: tallies are recounted per region
   * when parcels name theirs (startTallyRecount), across regions when they do not.
   */
  region?: string;
}

export interface RuleComparison {
  ruleId: string;
  /** Parcels the rule fired on when they were decided. */
  recordedHits: number;
  /** Parcels the candidate's rule fires on. */
  candidateHits: number;
  /** Of the candidate's hits, parcels inspected (an outcome other than not-found), and seized. */
  inspected: number;
  seized: number;
  /** In none of the recorded rule set versions (markRulesNotRecorded): it could not fire then. */
  notRecorded?: true;
}

export interface MissedSeizure {
  parcelKey: string;
  decidedAt: string;
  recordedLane: Lane;
  candidateLane: Lane;
  /** Released by the recorded rules too, and held at random for inspection. */
  controlSample: boolean;
}

/** A parcel whose lane the candidate changes, and the rules that make the difference. */
export interface LaneChange {
  parcelKey: string;
  decidedAt: string;
  recordedLane: Lane;
  candidateLane: Lane;
  /** Rules the candidate fires that were not recorded, and recorded rules it does not fire. */
  added: string[];
  removed: string[];
}

/** Parcels that change lane listed by name, at most: the count says how many there are in all. */
export const LANE_CHANGES_LISTED = 50;

export interface BacktestReport {
  parcels: number;
  from?: string;
  to?: string;
  /** How many parcels each recorded rule set version decided. */
  recordedVersions: Record<string, number>;
  /** Parcels by recorded lane, then by the candidate's lane. */
  lanes: Record<Lane, Record<Lane, number>>;
  /** Parcels whose lane changes. */
  changed: number;
  /** The first LANE_CHANGES_LISTED of them by decision time, so a period of any length stays small. */
  laneChanges: LaneChange[];
  inspected: number;
  seized: number;
  /** Seized parcels each flags (review, hold or do-not-load), and cleared ones each flags. */
  seizedFlagged: { recorded: number; candidate: number };
  clearedFlagged: { recorded: number; candidate: number };
  /** Every seized parcel the candidate would release: flagged when decided, or a control sample. */
  missedSeizures: MissedSeizure[];
  /** Every rule of either side, in the candidate's order, then rules only recorded. */
  rules: RuleComparison[];
  /** The candidate's tallies, recounted from the backtested parcels themselves (startTallyRecount). */
  recountedTallies?: Pick<DeclaredTally, 'id' | 'days'>[];
}

const emptyLanes = (): Record<Lane, Record<Lane, number>> =>
  Object.fromEntries(LANES.map((lane) => [lane, Object.fromEntries(LANES.map((to) => [to, 0]))])) as Record<
    Lane,
    Record<Lane, number>
  >;

/** Adds `change` to `changes`, kept the LANE_CHANGES_LISTED earliest by decision time, then parcel key. */
const keepEarliest = (changes: LaneChange[], change: LaneChange): void => {
  const before = (a: LaneChange, b: LaneChange) =>
    a.decidedAt < b.decidedAt || (a.decidedAt === b.decidedAt && a.parcelKey < b.parcelKey);
  if (changes.length === LANE_CHANGES_LISTED && !before(change, changes.at(-1)!)) return;
  const at = changes.findIndex((other) => before(change, other));
  changes.splice(at < 0 ? changes.length : at, 0, change);
  if (changes.length > LANE_CHANGES_LISTED) changes.pop();
};

/** What a comparison needs of the candidate's decision on a parcel. */
export interface CandidateDecision {
  lane: Lane;
  firedRules: readonly { ruleId: string }[];
}

const DAY_MS = 86_400_000;

/** The start (UTC) of the day of `ms`, in epoch milliseconds. */
const dayStartOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** The first index in `from` to `to` of `sorted` whose number is not below `value` (`after`: above it). */
const firstFrom = (
  sorted: Int32Array | Float64Array,
  from: number,
  to: number,
  value: number,
  after = false,
): number => {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const at = sorted[middle]!;
    if (at < value || (after && at === value)) low = middle + 1;
    else high = middle;
  }
  return low;
};

/**
 * Small integer ids for texts (party keys, values, manifest ids). In several maps: V8 holds at most 2^24
 * entries in one, fewer than the keys of a long busy period.
 */
const startIds = (counted: { next: number } = { next: 0 }) => {
  const maps = Array.from({ length: 16 }, () => new Map<string, number>());
  const mapOf = (text: string) => maps[text.charCodeAt(text.length - 1) & 15]!;
  return {
    idOf: (text: string): number => {
      const map = mapOf(text);
      let id = map.get(text);
      if (id === undefined) {
        id = counted.next++;
        map.set(text, id);
      }
      return id;
    },
    /** The id of a text given one, -1 otherwise. */
    find: (text: string): number => mapOf(text).get(text) ?? -1,
    get size() {
      return counted.next;
    },
  };
};

/** What one counter's marks count: parcels, distinct values or a sum, on the parties its tallies are read on. */
interface Series {
  /** Its place among the recount's series, where each region keeps its marks. */
  index: number;
  counter: string;
  distinct: boolean;
  sum: boolean;
  parties: HistoryParty[];
  /** The windows its tallies read, in days. */
  days: number[];
}

/**
 * The marks of one series in one region, as they come: party key, time (epoch ms), manifest id and value:
 * a distinct series' value id, a sum series' amount (a double: `amounts`), -1 for a parcel series.
 */
const startMarkBuffer = (amounts: boolean) => {
  let capacity = 1024;
  let length = 0;
  let keys = new Int32Array(capacity);
  let times = new Float64Array(capacity);
  let manifests = new Int32Array(capacity);
  const valuesOf = (size: number) => (amounts ? new Float64Array(size) : new Int32Array(size));
  let values = valuesOf(capacity);
  const grown = <A extends Int32Array | Float64Array>(array: A, make: (size: number) => A): A => {
    const larger = make(capacity);
    larger.set(array);
    return larger;
  };
  return {
    push: (key: number, time: number, manifest: number, value: number) => {
      if (length === capacity) {
        capacity *= 2;
        keys = grown(keys, (size) => new Int32Array(size));
        times = grown(times, (size) => new Float64Array(size));
        manifests = grown(manifests, (size) => new Int32Array(size));
        values = grown(values, valuesOf);
      }
      keys[length] = key;
      times[length] = time;
      manifests[length] = manifest;
      values[length] = value;
      length += 1;
    },
    get marks() {
      return {
        length,
        keys: keys.subarray(0, length),
        times: times.subarray(0, length),
        manifests: manifests.subarray(0, length),
        values: values.subarray(0, length),
      };
    },
  };
};
type MarkBuffer = ReturnType<typeof startMarkBuffer>;

/**
 * A distinct series' counts over a window of `days`, as intervals of the time a parcel is decided at,
 * each sorted per party key (`first`) or per party key and manifest (`onlyOwn…`):
 * - `first`: from when a mark is the first of its value in the window (the window starts after the
 *   value's previous mark's day) until it leaves the window. The distinct values in the window are the
 *   marks whose interval holds the time: those `first` does not exceed, less those already out.
 * - `onlyOwnFrom`, `onlyOwnUntil`: from when a mark of a manifest is the last of its value in the window
 *   and no mark of the value from another manifest is in it, until the value's next mark or the mark
 *   leaves the window: its value is in the window only through that manifest, which a parcel of it
 *   leaves out.
 */
interface DistinctWindow {
  first: Float64Array;
  onlyOwnFrom: Float64Array;
  onlyOwnUntil: Float64Array;
}

const MILLION = 1_000_000;

/**
 * A sum series' amounts added up in one order of its marks: at `i`, the sum of the first `i`, as whole
 * units and millionths (0 to 999,999), so it stays exact however large a period's sum grows (a double
 * holds whole millionths only up to 2^53, about 9 billion units), as adding amounts of at most 6
 * decimals is (addToTally): a window's sum is a difference of two.
 */
interface RunningSums {
  units: Float64Array;
  millionths: Int32Array;
}

/** The running sums of `amounts` (each rounded to 6 decimals) taken in `order`. */
const runningSums = (amounts: Float64Array, order: Int32Array): RunningSums => {
  const units = new Float64Array(order.length + 1);
  const millionths = new Int32Array(order.length + 1);
  for (let at = 0; at < order.length; at++) {
    const amount = amounts[order[at]!]!;
    const whole = Math.trunc(amount);
    // amount - whole is exact, and within a rounding of whole millionths: the amount has at most 6 decimals.
    let part = millionths[at]! + Math.round((amount - whole) * MILLION);
    let carried = whole;
    if (part >= MILLION) {
      part -= MILLION;
      carried += 1;
    } else if (part < 0) {
      part += MILLION;
      carried -= 1;
    }
    units[at + 1] = units[at]! + carried;
    millionths[at + 1] = part;
  }
  return { units, millionths };
};

/**
 * One series' marks in one region, compact: per mark a party key id and a time, sorted by both, and
 * again by party key, manifest and time (`ownManifests`, `ownTimes`, for parcel and sum series), the
 * running sums of a sum series in both orders (`sums`), and the intervals of the distinct series' windows.
 */
interface RecountedSeries {
  keys: Int32Array;
  times: Float64Array;
  ownManifests: Int32Array;
  ownTimes?: Float64Array;
  sums?: { byTime: RunningSums; own: RunningSums };
  windows: Map<number, DistinctWindow>;
}

/** Sorts each run of `array` on which `sameRun(i - 1, i)` holds, in place. */
const sortRuns = (array: Float64Array, sameRun: (before: number, at: number) => boolean): void => {
  let start = 0;
  for (let index = 1; index <= array.length; index++) {
    if (index < array.length && sameRun(index - 1, index)) continue;
    if (index - start > 1) array.subarray(start, index).sort();
    start = index;
  }
};

const recountSeries = (series: Series, buffer: MarkBuffer, valueCount: number): RecountedSeries => {
  const { length, keys: keysIn, times: timesIn, manifests: manifestsIn, values: valuesIn } = buffer.marks;
  const byTime = new Int32Array(length).map((_, index) => index);
  byTime.sort((a, b) => keysIn[a]! - keysIn[b]! || timesIn[a]! - timesIn[b]! || a - b);
  const keys = byTime.map((index) => keysIn[index]!);
  const times = Float64Array.from(byTime, (index) => timesIn[index]!);
  const manifests = byTime.map((index) => manifestsIn[index]!);
  const byManifest = new Int32Array(length).map((_, index) => index);
  byManifest.sort((a, b) => keys[a]! - keys[b]! || manifests[a]! - manifests[b]! || a - b);
  const ownManifests = byManifest.map((index) => manifests[index]!);
  const windows = new Map<number, DistinctWindow>();
  if (!series.distinct) {
    const ownTimes = Float64Array.from(byManifest, (index) => times[index]!);
    if (!series.sum) return { keys, times, ownManifests, ownTimes, windows };
    // valuesIn holds the amounts (startMarkBuffer); byManifest indexes the by-time order.
    const amounts = valuesIn as Float64Array;
    const byTimeAmounts = Float64Array.from(byTime, (index) => amounts[index]!);
    const sums = { byTime: runningSums(amounts, byTime), own: runningSums(byTimeAmounts, byManifest) };
    return { keys, times, ownManifests, ownTimes, sums, windows };
  }

  // Per mark: the previous and next mark of its party key with its value, and the previous one of
  // another manifest (-1: none).
  const values = byTime.map((index) => valuesIn[index]!);
  const previous = new Int32Array(length);
  const next = new Int32Array(length).fill(-1);
  const previousElsewhere = new Int32Array(length);
  const last = new Int32Array(valueCount).fill(-1);
  const lastElsewhere = new Int32Array(valueCount).fill(-1);
  let keyStart = 0;
  for (let index = 0; index <= length; index++) {
    if (index === length || (index > 0 && keys[index] !== keys[index - 1])) {
      for (let done = keyStart; done < index; done++) last[values[done]!] = -1;
      keyStart = index;
      if (index === length) break;
    }
    const value = values[index]!;
    const before = last[value]!;
    previous[index] = before;
    if (before < 0) {
      previousElsewhere[index] = -1;
      lastElsewhere[value] = -1;
    } else {
      next[before] = index;
      if (manifests[before] !== manifests[index]) lastElsewhere[value] = before;
      previousElsewhere[index] = lastElsewhere[value]!;
    }
    last[value] = index;
  }

  const sameKey = (a: number, b: number) => keys[a] === keys[b];
  const sameManifest = (a: number, b: number) => sameKey(a, b) && ownManifests[a] === ownManifests[b];
  for (const days of series.days) {
    const span = days * DAY_MS;
    /** Until when the mark at `index` is in the window of a parcel decided then. */
    const leaves = (index: number) => dayStartOf(times[index]!) + span;
    /** From when the window of a parcel decided then starts after the mark at `index`. */
    const leftBehind = (index: number) => (index < 0 ? Number.NEGATIVE_INFINITY : leaves(index));
    const first = times.map((time, index) =>
      Math.min(Math.max(time + 1, leftBehind(previous[index]!)), leaves(index)),
    );
    sortRuns(first, sameKey);
    const onlyOwnUntil = Float64Array.from(byManifest, (index) =>
      Math.min(leaves(index), next[index]! < 0 ? Number.POSITIVE_INFINITY : times[next[index]!]! + 1),
    );
    const onlyOwnFrom = Float64Array.from(byManifest, (index, at) =>
      Math.min(Math.max(times[index]! + 1, leftBehind(previousElsewhere[index]!)), onlyOwnUntil[at]!),
    );
    sortRuns(onlyOwnFrom, sameManifest);
    sortRuns(onlyOwnUntil, sameManifest);
    windows.set(days, { first, onlyOwnFrom, onlyOwnUntil });
  }
  return { keys, times, ownManifests, windows };
};

/** Units and millionths as the decimal they make (exact below 2^53 millionths: any sum live reads exactly). */
const decimalOf = (units: number, millionths: number): number => (units * MILLION + millionths) / MILLION;

/**
 * The marks of `series` under a party key, in the window of `days` up to `time`, less a manifest's: how
 * many, how many distinct values, or the sum of their amounts.
 */
const countOf = (
  series: RecountedSeries,
  key: number,
  manifest: number,
  time: number,
  days: number,
): number => {
  const { keys, times, ownManifests, ownTimes, sums, windows } = series;
  const from = firstFrom(keys, 0, keys.length, key);
  const to = firstFrom(keys, from, keys.length, key, true);
  if (from === to) return 0;
  const since = dayStartOf(time) - (days - 1) * DAY_MS;
  const start = firstFrom(times, from, to, since);
  const ownFrom = manifest < 0 ? from : firstFrom(ownManifests, from, to, manifest);
  const ownTo = manifest < 0 ? from : firstFrom(ownManifests, ownFrom, to, manifest, true);
  const window = windows.get(days);
  if (window === undefined) {
    const ownStart = firstFrom(ownTimes!, ownFrom, ownTo, since);
    const ownEnd = firstFrom(ownTimes!, ownStart, ownTo, time);
    const end = firstFrom(times, start, to, time);
    if (sums === undefined) return end - start - (ownEnd - ownStart);
    const { byTime, own } = sums;
    return decimalOf(
      byTime.units[end]! - byTime.units[start]! - (own.units[ownEnd]! - own.units[ownStart]!),
      byTime.millionths[end]! -
        byTime.millionths[start]! -
        (own.millionths[ownEnd]! - own.millionths[ownStart]!),
    );
  }
  const inWindow = firstFrom(window.first, from, to, time, true) - start;
  const onlyOwn =
    firstFrom(window.onlyOwnFrom, ownFrom, ownTo, time, true) -
    firstFrom(window.onlyOwnUntil, ownFrom, ownTo, time, true);
  return inWindow - onlyOwn;
};

/**
 * A candidate's tallies recounted from the backtested parcels themselves: live history holds only the
 * marks of the rule sets that were screening, so a new tally (or a changed one: another counter) has
 * none of the period's. Read in two passes, each parcel in any order: `mark` every parcel (the marks it
 * makes, from its recorded facts: a tally's condition reads no history), then `factsOf` each, its
 * history's tallies recounted as screening would have read them: per party a tally is read on
 * (`DeclaredTally.parties`: others are left out of the facts, as screening leaves them out), the marks
 * of the parcels of the same party key decided before it, on the tally's days up to its own (UTC), the
 * other parcels of its manifest left out; a distinct tally counts distinct values (one that the
 * manifest's parcels and others both marked counts once); a sum tally adds up their amounts, each
 * rounded to 6 decimals and the sum exact, as live history adds them (addToTally). Nothing before the
 * period is counted, so the period's first days undercount. Each region keeps its own history: parcels
 * that name their region read the marks of their region's parcels only.
 *
 * Memory grows with the marks (about 24 bytes each, 24 more per window of a distinct tally, 28 more
 * for a sum tally's amount and running sums, besides an id per party key, value and manifest); each
 * count is a few binary searches. A parcel decided after the marks were read is counted on them, its
 * own marks uncounted.
 */
export const startTallyRecount = (candidate: Pick<ScreeningPolicy, 'tallies' | 'tallyMarks'>) => {
  const series: Series[] = [];
  // By counter: its digest covers what is counted, `distinct` included.
  const seriesOf = new Map<string, Series>();
  for (const tally of candidate.tallies) {
    if (tally.parties.length === 0) continue;
    let read = seriesOf.get(tally.counter);
    if (read === undefined) {
      read = {
        index: series.length,
        counter: tally.counter,
        distinct: tally.distinct,
        sum: tally.sum,
        parties: [],
        days: [],
      };
      seriesOf.set(tally.counter, read);
      series.push(read);
    }
    read.parties = HISTORY_PARTIES.filter(
      (party) => read!.parties.includes(party) || tally.parties.includes(party),
    );
    if (!read.days.includes(tally.days)) read.days.push(tally.days);
  }
  /** Per party, in HISTORY_PARTIES order, the tallies read on it, each with its series' index. */
  const readOn = HISTORY_PARTIES.map((party) =>
    candidate.tallies
      .filter((tally) => tally.parties.includes(party))
      .map((tally) => ({ id: tally.id, days: tally.days, index: seriesOf.get(tally.counter)!.index })),
  );

  const texts = startIds();
  /** Manifest ids by partner, each manifest its own: a manifest's parcels are not in each other's history. */
  const manifestIds = new Map<string, ReturnType<typeof startIds>>();
  const manifestsCounted = { next: 0 };
  const buffers = new Map<string, (MarkBuffer | undefined)[]>();
  let recounted: Map<string, (RecountedSeries | undefined)[]> | undefined;

  const mark = (parcel: PastParcel): void => {
    if (recounted !== undefined) throw new Error('a tally recount reads no marks once it has counted');
    const { parties } = parcel.facts;
    if (parties === undefined || series.length === 0) return;
    let at: { time: number; manifest: number; buffers: (MarkBuffer | undefined)[] } | undefined;
    // One mark per counter, a distinct tally's with its value, a sum tally's with its amount
    // (ScreeningPolicy.tallyMarks).
    for (const { counter, value, amount } of candidate.tallyMarks(parcel.facts)) {
      const read = seriesOf.get(counter);
      if (read === undefined) continue;
      if (at === undefined) {
        const { partnerId, manifestId } = parcel.facts.manifest;
        if (!manifestIds.has(partnerId)) manifestIds.set(partnerId, startIds(manifestsCounted));
        const region = parcel.region ?? '';
        if (!buffers.has(region)) buffers.set(region, []);
        at = {
          time: Date.parse(parcel.decidedAt),
          manifest: manifestIds.get(partnerId)!.idOf(manifestId),
          buffers: buffers.get(region)!,
        };
      }
      const buffer = at.buffers[read.index] ?? startMarkBuffer(read.sum);
      at.buffers[read.index] = buffer;
      // A sum tally's amount rounded once, as addToTally adds it (a mark without one adds 1).
      const marked = read.distinct ? texts.idOf(value!) : read.sum ? roundDecimal(amount ?? 1) : -1;
      for (const key of new Set(read.parties.map((party) => parties[party]))) {
        if (key !== undefined) buffer.push(texts.idOf(key), at.time, at.manifest, marked);
      }
    }
  };

  const countAll = () => {
    const counted = new Map<string, (RecountedSeries | undefined)[]>();
    for (const [region, marks] of buffers) {
      counted.set(
        region,
        series.map((read) =>
          marks[read.index] === undefined ? undefined : recountSeries(read, marks[read.index]!, texts.size),
        ),
      );
    }
    buffers.clear();
    return counted;
  };

  const factsOf = (parcel: PastParcel): ScreeningFacts => {
    recounted ??= countAll();
    const { facts } = parcel;
    const inRegion = recounted.get(parcel.region ?? '');
    const time = Date.parse(parcel.decidedAt);
    const manifest = manifestIds.get(facts.manifest.partnerId)?.find(facts.manifest.manifestId) ?? -1;
    const history: HistoryFacts = { ...facts.history };
    HISTORY_PARTIES.forEach((party, at) => {
      const key = facts.parties?.[party];
      const keyId = key === undefined ? -1 : texts.find(key);
      history[party] = {
        ...facts.history[party],
        tallies: Object.fromEntries(
          readOn[at]!.map(({ id, days, index }) => {
            const marks = inRegion?.[index];
            return [id, keyId < 0 || marks === undefined ? 0 : countOf(marks, keyId, manifest, time, days)];
          }),
        ),
      };
    });
    return { ...facts, history };
  };

  return { mark, factsOf };
};

/**
 * A backtest fed one parcel at a time, so a period of any length is screened in constant memory: only
 * the counts and the missed seizures are kept. A candidate whose enabled rules read a tally (`recounts`)
 * is fed the period twice: every parcel to `mark` first, then every parcel to `add`; startTallyRecount
 * keeps the marks the parcels make on the parties its tallies are read on (time, manifest and value ids,
 * per party key), never the parcels: its memory grows with the period's marks.
 */
export const startBacktest = (candidate: ScreeningPolicy & { ruleIds: readonly string[] }) => {
  const comparison = startComparison(candidate.ruleIds);
  // Tallies no enabled rule reads are in no facts: nothing to recount, and no second reading for them.
  const read = candidate.tallies.filter((tally) => tally.parties.length > 0);
  const recount = read.length === 0 ? undefined : startTallyRecount(candidate);
  return {
    recounts: recount !== undefined,
    mark: (parcel: PastParcel): void => recount?.mark(parcel),
    add: (parcel: PastParcel): void =>
      comparison.add(
        parcel,
        candidate.evaluate(recount === undefined ? parcel.facts : recount.factsOf(parcel)),
      ),
    finish: (): BacktestReport => ({
      ...comparison.finish(),
      ...(recount === undefined ? {} : { recountedTallies: read.map(({ id, days }) => ({ id, days })) }),
    }),
  };
};

/**
 * Recorded decisions compared with a candidate's decisions on the same parcels, however the candidate
 * decided them: screened again (a backtest) or recorded beside them (a shadow rule set). `ruleIds` come
 * first in the rules table, in their order; rules seen only on parcels follow.
 */
export const startComparison = (ruleIds: readonly string[]) => {
  const report: BacktestReport = {
    parcels: 0,
    recordedVersions: {},
    lanes: emptyLanes(),
    changed: 0,
    laneChanges: [],
    inspected: 0,
    seized: 0,
    seizedFlagged: { recorded: 0, candidate: 0 },
    clearedFlagged: { recorded: 0, candidate: 0 },
    missedSeizures: [],
    rules: [],
  };
  const rules = new Map<string, RuleComparison>();
  const ruleOf = (ruleId: string): RuleComparison => {
    let rule = rules.get(ruleId);
    if (rule === undefined) {
      rule = { ruleId, recordedHits: 0, candidateHits: 0, inspected: 0, seized: 0 };
      rules.set(ruleId, rule);
    }
    return rule;
  };
  for (const ruleId of ruleIds) ruleOf(ruleId);

  const add = (parcel: PastParcel, evaluation: CandidateDecision): void => {
    report.parcels += 1;
    if (report.from === undefined || parcel.decidedAt < report.from) report.from = parcel.decidedAt;
    if (report.to === undefined || parcel.decidedAt > report.to) report.to = parcel.decidedAt;
    report.recordedVersions[parcel.ruleSetVersion] =
      (report.recordedVersions[parcel.ruleSetVersion] ?? 0) + 1;
    report.lanes[parcel.lane][evaluation.lane] += 1;
    if (parcel.lane !== evaluation.lane) {
      report.changed += 1;
      const fired = evaluation.firedRules.map((rule) => rule.ruleId);
      keepEarliest(report.laneChanges, {
        parcelKey: parcel.parcelKey,
        decidedAt: parcel.decidedAt,
        recordedLane: parcel.lane,
        candidateLane: evaluation.lane,
        added: fired.filter((ruleId) => !parcel.firedRuleIds.includes(ruleId)),
        removed: parcel.firedRuleIds.filter((ruleId) => !fired.includes(ruleId)),
      });
    }

    // As the rule statistics count them: not-found is no inspection, nothing was looked at.
    const inspected = parcel.outcome !== undefined && isInspection(parcel.outcome);
    const seized = parcel.outcome !== undefined && isSeizure(parcel.outcome);
    if (inspected) report.inspected += 1;
    if (seized) {
      report.seized += 1;
      if (isFlagged(parcel.lane)) report.seizedFlagged.recorded += 1;
      if (isFlagged(evaluation.lane)) report.seizedFlagged.candidate += 1;
      if (!isFlagged(evaluation.lane)) {
        report.missedSeizures.push({
          parcelKey: parcel.parcelKey,
          decidedAt: parcel.decidedAt,
          recordedLane: parcel.lane,
          candidateLane: evaluation.lane,
          // Only flagged parcels and control samples are inspected: one the rules released was a sample.
          controlSample: !isFlagged(parcel.lane),
        });
      }
    } else if (parcel.outcome === 'cleared') {
      if (isFlagged(parcel.lane)) report.clearedFlagged.recorded += 1;
      if (isFlagged(evaluation.lane)) report.clearedFlagged.candidate += 1;
    }

    for (const ruleId of new Set(parcel.firedRuleIds)) ruleOf(ruleId).recordedHits += 1;
    // As the rule statistics do, a rule's precision counts the parcels it would flag: a control sample
    // the candidate releases (inspected at random) is no inspection of the rules that fired on it.
    const flagged = isFlagged(evaluation.lane);
    for (const { ruleId } of evaluation.firedRules) {
      const rule = ruleOf(ruleId);
      rule.candidateHits += 1;
      if (inspected && flagged) rule.inspected += 1;
      if (seized && flagged) rule.seized += 1;
    }
  };

  const finish = (): BacktestReport => ({
    ...report,
    missedSeizures: [...report.missedSeizures].sort((a, b) =>
      a.decidedAt < b.decidedAt ? -1 : a.decidedAt > b.decidedAt ? 1 : 0,
    ),
    rules: [...rules.values()].map((rule) => ({ ...rule })),
  });
  return { add, finish };
};

/**
 * The report with each rule that none of the recorded rule set versions had marked `notRecorded`, when
 * `rulesOf` knows the rules of every recorded version (a decision records its version, a hash, not its
 * rules); unchanged when it does not know one of them (undefined), where a rule recorded 0 times may
 * have been there and never fired.
 */
export const markRulesNotRecorded = (
  report: BacktestReport,
  rulesOf: (version: string) => readonly string[] | undefined,
): BacktestReport => {
  const had = new Set<string>();
  for (const version of Object.keys(report.recordedVersions)) {
    const ruleIds = rulesOf(version);
    if (ruleIds === undefined) return report;
    for (const ruleId of ruleIds) had.add(ruleId);
  }
  if (had.size === 0) return report;
  return {
    ...report,
    rules: report.rules.map((rule) => (had.has(rule.ruleId) ? rule : { ...rule, notRecorded: true })),
  };
};
