/** One manifest's screening in one region, as several messages (parts). */
export interface ManifestInRegion {
  region: string;
  partnerId: string;
  manifestId: string;
  /** When ingest received this delivery of it: a manifest id may be delivered again once its records expire. */
  receivedAt: string;
}

/**
 * Port: which parts of a manifest have been screened. Screen marks a part once its decisions are recorded;
 * the answer says whether every part now is, so the part that completes the manifest records the party
 * history of all its parcels. Marking a part again changes nothing.
 */
export interface ManifestParts {
  /** Marks part `index` of `of` screened; true when every part is. */
  markScreened(manifest: ManifestInRegion, index: number, of: number): Promise<boolean>;
}
