import { LANES, type Lane, laneRank } from '../screening/lane.js';
import { type CompileEnv, report } from './compile-env.js';
import { didYouMean } from './did-you-mean.js';
import type { LaneMapping } from './rule-set-schema.js';

/** Score bands compiled to a lookup: the lane of the last band whose `from` the score reaches. */
export interface CompiledLaneMapping {
  laneFor(score: number): Lane;
  /** The lowest score a band gives `lane`; undefined when no band gives it. */
  floorOf(lane: Lane): number | undefined;
  hardHits: ReadonlyMap<string, Lane>;
}

/**
 * The most severe lane wins, so a forced lane (a rule's `lane`, a hard hit) can only make a decision
 * stricter: one no stricter than the first band's lane (release, the mildest, always) forces nothing.
 */
export const checkForcedLane = (lane: Lane, mapping: LaneMapping, env: CompileEnv, at: string): void => {
  const mildest = mapping.bands[0]?.lane ?? LANES[0];
  if (laneRank(lane) > laneRank(mildest)) return;
  report(
    env,
    at,
    lane === LANES[0]
      ? `a forced lane can only make a decision stricter; ${lane} is the mildest, so it forces nothing`
      : `a forced lane can only make a decision stricter; every score already gets at least ${mildest}, so ${lane} forces nothing`,
  );
};

export const compileLaneMapping = (
  mapping: LaneMapping,
  ruleIds: ReadonlySet<string>,
  env: CompileEnv,
): CompiledLaneMapping => {
  mapping.bands.forEach((band, i) => {
    const previous = mapping.bands[i - 1];
    if (previous === undefined) return;
    if (band.from <= previous.from) {
      report(env, `lanes.bands[${i}].from`, `bands ascend: ${band.from} must be above ${previous.from}`);
    }
    if (laneRank(band.lane) < laneRank(previous.lane)) {
      report(
        env,
        `lanes.bands[${i}].lane`,
        `a higher score cannot map to a milder lane (${band.lane} after ${previous.lane})`,
      );
    }
  });
  const hardHits = new Map<string, Lane>();
  mapping.hardHits.forEach((hit, i) => {
    checkForcedLane(hit.lane, mapping, env, `lanes.hardHits[${i}].lane`);
    if (!ruleIds.has(hit.rule))
      report(env, `lanes.hardHits[${i}].rule`, `unknown rule ${hit.rule}${didYouMean(hit.rule, ruleIds)}`);
    else if (hardHits.has(hit.rule))
      report(env, `lanes.hardHits[${i}].rule`, `rule ${hit.rule} is listed twice`);
    else hardHits.set(hit.rule, hit.lane);
  });
  const froms = mapping.bands.map((band) => band.from);
  const lanes = mapping.bands.map((band) => band.lane);
  return {
    laneFor: (score) => {
      let lane: Lane = lanes[0] ?? LANES[0];
      for (let i = 1; i < froms.length; i++) {
        if (score >= froms[i]!) lane = lanes[i]!;
        else break;
      }
      return lane;
    },
    floorOf: (lane) => mapping.bands.find((band) => band.lane === lane)?.from,
    hardHits,
  };
};
