import type { Evaluation, ScreeningPolicy } from './decision.js';
import type { ScreeningFacts } from './facts.js';
import type { Lane } from './lane.js';

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
 * The shadow's evaluation of these facts, or the reason it has none: a shadow that fails on a parcel
 * is that parcel's missing comparison, never its screening's failure.
 */
export const evaluateInShadow = (
  shadow: ScreeningPolicy,
  facts: ScreeningFacts,
): { shadow: ShadowEvaluation } | { failure: string } => {
  try {
    return { shadow: shadowOf(shadow.evaluate(facts)) };
  } catch (error) {
    return { failure: error instanceof Error ? error.message : String(error) };
  }
};
