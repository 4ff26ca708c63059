import { FUNCTIONS } from '../../infra/definitions.js';
import type { ManifestRecord } from '../ports/manifest-store.js';
import type { AcceptManifestDeps } from './accept-manifest.js';

/**
 * How long a refusal's tombstone stands before a new delivery of its manifest id may replace it: longer
 * than any delivery that read the record before the refusal can still run (the ingest function's
 * timeout), so none of them stores a parcel after the cleanup that comes with the replacement.
 */
export const TOMBSTONE_QUIET_SECONDS = 3 * FUNCTIONS.ingest.timeoutSeconds;

/** Whether no delivery that met a record at `instant` can still be running at `now`. */
const quietSince = (instant: string, now: Date): boolean =>
  now.getTime() - Date.parse(instant) >= TOMBSTONE_QUIET_SECONDS * 1000;

/** A version still `received` (never handed over) long after any delivery of it could be running. */
export const isAbandoned = (record: ManifestRecord, now: Date): boolean => quietSince(record.receivedAt, now);

/** In how many seconds (at least 1) no delivery that met a record at any of `instants` can still be running. */
export const secondsUntilQuiet = (instants: readonly string[], now: Date): number =>
  Math.max(
    1,
    ...instants.map((instant) =>
      Math.ceil((Date.parse(instant) + TOMBSTONE_QUIET_SECONDS * 1000 - now.getTime()) / 1000),
    ),
  );

export const isQuiet = (tombstone: ManifestRecord, now: Date): boolean =>
  tombstone.refusedAt === undefined || quietSince(tombstone.refusedAt, now);

/** Finishes a quiet tombstone's cleanup (its parcels; those another manifest holds stay), then removes it. */
export const replaceTombstone = async (
  deps: AcceptManifestDeps,
  tombstone: ManifestRecord,
): Promise<void> => {
  await deps.parcels.removeAll(tombstone, tombstone.parcelIds);
  await deps.manifests.forget(tombstone);
};

/** When a refused version's tombstone was made: its refusedAt, else its record's creation. */
export const refusedSince = (tombstone: ManifestRecord): string =>
  tombstone.refusedAt ?? tombstone.receivedAt;

/** In how many seconds a refused version's tombstone is quiet, so that a new version can replace it. */
export const untilQuiet = (tombstone: ManifestRecord, now: Date): number =>
  secondsUntilQuiet([refusedSince(tombstone)], now);
