import { ancestorsOf, type OfficeTree } from '../core/access/offices.js';
import type { StaffPrincipal } from '../core/access/roles.js';
import { ForbiddenError, ValidationError } from './errors.js';

/**
 * Which region's data a member of staff may read through the party links and rule statistics APIs.
 * Party history and rule statistics are per region (tenant), and staff belong to the regions their office grants lie in: a grant at a region,
 * a city or an inspection office belongs to the region at the top of its branch of the hierarchy
 * (rules/reference/offices.yaml). Officers and analysts alike read only those regions; an officer of
 * `wuzhou-customs` reads yunnan-guangxi, an analyst granted at both regions reads either.
 */

/** The regions the principal's grants lie in, sorted; grants naming no office are ignored. */
export const regionsOfPrincipal = (tree: OfficeTree, principal: StaffPrincipal): string[] =>
  [
    ...new Set(
      principal.offices.flatMap((grant) => {
        const region = ancestorsOf(tree, grant).at(-1);
        return region === undefined ? [] : [region];
      }),
    ),
  ].sort();

/**
 * The region to read: the one asked for, if the principal's grants lie in it (403 otherwise), or the
 * principal's only region when none is asked for (422 when the principal has several).
 */
export const readableRegion = (tree: OfficeTree, principal: StaffPrincipal, requested?: string): string => {
  const regions = regionsOfPrincipal(tree, principal);
  if (requested !== undefined) {
    if (!regions.includes(requested)) {
      throw new ForbiddenError(`your access does not cover region ${requested}`);
    }
    return requested;
  }
  if (regions.length === 1) return regions[0]!;
  if (regions.length === 0) throw new ForbiddenError('your access covers no region');
  throw new ValidationError('name the region to read', [
    { path: 'region', message: `your access covers several regions: ${regions.join(', ')}` },
  ]);
};
