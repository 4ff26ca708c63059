import { createHash } from 'node:crypto';
import { parseJsonText } from '../../events/input-issues.js';
import { jsonNestingDepth } from '../../events/json-limits.js';
import type { ManifestReceipt } from '../../events/manifest-receipt-v1.js';
import type { Manifest } from '../../events/manifest-v1.js';
import { parseManifest } from '../../events/parse-manifest.js';
import { FUNCTIONS } from '../../infra/definitions.js';
import { isInspectionOffice, type OfficeTree, regionOf } from '../core/access/offices.js';
import { derivePartyKeys } from '../core/parties/party-keys.js';
import { computeManifestFacts } from '../core/screening/manifest-facts.js';
import { missingWebhookHeaders, type WebhookHeaders } from '../core/webhooks/standard-webhooks.js';
import { forEachLimited } from '../platform/concurrency.js';
import {
  ConflictError,
  DeliveryInProgressError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationError,
} from '../platform/errors.js';
import { authenticatePartner, rejectionDetail } from '../platform/partner-auth.js';
import { countPartnerRequest } from '../platform/partner-rate.js';
import type { Clock } from '../ports/clock.js';
import type { ManifestRecord, ManifestStore } from '../ports/manifest-store.js';
import type { ParcelRecord, ParcelStore } from '../ports/parcel-store.js';
import type { PartnerDirectory } from '../ports/partner-directory.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { ScreeningQueue } from '../ports/screening-queue.js';
import type { WebhookDeliveryLog } from '../ports/webhook-delivery-log.js';
import { buildRegionalScreeningMessages, oversizedParcel } from './screening-messages.js';

export interface AcceptManifestDeps {
  partners: PartnerDirectory;
  manifests: ManifestStore;
  parcels: ParcelStore;
  screeningQueue: ScreeningQueue;
  deliveries: WebhookDeliveryLog;
  rateLimiter: RateLimiter;
  clock: Clock;
  /** The inspection office hierarchy: parcels must be routed to one of its offices or checkpoints. */
  offices: OfficeTree;
  partyKeySalt: string;
  signatureToleranceSeconds: number;
  limits: { maxParcelsPerManifest: number; maxJsonDepth: number };
}

export interface SignedDelivery {
  headers: WebhookHeaders;
  body: string;
}

/** How many reused parcel ids a 409 lists (the count is always given). */
const MAX_REUSED_LISTED = 20;

/** What the partner is told: the same answer for the first delivery and every replay of it. */
const receiptOf = (record: ManifestRecord): ManifestReceipt => ({
  manifestId: record.manifestId,
  partnerId: record.partnerId,
  parcelCount: record.parcelIds.length,
  receivedAt: record.receivedAt,
  status: 'accepted',
});

/** What a manifest's signature signs, as a refusal names it. */
const MANIFEST_PAYLOAD = '<body>';

/**
 * Accepts one signed manifest delivery: authenticate, validate, store, hand every parcel to screening.
 * A replay (same partner, same manifest id, same bytes) gets the first answer and resumes any step a
 * crash interrupted; screening is idempotent per parcel, so nothing is screened twice in effect.
 */
