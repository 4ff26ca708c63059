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
  /** The manifest each of these parcel ids was already delivered in (ids never delivered are absent). */
  manifestsOf(partnerId: string, parcelIds: string[]): Promise<Map<string, string>>;
  listByManifest(partnerId: string, manifestId: string): Promise<ParcelRecord[]>;
}
