import type { CaseState, OutcomeCorrection } from './case-transitions.js';

/** A case state as an audit entry holds it: the corrections by count, not whole. */
export type AuditedCaseState = Omit<CaseState, 'corrections'> & {
  corrections?: number;
  /** The correction this entry's action made, whole. */
  correction?: OutcomeCorrection;
};

/**
 * The state an audit entry records before or after an action. Every correction keeps both findings and
 * its reason, so a parcel's corrections in full, written once before and once after on each entry and
 * again in the item's pending copy of it, would pass DynamoDB's 400 KB item limit after a few long
 * ones; each correction's entry holds that correction whole instead, and the entries together hold them
 * all. `before` is the state the action started from, given for the state after it.
 */
export const auditedCaseState = (state: CaseState, before?: CaseState): AuditedCaseState => {
  const { corrections, ...rest } = state;
  if (corrections === undefined) return rest;
  const made = before !== undefined && corrections.length > (before.corrections?.length ?? 0);
  return {
    ...rest,
    corrections: corrections.length,
    ...(made ? { correction: corrections[corrections.length - 1]! } : {}),
  };
};
