import type { ManifestStatus, ParcelStatus } from '../../events/manifest-status-v1.js';
import { isContractId } from '../../events/manifest-v1.js';
import { parcelKey } from '../core/keys.js';
import { partnerLane } from '../core/screening/lane.js';
import type { WebhookHeaders } from '../core/webhooks/standard-webhooks.js';
import { NotFoundError } from '../platform/errors.js';
import { authenticatePartner } from '../platform/partner-auth.js';
import { countPartnerRequest } from '../platform/partner-rate.js';
import type { Clock } from '../ports/clock.js';
import type { DecidedLanes } from '../ports/decision-store.js';
import type { ManifestStore } from '../ports/manifest-store.js';
import type { PartnerDirectory } from '../ports/partner-directory.js';
import type { RateLimiter } from '../ports/rate-limiter.js';

export interface GetManifestStatusDeps {
  partners: PartnerDirectory;
  manifests: ManifestStore;
  decisions: DecidedLanes;
  /** Status reads a partner may make a minute: each reads up to 500 decisions. */
  rateLimiter: RateLimiter;
  clock: Clock;
  signatureToleranceSeconds: number;
}

export interface SignedStatusRequest {
  partnerId: string | undefined;
  manifestId: string;
  headers: WebhookHeaders;
}

/**
 * The text a partner signs to read a manifest's status: the request line, so a signature is good for
 * this one resource only. Signed exactly as a webhook body is (Standard Webhooks, the partner's secret),
 * so a partner reuses the code that signs its manifests.
 */
export const statusSigningPayload = (manifestId: string): string => `GET /v1/manifests/${manifestId}`;

/**
 * What a status read's signature may cover: the request line with the manifest id as written, or as
 * sent, percent-encoded by encodeURIComponent (an id with `:` is `%3A` in the path; API Gateway hands
 * the function the id decoded). Either is one manifest's line only.
 */
export const statusSigningPayloads = (manifestId: string): readonly [string, ...string[]] => {
  const written = statusSigningPayload(manifestId);
  const encoded = statusSigningPayload(encodeURIComponent(manifestId));
  return encoded === written ? [written] : [written, encoded];
};

/**
 * GET /v1/manifests/{manifestId} for the partner who sent it. Never a score, a rule or a reason: a
 * parcel in `review` is shown as `release`, since review is internal and the partner does nothing.
 */
export const makeGetManifestStatus =
  (deps: GetManifestStatusDeps) =>
  async (request: SignedStatusRequest): Promise<ManifestStatus> => {
    const now = deps.clock.now();
    const { partner } = await authenticatePartner(
      deps.partners,
      {
        ...request,
        signed: statusSigningPayloads(request.manifestId),
        payload: statusSigningPayload('<manifestId>'),
      },
      Math.floor(now.getTime() / 1000),
      deps.signatureToleranceSeconds,
    );
    await countPartnerRequest(deps.rateLimiter, partner.partnerId, now, {
      name: 'status-reads-per-minute',
      counted: 'status reads',
    });

    // An expired record (400 days after it was received) is no manifest, whether or not TTL deleted it.
    const manifest = isContractId(request.manifestId)
      ? await deps.manifests.get(partner.partnerId, request.manifestId, now.toISOString())
      : undefined;
    // A refused manifest's record stays as a tombstone (until a new delivery of the id replaces it).
    if (!manifest || manifest.status === 'refused')
      throw new NotFoundError(`no manifest ${request.manifestId} from ${partner.partnerId}`);
    const keys = manifest.parcelIds.map((parcelId) => parcelKey(partner.partnerId, parcelId));
    // A parcel id is the partner's until its record expires: a decision stored under it for another
    // manifest (this one never handed over, the id then sent in another), or for an earlier delivery of
    // the id, is not this manifest's.
    const decisions = new Map(
      [
        ...(await deps.decisions.lanesOf(keys, {
          manifestId: manifest.manifestId,
          receivedAt: manifest.receivedAt,
          at: now.toISOString(),
        })),
      ].filter(([, decision]) => decision.manifestId === manifest.manifestId),
    );
    // Stored but never handed over to screening (its delivery answered 503 or nothing, not 202): its
    // parcels would read `pending` for ever, and only posting it again hands it over. A hand-over cut
    // short after some parcels were sent shows what was screened (their referrals may be out already).
    const handedOver = manifest.status !== 'received' && manifest.status !== 'sending';
    if (!handedOver && decisions.size === 0) {
      throw new NotFoundError(
        `manifest ${request.manifestId} from ${partner.partnerId} was not accepted: its delivery did not finish (no 202); post the same bytes again`,
      );
    }
    return {
      manifestId: manifest.manifestId,
      partnerId: manifest.partnerId,
      receivedAt: manifest.receivedAt,
      parcels: manifest.parcelIds.map((parcelId, index): ParcelStatus => {
        const decision = decisions.get(keys[index]!);
        if (!decision) return { parcelId, status: 'pending' };
        const lane = partnerLane(decision.lane);
        return lane === 'release'
          ? { parcelId, status: lane }
          : { parcelId, status: lane, referralId: decision.referralId };
      }),
    };
  };
