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

/** Port: accepted manifests, one per partner and manifest id. */
export interface ManifestStore {
  /** Stores a new manifest; returns the already stored one instead when the id was taken. */
  createOrGet(
    record: ManifestRecord,
  ): Promise<{ created: true } | { created: false; existing: ManifestRecord }>;
  /**
   * `received` (or already `sending`: a retry of this very write) → `sending` for the version with this
   * body hash; false when it was refused (or is gone) meanwhile. Taken before anything is sent, so a
   * refusal can never undo a hand-over.
   */
  startHandOver(partnerId: string, manifestId: string, bodyHash: string): Promise<boolean>;
  markQueued(partnerId: string, manifestId: string): Promise<void>;
  /** `received` → `refused` at `refusedAt` for the version with this body hash; false when a hand-over started first. */
  markRefused(partnerId: string, manifestId: string, bodyHash: string, refusedAt: string): Promise<boolean>;
  /** Removes the tombstone of a refused manifest once its parcels are gone (only this body hash's). */
  forget(partnerId: string, manifestId: string, bodyHash: string): Promise<void>;
  get(partnerId: string, manifestId: string): Promise<ManifestRecord | undefined>;
}
