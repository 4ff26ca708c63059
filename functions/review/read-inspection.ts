import { covers } from '../core/access/offices.js';
import type { StaffPrincipal } from '../core/access/roles.js';
import type { ReviewDeps } from './review-deps.js';
import { notInYourQueues } from './run-case-action.js';
import { inspectionView } from './views.js';

/**
 * GET /v1/inspections/{partnerId}/{parcelId}: one flagged parcel, by partner and house document number,
 * as the queue lists it (open, claimed or closed), for an officer at the dock with the parcel in hand.
 * Scoped as an action on it: a parcel outside the caller's offices answers the same 404 as one that is
 * not flagged (or whose records expired).
 */
export const makeReadInspection =
  (deps: Pick<ReviewDeps, 'reviewQueue' | 'decisions' | 'offices' | 'clock'>) =>
  async (principal: StaffPrincipal, parcelKey: string) => {
    const now = deps.clock.now().toISOString();
    const item = await deps.reviewQueue.get(parcelKey, now);
    if (!item || !covers(deps.offices, principal.offices, item.inspectionOffice)) {
      throw notInYourQueues(parcelKey);
    }
    const decisions = await deps.decisions.getMany([parcelKey]);
    return inspectionView(item, decisions.get(parcelKey), now);
  };
