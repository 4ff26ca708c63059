import type { ManifestReceipt } from '../../events/manifest-receipt-v1.js';
import type { Manifest } from '../../events/manifest-v1.js';
import { regionOf } from '../core/access/offices.js';
import { derivePartyKeys } from '../core/parties/party-keys.js';
import { computeManifestFacts } from '../core/screening/manifest-facts.js';
import { ConflictError } from '../platform/errors.js';
import type { ManifestRecord } from '../ports/manifest-store.js';
import type { ParcelRecord } from '../ports/parcel-store.js';
import type { AcceptManifestDeps } from './accept-manifest.js';
import { receiptOf } from './receipts.js';
import { afterLostRace, answerAfterLostRace, concurrentDelivery, refuse } from './refusals.js';
import { heldByOthers, reusedParcelIdsConflict } from './reused-parcel-ids.js';
import { buildRegionalScreeningMessages } from './screening-messages.js';
import { TOMBSTONE_QUIET_SECONDS } from './tombstones.js';

/**
 * Stores the parcels, then hands them to screening. Deliveries of one manifest may run at once (a retry
 * while the first is still running) and each may meet a parcel id taken by another manifest; the record's
 * status fences them: a refusal (`received` → `refused`) and the start of a hand-over (→ `sending`)
 * exclude each other, so no refusal ever removes parcels a delivery was answered 202 for.
 */
export const handOver = async (
  deps: AcceptManifestDeps,
  manifest: Manifest,
  record: ManifestRecord,
): Promise<ManifestReceipt> => {
  // A parcel is screened, and its outcome fed back, in the region of the office that inspects it: that
  // region's officers see the decision and its facts, so its history must be theirs (other regions'
  // reach it only as shared intelligence, under an agreement).
  const regions = manifest.parcels.map((parcel) => regionOf(deps.offices, parcel.route.inspectionOffice)!);
  const parcels: ParcelRecord[] = manifest.parcels.map((parcel, index) => ({
    partnerId: record.partnerId,
    manifestId: record.manifestId,
    region: regions[index]!,
    receivedAt: record.receivedAt,
    parcel,
  }));
  try {
    await deps.parcels.putAll(parcels);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // A parcel id went to another manifest delivered at the same moment: this one is refused whole,
    // unless it came first and the other is giving its ids back, or a concurrent delivery of it stored
    // every parcel first and is already handing them over.
    if (!(await takeBackFromLaterRivals(deps, record, parcels))) {
      // Answered as a conflict met at the first read is: the holders are read before the refusal's
      // cleanup, while they still hold the ids (the conflict itself says only which ids failed), and
      // again after it, as a rival that was still storing its parcels holds more of them by then. The
      // answer names every id either read found held by another manifest, so one rename settles them.
      const ids = record.parcelIds;
      const owners = await deps.parcels.manifestsOf(record.partnerId, ids, record.receivedAt);
      const now = deps.clock.now();
      const other = await refuse(deps, record, now);
      if (other?.bodyHash === record.bodyHash) return answerAfterLostRace(other, record);
      const later = await deps.parcels.manifestsOf(record.partnerId, ids, record.receivedAt);
      for (const [id, holder] of later) {
        if ((owners.get(id) ?? record.manifestId) === record.manifestId) owners.set(id, holder);
      }
      const reused = heldByOthers(ids, owners, record.manifestId);
      // Whoever took the ids gave them back meanwhile: nothing to name, so "send it again", as after
      // any lost race (its tombstone answers so until it is quiet).
      if (reused.length === 0) throw concurrentDelivery(record, TOMBSTONE_QUIET_SECONDS);
      const { partnerId, receivedAt } = record;
      throw await reusedParcelIdsConflict(
        deps,
        partnerId,
        reused,
        owners,
        receivedAt,
        now,
        now.toISOString(),
      );
    }
  }
  if (!(await deps.manifests.startHandOver(record))) {
    return answerAfterLostRace(await afterLostRace(deps, record), record);
  }
  const partyKeys = manifest.parcels.map((parcel) => derivePartyKeys(parcel, deps.partyKeySalt));
  const manifestFacts = computeManifestFacts(manifest, partyKeys);
  await deps.screeningQueue.send(
    buildRegionalScreeningMessages(
      manifest,
      record.receivedAt,
      manifest.parcels.map((parcel, index) => ({
        region: regions[index]!,
        item: { parcel, partyKeys: partyKeys[index]!, manifestFacts: manifestFacts[index]! },
      })),
    ),
  );
  await deps.manifests.markQueued(record.partnerId, record.manifestId);
  return receiptOf(record);
};

/** How often, and how long apart, a manifest that came first looks again for ids a later rival gives back. */
const RIVAL_CHECKS = 15;
const RIVAL_PAUSE_MS = 100;
const pause = () => new Promise((resolve) => setTimeout(resolve, RIVAL_PAUSE_MS));

/** Which of two manifests received at the same moment came first: the earlier receipt, then the id. */
const cameFirst = (a: ManifestRecord, b: ManifestRecord): boolean =>
  a.receivedAt < b.receivedAt || (a.receivedAt === b.receivedAt && a.manifestId < b.manifestId);

/**
 * Two manifests sharing several parcel ids, stored at once, can each take some of them; refused whole
 * on any conflict, both would be. Instead the one that came first waits while every other holder of its
 * ids is a later manifest still being received (which meets this one's ids, and refuses itself) or a
 * refused one (cleaning up), then takes the ids back. True once it holds all its parcels; false, to be
 * refused, when a holder came first or was accepted, or the ids are not given back in time.
 */
const takeBackFromLaterRivals = async (
  deps: AcceptManifestDeps,
  record: ManifestRecord,
  parcels: ParcelRecord[],
): Promise<boolean> => {
  const ids = parcels.map((parcel) => parcel.parcel.parcelId);
  for (let check = 0; check < RIVAL_CHECKS; check++) {
    const owners = await deps.parcels.manifestsOf(record.partnerId, ids, record.receivedAt);
    const rivals = new Set([...owners.values()].filter((owner) => owner !== record.manifestId));
    if (rivals.size === 0) {
      try {
        await deps.parcels.putAll(parcels);
        return true;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        continue;
      }
    }
    for (const rival of rivals) {
      const other = await deps.manifests.get(record.partnerId, rival, record.receivedAt);
      // A refused rival is giving its ids back; one still being received gives them back when it meets
      // this manifest's. Any other holder keeps them.
      if (other?.status === 'refused') continue;
      if (other?.status !== 'received' || !cameFirst(record, other)) return false;
    }
    await pause();
  }
  return false;
};
