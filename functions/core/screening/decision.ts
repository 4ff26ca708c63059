import type { Lane } from './lane.js';

/** One rule that fired: why, and the fact values that made it fire. */
export interface FiredRule {
  ruleId: string;
  title: string;
  score: number;
  /** Set when the rule forces a lane whatever the score. */
  lane?: Lane;
  reason: string;
  values: Record<string, unknown>;
}

/**
 * The rule engine's evaluation of one parcel: pure output of a rule set over facts. Recorded with the
 * facts and the parcel's details, it is the parcel's decision (DecisionRecord).
 */
export interface Evaluation {
  ruleSetId: string;
  ruleSetVersion: string;
  score: number;
  lane: Lane;
  firedRules: FiredRule[];
}

/** A rule set compiled once and evaluated many times; implemented by core/rules. */
export interface ScreeningPolicy {
  readonly id: string;
  readonly version: string;
  evaluate(facts: import('./facts.js').ScreeningFacts): Evaluation;
  /** The tallies the rule set declares (core/screening/tallies.ts): its rules read them from history. */
  readonly tallies: readonly import('./tallies.js').DeclaredTally[];
  /**
   * What this parcel adds to its parties' tallies: one mark per tally whose condition it meets, a
   * parcel tally's with no `value` key at all (not even undefined): its decision stores them as they are.
   */
  tallyMarks(facts: import('./facts.js').ScreeningFacts): import('./tallies.js').TallyMark[];
  /** The lowest score the rule set bands into `lane`; undefined when no band gives it. */
  laneFloor(lane: import('./lane.js').Lane): number | undefined;
}
