import { shardOf } from '../keys.js';
import type { RuleOutline } from '../rules/index.js';

/**
 * Per-rule statistics the analyst tools read: how often a rule fired (hits), how many of those parcels
 * were inspected, how many seized, and its precision (seizures / inspections). Counted per rule, per
 * region (a region's staff read only its own: flags and seizures are its business, and its precision
 * is not mixed with other regions'), per day of the decision and per shard, so that one counter item never collects every parcel of a busy
 * rule, and outcomes land on the day their parcel was flagged: precision compares like with like.
 * Hits and outcomes are counted in separate items: hit items only ever grow (and overflow into further
 * slots when full), outcome items also shrink when a correction takes a count back.
 */

export const STATISTICS_SHARDS = 8;

/** Where a parcel's counts go: its region, the day it was decided and its shard. */
export interface CounterPlace {
  region: string;
  decidedAt: string;
  parcelKey: string;
}

/** The first key a region's counters of `day` (YYYY-MM-DD) and later sort at or after. */
export const regionCountersFrom = (region: string, day = ''): string => `${region}#${day}`;

/** The last counter key of a region through `day` (every counter when none): `~` sorts after a day's shards. */
export const regionCountersThrough = (region: string, day = ''): string => `${region}#${day}~`;

/** Days of decision to read, both inclusive (UTC); either open. */
export interface DayRange {
  since?: string | undefined;
  until?: string | undefined;
}

const dayShardOf = ({ region, decidedAt, parcelKey }: CounterPlace): string =>
  `${regionCountersFrom(region, decidedAt.slice(0, 10))}#${shardOf(parcelKey, STATISTICS_SHARDS)}`;

/** A region's counters of one shard, every day and rule: `<region>#<shard>`, what a region's reader queries. */
export const regionShardOf = (region: string, shard: number): string => `${region}#${shard}`;

/** The region shard a parcel's counters belong to. */
export const regionShardOfPlace = ({ region, parcelKey }: CounterPlace): string =>
  regionShardOf(region, shardOf(parcelKey, STATISTICS_SHARDS));

/**
 * The hit counter a parcel's hit goes to: `<region>#<day>#<shard>`, then its overflow slots
 * `<region>#<day>#<shard>#<n>`.
 */
export const hitCounterKeyOf = (place: CounterPlace, slot = 0): string =>
  slot === 0 ? dayShardOf(place) : `${dayShardOf(place)}#${slot}`;

/** The counter of a parcel's inspection and seizure: `<region>#<day>#<shard>#outcomes`. */
export const outcomeCounterKeyOf = (place: CounterPlace): string => `${dayShardOf(place)}#outcomes`;

export interface RuleCounters {
  ruleId: string;
  hits: number;
  inspections: number;
  seizures: number;
}

export interface RuleStatistic extends RuleCounters {
  /** seizures / inspections; null until the rule's parcels have been inspected. */
  precision: number | null;
  /** inspections / hits; null until the rule has fired. */
  inspectionRate: number | null;
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;

const byId = <T extends { ruleId: string }>(a: T, b: T): number =>
  a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;

const withRatios = (total: RuleCounters): RuleStatistic => ({
  ...total,
  precision: ratio(total.seizures, total.inspections),
  inspectionRate: ratio(total.inspections, total.hits),
});

/** Sums counter items per rule; rules sorted by id. */
export const aggregateRuleStatistics = (counters: readonly RuleCounters[]): RuleStatistic[] => {
  const totals = new Map<string, RuleCounters>();
  for (const counter of counters) {
    const total = totals.get(counter.ruleId) ?? {
      ruleId: counter.ruleId,
      hits: 0,
      inspections: 0,
      seizures: 0,
    };
    total.hits += counter.hits;
    total.inspections += counter.inspections;
    total.seizures += counter.seizures;
    totals.set(counter.ruleId, total);
  }
  return [...totals.values()].sort(byId).map(withRatios);
};

/** A rule's statistics as analysts read them: against the deployed rule set. */
export interface RuleSetStatistic extends RuleStatistic {
  /** Whether the deployed rule set has a rule of this id. */
  inRuleSet: boolean;
  /** The deployed rule's title; null for a counter no deployed rule has (retired, or `@control-samples`). */
  title: string | null;
  /** Whether the deployed rule is switched on; null for a counter no deployed rule has. */
  enabled: boolean | null;
}

/**
 * The statistics of every rule of the deployed rule set, counted or not (a rule that never fired in the
 * period shows 0 hits and null ratios: never firing is itself a finding), and of every counter no
 * deployed rule has (a rule removed or renamed since, or `@control-samples`), with `inRuleSet: false`;
 * rules sorted by id.
 */
export const ruleSetStatistics = (
  rules: readonly RuleOutline[],
  counters: readonly RuleCounters[],
): RuleSetStatistic[] => {
  const deployed = new Map<string, RuleOutline>();
  for (const rule of rules) if (!deployed.has(rule.id)) deployed.set(rule.id, rule);
  const counted = new Map(
    aggregateRuleStatistics(counters).map((statistic) => [statistic.ruleId, statistic]),
  );
  const uncounted = [...deployed.keys()]
    .filter((ruleId) => !counted.has(ruleId))
    .map((ruleId) => withRatios({ ruleId, hits: 0, inspections: 0, seizures: 0 }));
  return [...counted.values(), ...uncounted].sort(byId).map((statistic) => {
    const rule = deployed.get(statistic.ruleId);
    return {
      ...statistic,
      inRuleSet: rule !== undefined,
      title: rule?.title ?? null,
      enabled: rule?.enabled ?? null,
    };
  });
};
