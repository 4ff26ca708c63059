import type { ManifestReceipt } from '../../events/manifest-receipt-v1.js';
import { DeliveryInProgressError } from '../platform/errors.js';
import type { ManifestRecord } from '../ports/manifest-store.js';
import type { AcceptManifestDeps } from './accept-manifest.js';
import { receiptOf } from './receipts.js';
import { TOMBSTONE_QUIET_SECONDS } from './tombstones.js';

/**
 * Refuses this version of the manifest and removes what it stored; when a concurrent delivery moved the
 * record first, returns it as `afterLostRace` does. The record stays, `refused`, as a tombstone.
 */
export const refuse = async (
  deps: AcceptManifestDeps,
  record: ManifestRecord,
  now: Date,
): Promise<ManifestRecord | undefined> => {
  const refusedAt = now.toISOString();
  if (!(await deps.manifests.markRefused(record, refusedAt))) {
    return afterLostRace(deps, record);
  }
  await deps.parcels.removeAll(record, record.parcelIds);
  return undefined;
};

/**
 * A concurrent delivery of the manifest moved its record first. Refused: remove what this delivery
 * stored, which may have landed after the refuser's cleanup, and return nothing. Otherwise return the
 * record as stored, untouched: being or already handed over, or another version's.
 */
export const afterLostRace = async (
  deps: AcceptManifestDeps,
  record: ManifestRecord,
): Promise<ManifestRecord | undefined> => {
  const now = await deps.manifests.get(record.partnerId, record.manifestId, record.receivedAt);
  if (now && !(now.bodyHash === record.bodyHash && now.status === 'refused')) return now;
  await deps.parcels.removeAll(record, record.parcelIds);
  return undefined;
};

/**
 * A delivery that lost a race answers as the winner will: 202 once queued, else "send it again": soon
 * while the winner is still handing over, once the tombstone is quiet when the winner refused this version.
 */
export const answerAfterLostRace = (
  stored: ManifestRecord | undefined,
  record: ManifestRecord,
): ManifestReceipt => {
  if (stored?.bodyHash === record.bodyHash && stored.status === 'queued') return receiptOf(stored);
  throw concurrentDelivery(record, stored === undefined ? TOMBSTONE_QUIET_SECONDS : undefined);
};

/** "Send it again": in `retryAfterSeconds` when the wait is known, else after the edge's default. */
export const concurrentDelivery = (record: ManifestRecord, retryAfterSeconds?: number) =>
  new DeliveryInProgressError(
    `another delivery of manifest ${record.manifestId} is being handled, or an earlier version of it taken back, at this moment; send it again after retry-after`,
    undefined,
    retryAfterSeconds,
  );
