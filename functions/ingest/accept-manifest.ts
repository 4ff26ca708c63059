import { createHash } from 'node:crypto';
import { parseJsonSyntax, refuseRepeatedNames } from '../../events/input-issues.js';
import { jsonNestingDepth } from '../../events/json-limits.js';
import { firstRepeatedName } from '../../events/json-repeated-names.js';
import type { ManifestReceipt } from '../../events/manifest-receipt-v1.js';
import type { Manifest } from '../../events/manifest-v1.js';
import { parseManifest } from '../../events/parse-manifest.js';
import { isInspectionOffice, type OfficeTree } from '../core/access/offices.js';
import { missingWebhookHeaders, type WebhookHeaders } from '../core/webhooks/standard-webhooks.js';
import {
  ConflictError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationError,
} from '../platform/errors.js';
import { authenticatePartner, PARTNER_CHALLENGE, rejectionDetail } from '../platform/partner-auth.js';
import { countPartnerRequest } from '../platform/partner-rate.js';
import type { Clock } from '../ports/clock.js';
import type { ManifestRecord, ManifestStore } from '../ports/manifest-store.js';
import type { ParcelStore } from '../ports/parcel-store.js';
import type { PartnerDirectory } from '../ports/partner-directory.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { ScreeningQueue } from '../ports/screening-queue.js';
import type { WebhookDeliveryLog } from '../ports/webhook-delivery-log.js';
import { handOver } from './hand-over.js';
import { receiptOf } from './receipts.js';
import { concurrentDelivery, refuse } from './refusals.js';
import { refuseReusedParcelIds } from './reused-parcel-ids.js';
import { oversizedParcel } from './screening-messages.js';
import {
  isAbandoned,
  isQuiet,
  replaceTombstone,
  secondsUntilQuiet,
  TOMBSTONE_QUIET_SECONDS,
  untilQuiet,
} from './tombstones.js';

export { TOMBSTONE_QUIET_SECONDS } from './tombstones.js';

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
        { challenge: PARTNER_CHALLENGE },
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
    // Names given twice are judged once the sender is known (a 422 to a partner, the 401 of a bad
    // signature to anyone else), all but the one that says who sends: a body giving partnerId twice names
    // no partner (parsers differ on which counts), so it is answered as a body that names none.
    const json = parseJsonSyntax(delivery.body);
    const now = deps.clock.now();
    const { partner, webhookId } = await authenticatePartner(
      deps.partners,
      {
        partnerId: (json as { partnerId?: unknown } | null)?.partnerId,
        headers: delivery.headers,
        signed: delivery.body,
        payload: MANIFEST_PAYLOAD,
        ...(firstRepeatedName(delivery.body, isTopLevelPartnerId) === undefined
          ? {}
          : {
              unnamed:
                'the body gives partnerId twice in one object: JSON parsers differ on which one counts, so send it once',
            }),
      },
      Math.floor(now.getTime() / 1000),
      deps.signatureToleranceSeconds,
    );

    await countPartnerRequest(deps.rateLimiter, partner.partnerId, now, {
      name: 'requests-per-minute',
      counted: 'manifest posts',
    });
    refuseRepeatedNames(delivery.body);
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
            ? `manifest ${manifest.manifestId} was already accepted with different bytes: a repeat of a delivery sends the exact bytes accepted, and an accepted manifest cannot be changed`
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

/** What a delivery without its 202 may be doing, as a 409 for another version says it. */
const MAY_STILL_RUN =
  'has no 202 yet: it may still be running (its own answer then says whether it was accepted; an accepted manifest cannot be changed), or it stopped: then post those same bytes again to finish it';

/**
 * The 409 for a changed version of a manifest whose earlier delivery got no 202 (yet): post the earlier
 * bytes to finish it; or, when none of its parcels was handed over, this version once no delivery of the
 * earlier one can still be running (then a 503 while its tombstone turns quiet, then the 202). Until
 * then a delivery of the earlier one may still be running, and be answered 202 (an accepted manifest
 * cannot be changed): the detail allows for it.
 */
const unfinishedVersion = (existing: ManifestRecord, now: Date): string => {
  const earlier = `an earlier delivery of manifest ${existing.manifestId}, with different content,`;
  // A version still `received` is refused and replaced once abandoned (acceptManifest): here it is not yet.
  if (existing.status === 'received') {
    return `${earlier} ${MAY_STILL_RUN}, or post this version again in ${secondsUntilQuiet([existing.receivedAt], now)} s, when no delivery of the earlier one can still be running: this one replaces it then if none of the earlier one's parcels was handed over to screening by then (a 503 first, then as it says)`;
  }
  return isAbandoned(existing, now)
    ? `${earlier} did not finish: post those same bytes again to finish it; some of its parcels were handed over to screening, so no other version can replace it`
    : `${earlier} ${MAY_STILL_RUN}; its hand-over to screening has started, so no other version can replace it`;
};

/** A path to the manifest's own `partnerId`, the field that names who sends. */
const isTopLevelPartnerId = (path: readonly (string | number)[]): boolean =>
  path.length === 1 && path[0] === 'partnerId';

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
