import { inspectionOfficesCovered, type OfficeTree } from '../core/access/offices.js';
import type { StaffPrincipal } from '../core/access/roles.js';

export interface CoveredOffice {
  id: string;
  name: string;
}

/**
 * GET /v1/offices: the inspection offices the caller's grants cover, in hierarchy order, the queues the
 * caller may list. A grant at a city or a region is not itself an office with a queue: the console
 * suggests these instead of the raw grants.
 */
export const makeListOffices =
  (offices: OfficeTree) =>
  (principal: StaffPrincipal): { offices: CoveredOffice[] } => ({
    offices: inspectionOfficesCovered(offices, principal.offices).map((id) => ({
      id,
      name: offices.offices.get(id)?.name ?? id,
    })),
  });
