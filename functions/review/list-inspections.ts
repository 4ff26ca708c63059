import { REVIEW_SETTINGS } from '../../infra/definitions.js';
import { inspectionOfficesCovered, isInspectionOffice } from '../core/access/offices.js';
import type { StaffPrincipal } from '../core/access/roles.js';
import { ValidationError } from '../platform/errors.js';
import { requireOfficeAccess } from '../platform/staff-auth.js';
import type { ReviewStatus } from '../ports/review-queue.js';
import type { ReviewDeps } from './review-deps.js';
import { inspectionView } from './views.js';

/** The most items a page of the queue holds (`limit`); without `limit`, the deployment's page size. */
export const MAX_PAGE_SIZE = REVIEW_SETTINGS.listPageSize.max;

export interface ListInspectionsQuery {
  office: string;
  status: ReviewStatus;
  cursor?: string;
  /** Items on the page, 1 to MAX_PAGE_SIZE. */
  limit?: number;
  /** Only the parcels under a live lease of this staff subject (the caller's own: `claimedBy=me`). */
  claimedBy?: string;
}

/**
 * GET /v1/inspections: one inspection office's queue, highest priority first, a page at a time. The
 * office must be an inspection office the caller's access covers (granted there or at a node above).
 */
export const makeListInspections =
  (deps: ReviewDeps) => async (principal: StaffPrincipal, query: ListInspectionsQuery) => {
    if (!isInspectionOffice(deps.offices, query.office)) {
      const choices = inspectionOfficesCovered(deps.offices, principal.offices);
      throw new ValidationError(`${query.office} is not an inspection office`, [
        {
          path: 'office',
          message: `choose one of: ${choices.join(', ') || '(none: your access covers no office)'}`,
        },
      ]);
    }
    requireOfficeAccess(deps.offices, principal, query.office);
    const now = deps.clock.now().toISOString();
    const page = await deps.reviewQueue.list(query.office, query.status, {
      limit: query.limit ?? deps.pageSize,
      now,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.claimedBy ? { claimedBy: query.claimedBy } : {}),
    });
    const decisions = await deps.decisions.getMany(page.items.map((item) => item.parcelKey));
    return {
      office: query.office,
      status: query.status,
      items: page.items.map((item) => inspectionView(item, decisions.get(item.parcelKey), now)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  };
