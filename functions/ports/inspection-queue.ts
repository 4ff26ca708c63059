import type { ParcelFlagged } from '../../events/parcel-flagged-v1.js';

/** Port: tells the inspection systems downstream about flagged parcels. */
export interface InspectionQueue {
  send(messages: ParcelFlagged[]): Promise<void>;
}
