import type { Parcel } from '../../events/manifest-v1.js';

export interface ParcelRecord {
  partnerId: string;
  manifestId: string;
  region: string;
  receivedAt: string;
  parcel: Parcel;
}

/** Port: parcels as delivered. Writes are idempotent: the same parcel stored twice is stored once. */
export interface ParcelStore {
  putAll(records: ParcelRecord[]): Promise<void>;
  listByManifest(partnerId: string, manifestId: string): Promise<ParcelRecord[]>;
}
