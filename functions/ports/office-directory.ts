import type { OfficeTree } from '../core/access/offices.js';

/** Port: the inspection office hierarchy, loaded once at cold start. */
export interface OfficeDirectory {
  load(): OfficeTree;
}
