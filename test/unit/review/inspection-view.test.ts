import { describe, expect, it } from 'vitest';
import { emptyHistoryFacts } from '../../../functions/core/screening/facts.js';
import type { DecisionRecord } from '../../../functions/ports/decision-store.js';
import { inspectionView } from '../../../functions/review/views.js';
import { aFlaggedItem, aParcel } from '../../support/factories.js';

const ITEM = aFlaggedItem('SWF7781000123', { consignee: 'cn_1', shipper: 'sh_1', phone: 'ph_1' });

/** The decision stored under the item's parcel key: of this delivery by default, another's with overrides. */
const storedDecision = (overrides: Partial<DecisionRecord> = {}): DecisionRecord => {
  const parcel = aParcel({ parcelId: ITEM.parcelId });
  return {
    ruleSetId: 'default',
    ruleSetVersion: ITEM.ruleSetVersion,
    score: ITEM.score,
    lane: ITEM.lane,
    firedRules: [],
    parcelKey: ITEM.parcelKey,
    partnerId: ITEM.partnerId,
    manifestId: ITEM.manifestId,
    parcelId: ITEM.parcelId,
    region: ITEM.region,
    inspectionOffice: ITEM.inspectionOffice,
    referralId: 'ref_1',
    decidedAt: ITEM.flaggedAt,
    facts: { parcel, history: emptyHistoryFacts(), now: ITEM.flaggedAt } as DecisionRecord['facts'],
    ...overrides,
  };
};

describe('a case as the review API shows it', () => {
  it('shows the parcel and history of the decision it was made from', () => {
    // Act
    const view = inspectionView(ITEM, storedDecision(), '2026-11-28T09:00:00.000Z');

    // Assess
    expect(view.parcel?.parcelId).toBe(ITEM.parcelId);
    expect(view.consigneeHistory).toEqual(emptyHistoryFacts().consignee);
    expect(view.sharedSeizures).toBe(0);
  });

  it.each([
    ['another manifest', { manifestId: 'SWF-20271201-0007' }],
    ['the same manifest id decided at another time', { decidedAt: '2027-12-01T10:00:00.000Z' }],
  ])(
    'shows no parcel or history from a decision of another delivery of its parcel id (%s)',
    (_name, other) => {
      // Prepare: the id was free again and reused; the new parcel goes to another office
      const later = storedDecision({ ...other, inspectionOffice: 'guangzhou-customs', region: 'guangdong' });

      // Act
      const view = inspectionView(ITEM, later, '2027-12-01T10:01:00.000Z');

      // Assess: the case itself, from its own item; nothing of the other delivery
      expect(view).toMatchObject({ parcelId: ITEM.parcelId, decision: { score: ITEM.score } });
      expect(view).not.toHaveProperty('parcel');
      expect(view).not.toHaveProperty('consigneeHistory');
      expect(view).not.toHaveProperty('sharedSeizures');
    },
  );
});
