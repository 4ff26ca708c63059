import type { PartyKeys } from '../core/parties/party-keys.js';
import { activeLease, viewStatus } from '../core/review/case-transitions.js';
import type { DecisionRecord } from '../ports/decision-store.js';
import type { ReviewItem } from '../ports/review-queue.js';

/** The keys of the parties that keep a history of their own, as `GET /v1/parties/{key}/links` reads them. */
const partyKeysOf = ({ consigneeName: _name, ...parties }: PartyKeys): Omit<PartyKeys, 'consigneeName'> =>
  parties;

/** A parcel's place in the review workflow, as staff see it after an action. */
export const caseView = (item: ReviewItem, now: string) => {
  const lease = activeLease(item, now);
  return {
    parcelKey: item.parcelKey,
    partnerId: item.partnerId,
    parcelId: item.parcelId,
    manifestId: item.manifestId,
    inspectionOffice: item.inspectionOffice,
    /** The region whose history screened the parcel (its office's): where its parties' links are read. */
    region: item.region,
    status: viewStatus(item, now),
    ...(lease ? { lease: { heldBy: lease.holderName, claimedAt: lease.claimedAt, until: lease.until } } : {}),
    ...(item.outcome
      ? {
          outcome: {
            ...item.outcome.finding,
            recordedBy: item.outcome.recordedByName,
            recordedAt: item.outcome.recordedAt,
          },
        }
      : {}),
    ...(item.corrections?.length
      ? {
          corrections: item.corrections.length,
          /**
           * Each admin correction, oldest first: the finding it replaced, who recorded that and when (on
           * corrections stored before that was kept, the audit log alone says), what it recorded and why.
           */
          correctionHistory: item.corrections.map((correction) => ({
            from: correction.from,
            ...(correction.fromRecordedByName === undefined
              ? {}
              : { fromRecordedBy: correction.fromRecordedByName, fromRecordedAt: correction.fromRecordedAt }),
            to: correction.to,
            reason: correction.reason,
            correctedBy: correction.correctedByName,
            correctedAt: correction.correctedAt,
          })),
        }
      : {}),
  };
};

/**
 * Whether a stored decision is the one a review item was made from. A parcel id is free again once its
 * parcel's records expire, which can be before its review item's (a parcel screened days after it was
 * received, from a dead-letter queue): the decision stored under the key may then be another delivery's,
 * whose parcel (another consignee, perhaps another office's) the case must not show.
 */
export const decisionOfItem = (
  item: ReviewItem,
  decision: DecisionRecord | undefined,
): DecisionRecord | undefined =>
  decision !== undefined && decision.manifestId === item.manifestId && decision.decidedAt === item.flaggedAt
    ? decision
    : undefined;

/**
 * One queue entry: the case, the decision with every fired rule's reason and values, and, from the
 * stored decision it was made from (when it is still there), the parcel and the consignee's history.
 */
export const inspectionView = (item: ReviewItem, stored: DecisionRecord | undefined, now: string) => {
  const decision = decisionOfItem(item, stored);
  return {
    ...caseView(item, now),
    decision: {
      score: item.score,
      lane: item.lane,
      /** Held at random for inspection: the rules released it (their reasons, if any, are below). */
      ...(item.controlSample === true ? { controlSample: true } : {}),
      ruleSetVersion: item.ruleSetVersion,
      decidedAt: item.flaggedAt,
      firedRules: item.firedRules.map(({ ruleId, title, score, lane, reason, values }) => ({
        ruleId,
        title,
        score,
        ...(lane ? { lane } : {}),
        reason,
        values,
      })),
    },
    route: item.route,
    goodsSummary: item.goodsSummary,
    /**
     * The parties' hashed keys (no personal data), each one `GET /v1/parties/{key}/links` takes. Not the
     * consignee's name key: a name is counted per phone, never a party of its own, so the links route
     * refuses it, and it would only tell staff which parcels share a name.
     */
    partyKeys: partyKeysOf(item.partyKeys),
    ...(decision
      ? {
          parcel: decision.facts.parcel,
          /** The consignee's history as the parcel was screened with it (the decision's fact snapshot). */
          consigneeHistory: decision.facts.history.consignee,
          sharedSeizures: decision.facts.history.sharedSeizures,
        }
      : {}),
  };
};
