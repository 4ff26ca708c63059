import type { Parcel } from '../../events/manifest-v1.js';
import type { ManifestVersion } from './manifest-store.js';

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
 * A parcel whose record has expired (400 days after its manifest was received: `RECORD_RETENTION_DAYS`)
 * holds its id no more, whether or not TTL has deleted it yet.
 */
export interface ParcelStore {
  putAll(records: ParcelRecord[]): Promise<void>;
  /**
   * Removes these parcels as stored by this version of a refused manifest (its id and `receivedAt`):
   * those another manifest holds, or a later version of the same manifest id, stay as they are.
   */
  removeAll(version: ManifestVersion, parcelIds: string[]): Promise<void>;
  /**
   * The manifest each of these parcel ids was already delivered in, as of `at` (ISO 8601): ids never
   * delivered, or whose parcel's record had expired by then, are absent.
   */
  manifestsOf(partnerId: string, parcelIds: string[], at: string): Promise<Map<string, string>>;
}