export const makeAcceptManifest =
  (deps: AcceptManifestDeps) =>
  async (delivery: SignedDelivery): Promise<ManifestReceipt> => {
    if (missingWebhookHeaders(delivery.headers).length > 0) {
      throw new UnauthorizedError(
        rejectionDetail(
          'missing-headers',
          delivery.headers,
          deps.signatureToleranceSeconds,
          MANIFEST_PAYLOAD,
        ),
      );
    }
    const depth = jsonNestingDepth(delivery.body);
    if (depth > deps.limits.maxJsonDepth) {
      throw new PayloadTooLargeError(
        `the body nests ${depth} levels deep; the limit is ${deps.limits.maxJsonDepth}`,
        {
          limit: 'nesting-depth',
          max: deps.limits.maxJsonDepth,
          actual: depth,
        },
      );
    }
    const json = parseJsonText(delivery.body);
    const now = deps.clock.now();
    const { partner, webhookId } = await authenticatePartner(
      deps.partners,
      {
        partnerId: (json as { partnerId?: unknown } | null)?.partnerId,
        headers: delivery.headers,
        signed: delivery.body,
        payload: MANIFEST_PAYLOAD,
      },
      Math.floor(now.getTime() / 1000),
      deps.signatureToleranceSeconds,
    );

    await countPartnerRequest(deps.rateLimiter, partner.partnerId, now, {
      name: 'requests-per-minute',
      counted: 'manifest posts',
    });
    const parcelCount = Array.isArray((json as { parcels?: unknown }).parcels)
      ? (json as { parcels: unknown[] }).parcels.length
      : 0;
    if (parcelCount > deps.limits.maxParcelsPerManifest) {
      throw new PayloadTooLargeError(
        `the manifest has ${parcelCount} parcels; the limit is ${deps.limits.maxParcelsPerManifest}`,
        { limit: 'parcels-per-manifest', max: deps.limits.maxParcelsPerManifest, actual: parcelCount },
      );
    }

    const parsed = parseManifest(json);
    if (!parsed.ok) throw new ValidationError('the manifest does not match contract v1', parsed.issues);
    const manifest = parsed.manifest;
    refuseUnknownOffices(deps.offices, manifest);
    const oversized = oversizedParcel(manifest);
    if (oversized !== undefined) {
      throw new PayloadTooLargeError(
        `parcels[${oversized.index}] (${manifest.parcels[oversized.index]!.parcelId}) takes ${oversized.bytes} bytes as screening carries it; the limit is ${oversized.max}: send it with fewer or shorter goods lines`,
        { limit: 'screening-message-bytes', max: oversized.max, actual: oversized.bytes },
      );
    }

    const bodyHash = createHash('sha256').update(delivery.body).digest('hex');
    const sighting = await deps.deliveries.remember({
      partnerId: partner.partnerId,
      webhookId,
      bodyHash,
      now,
      // Kept past both edges of the tolerance window, so no still-valid signature can be replayed unseen.
      keepUntil: new Date(now.getTime() + 2 * deps.signatureToleranceSeconds * 1000),
    });
    if (sighting === 'other-body') {
      throw new ConflictError(
        `webhook-id ${webhookId} was already used for a different body: a retry sends the same body under the same webhook-id; send a different body under a new webhook-id`,
      );
    }

    const record: ManifestRecord = {
      partnerId: manifest.partnerId,
      manifestId: manifest.manifestId,
      region: partner.region,
      bodyHash,
      webhookId,
      receivedAt: now.toISOString(),
      parcelIds: manifest.parcels.map((parcel) => parcel.parcelId),
      status: 'received',
    };
    const alreadyAccepted = await refuseReusedParcelIds(deps, manifest, bodyHash, now);
    if (alreadyAccepted) return alreadyAccepted;
    let stored = await deps.manifests.createOrGet(record);
    if (!stored.created && stored.existing.status === 'refused') {
      // The tombstone of an earlier refusal of this manifest id: once no delivery that met it can still
      // be running, finish its cleanup and start afresh; until then, ask for the manifest again.
      if (!isQuiet(stored.existing, now)) throw concurrentDelivery(record, untilQuiet(stored.existing, now));
      await replaceTombstone(deps, stored.existing);
      stored = await deps.manifests.createOrGet(record);
      if (!stored.created && stored.existing.status === 'refused')
        throw concurrentDelivery(record, untilQuiet(stored.existing, now));
    }
    if (!stored.created) {
      const existing = stored.existing;
      if (existing.bodyHash !== record.bodyHash) {
        // A version whose delivery stopped before its hand-over (it got no 202) and that no delivery can
        // still be storing: the partner sends the manifest again, changed. It is refused, and this
        // version replaces its tombstone once that is quiet, as after any refusal.
        if (existing.status === 'received' && isAbandoned(existing, now)) {
          await refuse(deps, existing, now);
          throw concurrentDelivery(record, TOMBSTONE_QUIET_SECONDS);
        }
        throw new ConflictError(
          existing.status === 'queued'
            ? `manifest ${manifest.manifestId} was already accepted with different content`
            : unfinishedVersion(existing, now),
          {
            details: { manifestId: manifest.manifestId, receivedAt: existing.receivedAt },
          },
        );
      }
      if (existing.status === 'queued') return receiptOf(existing);
      return handOver(deps, manifest, existing);
    }
    return handOver(deps, manifest, record);
  };

/**
 * The 409 for a changed version of a manifest whose earlier delivery got no 202: post the earlier bytes
 * to finish it; or, when none of its parcels was handed over, this version once no delivery of the
 * earlier one can still be running (then a 503 while its tombstone turns quiet, then the 202).
 */
const unfinishedVersion = (existing: ManifestRecord, now: Date): string => {
  const finish = `an earlier delivery of manifest ${existing.manifestId}, with different content, did not finish: post those same bytes again to finish it`;
  return existing.status === 'received'
    ? `${finish}, or post this version again in ${secondsUntilQuiet([existing.receivedAt], now)} s to replace it (none of the earlier one's parcels was handed over to screening), then as a 503 says`
    : `${finish}; some of its parcels were handed over to screening, so no other version can replace it`;
};

/**
 * Officers work the queues of county offices and checkpoints: a parcel routed anywhere else (an
 * unknown id, a city, a region) would be screened into a queue nobody can ever open.
 */
