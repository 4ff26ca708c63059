import type { ManifestReceipt } from '../../events/manifest-receipt-v1.js';
import type { Manifest } from '../../events/manifest-v1.js';
import { forEachLimited } from '../platform/concurrency.js';
import { ConflictError } from '../platform/errors.js';
import type { ManifestRecord } from '../ports/manifest-store.js';
import type { AcceptManifestDeps } from './accept-manifest.js';
import { answerAfterLostRace, refuse } from './refusals.js';
import { isAbandoned, isQuiet, refusedSince, secondsUntilQuiet } from './tombstones.js';

/** How many reused parcel ids a 409 lists (the count is always given). */
const MAX_REUSED_LISTED = 20;

/**
 * A parcel id (the partner's house document number) names one parcel: screening keeps one decision per
 * id, so a later manifest reusing an id would get the first parcel's decision without being screened.
 * Until the parcel's record expires, 400 days on: the id is free again, and the earlier parcel's decision
 * no longer counts for a parcel delivered under it (DecisionStore).
 */
export const refuseReusedParcelIds = async (
  deps: AcceptManifestDeps,
  manifest: Manifest,
  bodyHash: string,
  now: Date,
): Promise<ManifestReceipt | undefined> => {
  const ids = manifest.parcels.map((parcel) => parcel.parcelId);
  // As of this delivery's receipt: an id whose parcel's record had expired by then is free again.
  const at = now.toISOString();
  let owners = await deps.parcels.manifestsOf(manifest.partnerId, ids, at);
  let reused = heldByOthers(ids, owners, manifest.manifestId);
  if (reused.length === 0) return undefined;
  if (await freeIdsOfUnacceptedManifests(deps, manifest.partnerId, reused, owners, now)) {
    owners = await deps.parcels.manifestsOf(manifest.partnerId, ids, at);
    reused = heldByOthers(ids, owners, manifest.manifestId);
    if (reused.length === 0) return undefined;
  }
  // An earlier delivery of these bytes may have stored some parcels before the conflict and never cleaned
  // up (it crashed, or its cleanup failed): left alone, those parcels would stay taken for ever.
  const earlier = await deps.manifests.get(manifest.partnerId, manifest.manifestId, at);
  let refusedAt: string | undefined;
  if (earlier?.bodyHash === bodyHash) {
    // The ids were read before: a delivery of these very bytes may have been accepted since.
    const handedOver = await refuse(deps, earlier, now);
    if (handedOver?.bodyHash === bodyHash) return answerAfterLostRace(handedOver, earlier);
    refusedAt = at;
  }
  throw await reusedParcelIdsConflict(deps, manifest.partnerId, reused, owners, at, now, refusedAt);
};

/** The ids, in their order, that `owners` gives to a manifest other than `manifestId`. */
export const heldByOthers = (
  ids: readonly string[],
  owners: ReadonlyMap<string, string>,
  manifestId: string,
) => ids.filter((id) => (owners.get(id) ?? manifestId) !== manifestId);

/**
 * The 409 for parcel ids other manifests hold (`reused`, read as `owners` as of `at`): the first
 * MAX_REUSED_LISTED listed with the manifest holding each, and a detail that counts them all and says, by
 * what became of each holder, what the partner can do. Only an accepted manifest (or one whose record is
 * gone) has delivered its parcels; the ids of a manifest that got no 202 are not delivered, and are
 * either completed by its same bytes or, once it is quiet, given to the next manifest sent with them
 * (`freeIdsOfUnacceptedManifests`), except those of a hand-over that started: they stay with it. When
 * this manifest was refused here (`refusedAt`), a wait it is told also lets its own tombstone turn quiet.
 */
