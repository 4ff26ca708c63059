import type { Evaluation } from './decision.js';
import { isFlagged, type Lane } from './lane.js';

/**
 * Control samples (GLOSSARY): parcels the rules release, picked at random and held for inspection, so
 * that their outcomes measure what the rules miss. A picked parcel is held like any other (its partner
 * cannot tell) and its officer sees it is a control sample. It is not its parties' flag, and its
 * outcome counts in a statistics counter of its own, not in the precision of the rules that fired on it.
 */

/** The rule statistics counter of control samples: no rule id can start with `@`. */
export const CONTROL_SAMPLE_COUNTER = '@control-samples';

export interface ControlSampled {
  lane: Lane;
  /** Set on a parcel the rules released and a random pick held for inspection. */
  controlSample?: true;
}

/** A released parcel held as a control sample: the rules' score and reasons stay as they were. */
export const asControlSample = <E extends Evaluation>(evaluation: E): E & { controlSample: true } => ({
  ...evaluation,
  lane: 'hold',
  controlSample: true,
});

/** The lane the rules gave: a control sample's is `release`, whatever it was held as. */
export const rulesLaneOf = (decision: ControlSampled): Lane =>
  decision.controlSample === true ? 'release' : decision.lane;

/** Flagged by the rules, not by the random pick: what party history counts as a flag. */
export const isFlaggedByRules = (decision: ControlSampled): boolean => isFlagged(rulesLaneOf(decision));

type WithFiredRules = ControlSampled & { firedRules: readonly { ruleId: string }[] };

/** The statistics counters a decision's hit counts in: the rules that fired, and the control samples'. */
export const countersOf = (decision: WithFiredRules): string[] => [
  ...decision.firedRules.map((rule) => rule.ruleId),
  ...(decision.controlSample === true ? [CONTROL_SAMPLE_COUNTER] : []),
];

/**
 * The counters an inspection's outcome counts in: a control sample's only in the control samples', so
 * a rule's precision stays that of the parcels it flagged, not of those chance held.
 */
export const outcomeCountersOf = (decision: WithFiredRules): string[] =>
  decision.controlSample === true ? [CONTROL_SAMPLE_COUNTER] : countersOf(decision);

/**
 * Where a control sample waits in its office's queue: at the score the rule set first holds a parcel,
 * not its own low one, so that officers reach it as they reach other holds (a sample left to the end of
 * the queue would keep its partner waiting, and stand out by that).
 */
export const queueScoreOf = (
  decision: ControlSampled & { score: number },
  holdFloor: number | undefined,
): number =>
  decision.controlSample === true ? Math.max(decision.score, holdFloor ?? decision.score) : decision.score;
