import type { Parcel } from '../../events/manifest-v1.js';

export interface ParcelRecord {
  partnerId: string;
  manifestId: string;
  /** The region of the parcel's inspection office, which screens it. */
  region: string;
  receivedAt: string;
  parcel: Parcel;
}

/**
 * Port: parcels as delivered. Writes are idempotent (the same parcel of the same manifest stored twice is
 * stored once); a parcel id another manifest holds is refused with a ConflictError, never overwritten.
 */
export interface ParcelStore {
  putAll(records: ParcelRecord[]): Promise<void>;
  /** Removes these parcels of a refused manifest (those another manifest holds stay as they are). */
  removeAll(partnerId: string, manifestId: string, parcelIds: string[]): Promise<void>;
  /** The manifest each of these parcel ids was already delivered in (ids never delivered are absent). */
  manifestsOf(partnerId: string, parcelIds: string[]): Promise<Map<string, string>>;
  listByManifest(partnerId: string, manifestId: string): Promise<ParcelRecord[]>;
}
