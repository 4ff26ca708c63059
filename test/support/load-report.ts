/** The fields of a load report that a good run has at 0, empty or false (docs/reliability-and-security.md, Load). */
export const NOTHING_WRONG = {
  refusedManifests: 0,
  unansweredManifests: 0,
  notHandedOver: 0,
  deadLettered: 0,
  deadLetterQueues: {},
  deadLetteredParcels: 0,
  queued: 0,
  lost: 0,
  duplicated: 0,
  miscounted: 0,
  pendingEffects: 0,
  timedOut: false,
} as const;
