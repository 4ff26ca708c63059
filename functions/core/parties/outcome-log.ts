import type { Outcome } from '../review/outcome.js';

/** A party's outcome log: entries, corrections, and the log once corrections are applied. */

export const outcomeEntry = (recordedAt: string, outcome: Outcome, parcelKey: string): string =>
  `${recordedAt}|${outcome}|${parcelKey}`;

export const parseOutcomeEntry = (entry: string): { at: string; outcome: Outcome; parcelKey: string } => {
  const [at = '', outcome = '', ...parcel] = entry.split('|');
  // Entries are written only from an Outcome (outcomeEntry, outcomeCorrectionEntry).
  return { at, outcome: outcome as Outcome, parcelKey: parcel.join('|') };
};

/** One correction of a parcel's outcome, as kept next to the outcome log: `correctedAt|outcome|parcelKey`. */
export const outcomeCorrectionEntry = (correctedAt: string, outcome: Outcome, parcelKey: string): string =>
  `${correctedAt}|${outcome}|${parcelKey}`;

/**
 * How far after a correction the outcome it corrects may be recorded: the clocks of two function
 * instances may disagree a little. Outcomes of one parcel key that far apart are of two parcels: a key
 * names another parcel only once the first one's records have expired, 400 days on.
 */
const CORRECTION_REACH_MS = 86_400_000;

/** Of a parcel key's outcome times (ascending), the one a correction at `correctedAt` corrects. */
const correctedTime = (times: readonly string[], correctedAt: string): string => {
  const reachMs = Date.parse(correctedAt) + CORRECTION_REACH_MS;
  const reach = Number.isNaN(reachMs) ? correctedAt : new Date(reachMs).toISOString();
  let chosen = times[0]!;
  for (const time of times) if (time <= reach) chosen = time;
  return chosen;
};

/**
 * The outcome log once corrections are applied, as it stands at `now` (every correction when `now` is
 * left out). A correction is of one parcel's outcome: the latest one recorded under its parcel key by
 * the correction's time (see CORRECTION_REACH_MS), so a parcel delivered again under the key, a year
 * on, keeps its own. The latest correction of an outcome made by `now` replaces it but keeps the
 * inspection's time, so inspections stay counted from the day they happened and a seizure corrected in
 * dates from its inspection; the corrections of a parcel with no recorded outcome count as its outcome,
 * the latest one's, at the first one's time: its time does not move with each correction, so a seizure
 * shared on that day is the one a later correction withdraws. Entries are set members, so a correction
 * applied twice is one entry, and a correction delivered late never overrides a later one.
 */
export const correctedOutcomeLog = (log: string[], corrections: string[], now?: string): string[] => {
  const times = new Map<string, string[]>();
  for (const entry of log) {
    const { at, parcelKey } = parseOutcomeEntry(entry);
    times.set(parcelKey, [...(times.get(parcelKey) ?? []), at]);
  }
  for (const list of times.values()) list.sort();
  /** By parcel key and the time of the outcome corrected ('' for none recorded). */
  const latest = new Map<
    string,
    { parcelKey: string; correctedAt: string; outcome: string; firstAt: string }
  >();
  for (const entry of corrections) {
    const { at: correctedAt, outcome, parcelKey } = parseOutcomeEntry(entry);
    if (now !== undefined && correctedAt > now) continue;
    const recorded = times.get(parcelKey);
    const id = `${parcelKey}\u0000${recorded === undefined ? '' : correctedTime(recorded, correctedAt)}`;
    const current = latest.get(id);
    const later =
      !current ||
      correctedAt > current.correctedAt ||
      (correctedAt === current.correctedAt && outcome > current.outcome);
    const firstAt = current === undefined || correctedAt < current.firstAt ? correctedAt : current.firstAt;
    latest.set(id, later ? { parcelKey, correctedAt, outcome, firstAt } : { ...current!, firstAt });
  }
  if (latest.size === 0) return log;
  const corrected = log.map((entry) => {
    const { at, parcelKey } = parseOutcomeEntry(entry);
    const correction = latest.get(`${parcelKey}\u0000${at}`);
    return correction ? `${at}|${correction.outcome}|${parcelKey}` : entry;
  });
  const firstOutcomes = [...latest]
    .filter(([id]) => id.endsWith('\u0000'))
    .map(([, { parcelKey, firstAt, outcome }]) => `${firstAt}|${outcome}|${parcelKey}`);
  return [...corrected, ...firstOutcomes];
};

/**
 * A parcel's outcome and its time in a profile's log, corrections applied; undefined when it has none.
 * With `correctedAt`, the outcome a correction made then corrects (see correctedOutcomeLog), of a parcel
 * key that named two parcels; without, the first one logged.
 */
export const currentOutcomeOf = (
  parcelKey: string,
  log: string[],
  corrections: string[],
  correctedAt?: string,
): { at: string; outcome: string } | undefined => {
  const entries = correctedOutcomeLog(log, corrections)
    .map(parseOutcomeEntry)
    .filter((candidate) => candidate.parcelKey === parcelKey);
  if (entries.length === 0) return undefined;
  const at =
    correctedAt === undefined
      ? entries[0]!.at
      : correctedTime(entries.map((entry) => entry.at).sort(), correctedAt);
  const entry = entries.find((candidate) => candidate.at === at)!;
  return { at: entry.at, outcome: entry.outcome };
};