const refuseUnknownOffices = (offices: OfficeTree, manifest: Manifest): void => {
  const issues = manifest.parcels.flatMap((parcel, index) => {
    const office = parcel.route.inspectionOffice;
    if (isInspectionOffice(offices, office)) return [];
    const known = offices.offices.get(office);
    return [
      {
        path: `parcels[${index}].route.inspectionOffice`,
        message: known
          ? `${office} is a ${known.kind}, not an inspection office: route parcels to one of its county offices or checkpoints`
          : `unknown inspection office ${office}`,
      },
    ];
  });
  if (issues.length > 0) throw new ValidationError('parcels are routed to no inspection office', issues);
};

/**
 * A parcel id (the partner's house document number) names one parcel: screening keeps one decision per
 * id, so a later manifest reusing an id would get the first parcel's decision without being screened.
 * Until the parcel's record expires, 400 days on: the id is free again, and the earlier parcel's decision
 * no longer counts for a parcel delivered under it (DecisionStore).
 */
const refuseReusedParcelIds = async (
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
const heldByOthers = (ids: readonly string[], owners: ReadonlyMap<string, string>, manifestId: string) =>
  ids.filter((id) => (owners.get(id) ?? manifestId) !== manifestId);

/**
 * The 409 for parcel ids other manifests hold (`reused`, read as `owners` as of `at`): the first
 * MAX_REUSED_LISTED listed with the manifest holding each, and a detail that counts them all and says, by
 * what became of each holder, what the partner can do. Only an accepted manifest (or one whose record is
 * gone) has delivered its parcels; the ids of a manifest that got no 202 are not delivered, and are
 * either completed by its same bytes or, once it is quiet, given to the next manifest sent with them
 * (`freeIdsOfUnacceptedManifests`), except those of a hand-over that started: they stay with it. When
 * this manifest was refused here (`refusedAt`), a wait it is told also lets its own tombstone turn quiet.
 */
const reusedParcelIdsConflict = async (
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

/**
 * Stores the parcels, then hands them to screening. Deliveries of one manifest may run at once (a retry
 * while the first is still running) and each may meet a parcel id taken by another manifest; the record's
 * status fences them: a refusal (`received` → `refused`) and the start of a hand-over (→ `sending`)
 * exclude each other, so no refusal ever removes parcels a delivery was answered 202 for.
 */
const handOver = async (
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

/**
 * Refuses this version of the manifest and removes what it stored; when a concurrent delivery moved the
 * record first, returns it as `afterLostRace` does. The record stays, `refused`, as a tombstone.
 */
const refuse = async (
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
const afterLostRace = async (
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
const answerAfterLostRace = (stored: ManifestRecord | undefined, record: ManifestRecord): ManifestReceipt => {
  if (stored?.bodyHash === record.bodyHash && stored.status === 'queued') return receiptOf(stored);
  throw concurrentDelivery(record, stored === undefined ? TOMBSTONE_QUIET_SECONDS : undefined);
};

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
const isAbandoned = (record: ManifestRecord, now: Date): boolean => quietSince(record.receivedAt, now);

/** In how many seconds (at least 1) no delivery that met a record at any of `instants` can still be running. */
const secondsUntilQuiet = (instants: readonly string[], now: Date): number =>
  Math.max(
    1,
    ...instants.map((instant) =>
      Math.ceil((Date.parse(instant) + TOMBSTONE_QUIET_SECONDS * 1000 - now.getTime()) / 1000),
    ),
  );

const isQuiet = (tombstone: ManifestRecord, now: Date): boolean =>
  tombstone.refusedAt === undefined || quietSince(tombstone.refusedAt, now);

/** Finishes a quiet tombstone's cleanup (its parcels; those another manifest holds stay), then removes it. */
const replaceTombstone = async (deps: AcceptManifestDeps, tombstone: ManifestRecord): Promise<void> => {
  await deps.parcels.removeAll(tombstone, tombstone.parcelIds);
  await deps.manifests.forget(tombstone);
};

/** When a refused version's tombstone was made: its refusedAt, else its record's creation. */
const refusedSince = (tombstone: ManifestRecord): string => tombstone.refusedAt ?? tombstone.receivedAt;

/** In how many seconds a refused version's tombstone is quiet, so that a new version can replace it. */
const untilQuiet = (tombstone: ManifestRecord, now: Date): number =>
  secondsUntilQuiet([refusedSince(tombstone)], now);

/** "Send it again": in `retryAfterSeconds` when the wait is known, else after the edge's default. */
const concurrentDelivery = (record: ManifestRecord, retryAfterSeconds?: number) =>
  new DeliveryInProgressError(
    `another delivery of manifest ${record.manifestId} is being handled, or an earlier version of it taken back, at this moment; send it again after retry-after`,
    undefined,
    retryAfterSeconds,
  );
