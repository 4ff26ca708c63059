import type { FiredRule } from './decision.js';
import { HISTORY_PARTIES, type HistoryFacts, type PartySummary, type ScreeningFacts } from './facts.js';

/**
 * History facts renamed since decisions were first recorded: the name a stored decision may hold, and the
 * name rules read now (`history.<party>.shipments30d` became `parcels30d`: they count parcels). Stored
 * decisions, review items and their fired rules' values are never rewritten in place; the adapters that
 * read them back upgrade them here, so everything past the read boundary sees the current names only.
 */
export const RENAMED_HISTORY_FACTS: Readonly<Record<string, keyof PartySummary>> = {
  shipments7d: 'parcels7d',
  shipments30d: 'parcels30d',
  shipments90d: 'parcels90d',
};

/**
 * A party summary as recorded, under the current names; of a name recorded under both, the current one's
 * value holds.
 */
const upgradeSummary = (summary: PartySummary): PartySummary => {
  const recorded = summary as unknown as Record<string, unknown>;
  if (!Object.keys(RENAMED_HISTORY_FACTS).some((old) => Object.hasOwn(recorded, old))) return summary;
  const upgraded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(recorded)) {
    const current = Object.hasOwn(RENAMED_HISTORY_FACTS, name) ? RENAMED_HISTORY_FACTS[name] : undefined;
    if (current === undefined) upgraded[name] = value;
    else if (!Object.hasOwn(recorded, current)) upgraded[current] = value;
  }
  return upgraded as unknown as PartySummary;
};

/** A decision's recorded facts under the current fact names (a new object when a name changed; pure). */
export const upgradeRecordedFacts = (facts: ScreeningFacts): ScreeningFacts => {
  const history = facts?.history as HistoryFacts | undefined;
  if (history === undefined || history === null) return facts;
  const parties = HISTORY_PARTIES.filter((party) => history[party] !== undefined && history[party] !== null);
  const upgraded = { ...history };
  let changed = false;
  for (const party of parties) {
    upgraded[party] = upgradeSummary(history[party]);
    changed ||= upgraded[party] !== history[party];
  }
  return changed ? { ...facts, history: upgraded } : facts;
};

const OLD_PATH = new RegExp(
  `^(history\\.(?:${HISTORY_PARTIES.join('|')})\\.)(${Object.keys(RENAMED_HISTORY_FACTS).join('|')})$`,
);

/** What a condition matched, recorded beside its fact's value as `matched(<fact path>)` (compile-condition.ts). */
const MATCHED_KEY = /^matched\((.+)\)$/;

const upgradePlainPath = (path: string): string =>
  path.replace(OLD_PATH, (_path, party: string, old: string) => `${party}${RENAMED_HISTORY_FACTS[old]}`);

/**
 * A recorded fact path under its current name: `history.consignee.shipments30d` reads as `…parcels30d`,
 * and the key of what a condition on it matched, `matched(history.consignee.shipments30d)`, as `matched(…parcels30d)`.
 */
export const upgradeFactPath = (path: string): string => {
  const matchedOn = MATCHED_KEY.exec(path)?.[1];
  return matchedOn === undefined ? upgradePlainPath(path) : `matched(${upgradePlainPath(matchedOn)})`;
};

/** Recorded values under the current fact paths; of a path recorded under both names, the current one's value holds. */
const upgradeValues = (values: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(values).flatMap(([path, value]) => {
      const current = upgradeFactPath(path);
      return current !== path && Object.hasOwn(values, current) ? [] : [[current, value]];
    }),
  );

/** Recorded fired rules whose values (by fact path) are under the current fact names. */
export const upgradeFiredRules = (firedRules: FiredRule[]): FiredRule[] =>
  firedRules?.map((rule) =>
    rule.values !== undefined &&
    rule.values !== null &&
    Object.keys(rule.values).some((path) => upgradeFactPath(path) !== path)
      ? { ...rule, values: upgradeValues(rule.values) }
      : rule,
  );
