/** What is stored of one accepted manifest (its parcels live in the parcel store). */
export interface ManifestRecord {
  partnerId: string;
  manifestId: string;
  /** The partner's region; each parcel is screened in the region of its inspection office. */
  region: string;
  /** sha256 of the delivered body: a replay must carry the same bytes to get the same answer. */
  bodyHash: string;
  webhookId: string;
  receivedAt: string;
  parcelIds: string[];
  /**
   * `received` while its parcels are being stored; `sending` once every parcel is stored under it and one
   * delivery has started handing them to screening (it can no longer be refused); `queued` when all are on
   * the screening queue. `refused`: a parcel id was taken by another manifest; the record stays as a
   * tombstone, so a delivery that met the record before can still find it and remove what it stored,
   * and a new delivery of the id replaces it only once no such delivery can still run.
   */
  status: 'received' | 'sending' | 'queued' | 'refused';
  /** When it was refused (ISO 8601); set with `refused`. */
  refusedAt?: string;
}

/**
 * One version of a manifest id: the record a delivery created (`receivedAt` is its creation time, reused
 * by every replay of it). A refused version's tombstone may be replaced by a later version of the id.
 */
export type ManifestVersion = Pick<ManifestRecord, 'partnerId' | 'manifestId' | 'receivedAt'>;

/**
 * Port: accepted manifests, one per partner and manifest id. A record expires 400 days after it was
 * received (`RECORD_RETENTION_DAYS`); from then on it counts as absent, whether or not TTL has deleted it
 * yet, and its id is free again.
 */
export interface ManifestStore {
  /**
   * Stores a new manifest; returns the already stored one instead when the id was taken (by a record
   * not expired at this one's `receivedAt`). Throws DeliveryInProgressError when the record that took
   * it keeps vanishing before it can be read (concurrent deliveries replacing a tombstone).
   */
  createOrGet(
    record: ManifestRecord,
  ): Promise<{ created: true } | { created: false; existing: ManifestRecord }>;
  /**
   * `received` (or already `sending`: a retry of this very write) → `sending` for this version (its body
   * hash and `receivedAt`); false when it was refused (or is gone, or replaced) meanwhile. Taken before anything is sent, so a
   * refusal can never undo a hand-over.
   */
  startHandOver(record: ManifestRecord): Promise<boolean>;
  markQueued(partnerId: string, manifestId: string): Promise<void>;
  /** `received` → `refused` at `refusedAt` for this version; false when a hand-over started first. */
  markRefused(record: ManifestRecord, refusedAt: string): Promise<boolean>;
  /** Removes the tombstone of this refused version once its parcels are gone (never a later version's). */
  forget(record: ManifestRecord): Promise<void>;
  /**
   * The record stored under the id; with `at` (ISO 8601), none if it had expired by then. Without `at`,
   * whatever is stored, expired or not (as TTL left it).
   */
  get(partnerId: string, manifestId: string, at?: string): Promise<ManifestRecord | undefined>;
}
