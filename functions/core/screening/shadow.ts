import type { Evaluation, ScreeningPolicy } from './decision.js';
import type { ScreeningFacts } from './facts.js';
import type { Lane } from './lane.js';
import type { TallyMark } from './tallies.js';

/**
 * A shadow rule set is evaluated on every live parcel beside the active one, and what it decided is
 * recorded on the parcel's decision, never acted on: no lane, review item, message, history or count
 * follows from it. `npm run rules -- shadow` compares the two on the parcels of a period.
 */
export interface ShadowEvaluation {
  ruleSetId: string;
  ruleSetVersion: string;
  score: number;
  lane: Lane;
  firedRuleIds: string[];
}

/** What a decision keeps of the shadow's evaluation: enough to compare lanes and rules, no reasons. */
export const shadowOf = (evaluation: Evaluation): ShadowEvaluation => ({
  ruleSetId: evaluation.ruleSetId,
  ruleSetVersion: evaluation.ruleSetVersion,
  score: evaluation.score,
  lane: evaluation.lane,
  firedRuleIds: evaluation.firedRules.map((rule) => rule.ruleId),
});

/**
 * The shadow's evaluation of these facts and the marks the parcel makes on its tallies (counted beside
 * the live set's, so that its rules read them), or the reason it has neither: a shadow that fails on a
 * parcel is that parcel's missing comparison and marks, never its screening's failure.
 */
export const evaluateInShadow = (
  shadow: ScreeningPolicy,
  facts: ScreeningFacts,
): { shadow: ShadowEvaluation; tallyMarks: TallyMark[] } | { failure: string } => {
  try {
    return { shadow: shadowOf(shadow.evaluate(facts)), tallyMarks: shadow.tallyMarks(facts) };
  } catch (error) {
    return { failure: error instanceof Error ? error.message : String(error) };
  }
};
