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
  /** `received` until every parcel is on the screening queue, then `queued`. */
  status: 'received' | 'queued';
}

/** Port: accepted manifests, one per partner and manifest id. */
export interface ManifestStore {
  /** Stores a new manifest; returns the already stored one instead when the id was taken. */
  createOrGet(
    record: ManifestRecord,
  ): Promise<{ created: true } | { created: false; existing: ManifestRecord }>;
  markQueued(partnerId: string, manifestId: string): Promise<void>;
  /** Removes a manifest that was refused after it was stored (only the version with this body hash). */
  forget(partnerId: string, manifestId: string, bodyHash: string): Promise<void>;
  get(partnerId: string, manifestId: string): Promise<ManifestRecord | undefined>;
}
