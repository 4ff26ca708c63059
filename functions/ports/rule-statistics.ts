import type { Outcome } from '../core/review/outcome.js';
import type { DayRange, RuleCounters } from '../core/statistics/rule-statistics.js';

/** A parcel, the region that screened it, and the rules its decision fired. */
export interface RuleHits {
  parcelKey: string;
  region: string;
  decidedAt: string;
  ruleIds: string[];
}

/**
 * Port: per-rule counters. Every method counts a parcel at most once per rule and counter, however often
 * it is called, so an interrupted step can simply be repeated.
 */
export interface RuleStatistics {
  recordHits(hits: RuleHits[]): Promise<void>;
  recordOutcome(hits: RuleHits, outcome: Outcome): Promise<void>;
  /** Moves the parcel's contribution from one outcome to another (an admin's correction). */
  correctOutcome(hits: RuleHits, from: Outcome, to: Outcome): Promise<void>;
  /** The region's counters of decisions made on the days asked for (UTC, both inclusive; either open). */
  read(region: string, days?: DayRange): Promise<RuleCounters[]>;
}