export const reusedParcelIdsConflict = async (
  deps: AcceptManifestDeps,
  partnerId: string,
  reused: readonly string[],
  owners: ReadonlyMap<string, string>,
  at: string,
  now: Date,
  refusedAt?: string,
): Promise<ConflictError> => {
  const ownTombstone = refusedAt === undefined ? [] : [refusedAt];
  // In the order the manifest first names them, read a few at a time (a manifest's ids may span many).
  const holders = new Map<string, ManifestRecord | undefined>(
    reused.map((id) => [owners.get(id)!, undefined]),
  );
  await forEachLimited([...holders.keys()], HOLDER_READS, async (manifestId) => {
    holders.set(manifestId, await deps.manifests.get(partnerId, manifestId, at));
  });
  const heldBy = (status: ManifestRecord['status']) => {
    const records = [...holders.values()].filter(
      (holder): holder is ManifestRecord => holder?.status === status,
    );
    const names = new Set(records.map((holder) => holder.manifestId));
    return { records, count: reused.filter((id) => names.has(owners.get(id)!)).length };
  };
  const unfinished = heldBy('received');
  const handingOver = heldBy('sending');
  const refused = heldBy('refused');
  const delivered = reused.length - unfinished.count - handingOver.count - refused.count;
  const parts: string[] = [];
  if (delivered > 0) {
    parts.push(
      `${delivered} parcel id(s) were already delivered in another manifest; a parcel id names one parcel, so send new parcels under new ids`,
    );
  }
  if (unfinished.count > 0) {
    const { named, them, their, was } = manifestsNamed(unfinished.records);
    const wait = secondsUntilQuiet(
      [...unfinished.records.map((holder) => holder.receivedAt), ...ownTombstone],
      now,
    );
    parts.push(
      `${unfinished.count} parcel id(s) are held by ${named}, which ${was} not accepted (no delivery of ${them} got a 202), so they are not delivered: post ${their} same bytes again to complete ${them}, or post this manifest again in ${wait} s to send them in this one instead, which refuses ${them} if not accepted by then`,
    );
  }
  if (handingOver.count > 0) {
    const { named, them, their, was } = manifestsNamed(handingOver.records);
    parts.push(
      `${handingOver.count} parcel id(s) are held by ${named}, which ${was} not accepted: ${their} hand-over to screening started and has not finished, and some of ${their} parcels may be screened already, so the ids stay with ${them}: post ${their} same bytes again to complete ${them}`,
    );
  }
  if (refused.count > 0) {
    const { named, was } = manifestsNamed(refused.records);
    const wait = secondsUntilQuiet([...refused.records.map(refusedSince), ...ownTombstone], now);
    parts.push(
      `${refused.count} parcel id(s) are held by ${named}, which ${was} refused, so they are not delivered: post this manifest again in ${wait} s, when they are free again`,
    );
  }
  return new ConflictError(
    parts.length === 1
      ? parts[0]!
      : `${reused.length} parcel id(s) are held by other manifests. ${parts.join('. ')}`,
    {
      details: {
        reusedParcels: reused
          .slice(0, MAX_REUSED_LISTED)
          .map((parcelId) => ({ parcelId, manifestId: owners.get(parcelId) })),
      },
    },
  );
};

/** How many holders of reused ids a 409 reads at once. */
const HOLDER_READS = 16;

/** How many manifests a 409's detail names; it counts the others. */
const MAX_HOLDERS_NAMED = 3;

/** "manifest A", "manifests A and B", "manifests A, B, C and 2 more", with the pronouns that go with it. */
const manifestsNamed = (holders: readonly ManifestRecord[]) => {
  const ids = holders.map((holder) => holder.manifestId);
  if (ids.length === 1) return { named: `manifest ${ids[0]}`, them: 'it', their: 'its', was: 'was' };
  const shown = ids.slice(0, MAX_HOLDERS_NAMED);
  const named =
    ids.length > MAX_HOLDERS_NAMED
      ? `manifests ${shown.join(', ')} and ${ids.length - MAX_HOLDERS_NAMED} more`
      : `manifests ${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
  return { named, them: 'them', their: 'their', was: 'were' };
};

/**
 * Gives back the ids held by other manifests that were never accepted and that no delivery can still be
 * storing: a version still `received` long after any delivery of it could run (it got no 202: the
 * partner may well send its parcels in another manifest), refused as a changed resend would refuse it,
 * and a refusal's tombstone whose cleanup was cut short. Left alone, they would hold the ids until
 * retention expires them. True when any was given back.
 */
const freeIdsOfUnacceptedManifests = async (
  deps: AcceptManifestDeps,
  partnerId: string,
  reused: readonly string[],
  owners: ReadonlyMap<string, string>,
  now: Date,
): Promise<boolean> => {
  let freed = false;
  for (const manifestId of new Set(reused.map((id) => owners.get(id)!))) {
    const owner = await deps.manifests.get(partnerId, manifestId, now.toISOString());
    if (owner?.status === 'received' && isAbandoned(owner, now)) {
      // Fenced: a hand-over that started meanwhile keeps its parcels.
      freed = (await refuse(deps, owner, now)) === undefined || freed;
    } else if (owner?.status === 'refused' && isQuiet(owner, now)) {
      await deps.parcels.removeAll(owner, owner.parcelIds);
      freed = true;
    }
  }
  return freed;
};
