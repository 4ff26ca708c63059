/** What happens to a parcel, from least to most severe. */
export const LANES = ['release', 'review', 'hold', 'do-not-load'] as const;
export type Lane = (typeof LANES)[number];

export const laneRank = (lane: Lane): number => LANES.indexOf(lane);

export const mostSevere = (a: Lane, b: Lane): Lane => (laneRank(a) >= laneRank(b) ? a : b);

/** A parcel is flagged when its lane is anything but release. */
export const isFlagged = (lane: Lane): boolean => lane !== 'release';

/** What a partner may be told: never the reasons, and review is an internal lane the partner sees as release. */
export type PartnerLane = 'release' | 'hold' | 'do-not-load';
export const partnerLane = (lane: Lane): PartnerLane => (lane === 'review' ? 'release' : lane);
