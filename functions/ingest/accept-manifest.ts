import { createHash } from 'node:crypto';
import { parseManifest } from '../../events/parse-manifest.js';
import type { Manifest } from '../../events/manifest-v1.js';
import { derivePartyKeys } from '../core/parties/party-keys.js';
import { computeManifestFacts } from '../core/screening/manifest-facts.js';
import { verifyWebhook, type WebhookHeaders } from '../core/webhooks/standard-webhooks.js';
import { ConflictError, MalformedInputError, UnauthorizedError, ValidationError } from '../platform/errors.js';
import type { Clock } from '../ports/clock.js';
import type { ManifestRecord, ManifestStore } from '../ports/manifest-store.js';
import type { PartnerDirectory } from '../ports/partner-directory.js';
import type { ParcelStore } from '../ports/parcel-store.js';
import type { ScreeningQueue } from '../ports/screening-queue.js';
import { buildScreeningMessages } from './screening-messages.js';

export interface AcceptManifestDeps {
  partners: PartnerDirectory;
  manifests: ManifestStore;
  parcels: ParcelStore;
  screeningQueue: ScreeningQueue;
  clock: Clock;
  partyKeySalt: string;
  signatureToleranceSeconds: number;
}

export interface SignedDelivery {
  headers: WebhookHeaders;
  body: string;
}

/** What the partner is told: the same answer for the first delivery and every replay of it. */
export interface ManifestReceipt {
  manifestId: string;
  partnerId: string;
  parcelCount: number;
  receivedAt: string;
  status: 'accepted';
}

const receiptOf = (record: ManifestRecord): ManifestReceipt => ({
  manifestId: record.manifestId,
  partnerId: record.partnerId,
  parcelCount: record.parcelIds.length,
  receivedAt: record.receivedAt,
  status: 'accepted',
});

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new MalformedInputError(`request body is not valid JSON: ${(error as Error).message}`, error);
  }
};

/**
 * Accepts one signed manifest delivery: authenticate, validate, store, hand every parcel to screening.
 * A replay (same partner, same manifest id, same bytes) gets the first answer and resumes any step a
 * crash interrupted; screening is idempotent per parcel, so nothing is screened twice in effect.
 */
export const makeAcceptManifest =
  (deps: AcceptManifestDeps) =>
  async (delivery: SignedDelivery): Promise<ManifestReceipt> => {
    if (!delivery.headers.id || !delivery.headers.timestamp || !delivery.headers.signature) {
      throw new UnauthorizedError('webhook-id, webhook-timestamp and webhook-signature headers are required');
    }
    const json = parseJson(delivery.body);
    const partnerId = (json as { partnerId?: unknown } | null)?.partnerId;
    const partner = typeof partnerId === 'string' ? await deps.partners.find(partnerId) : undefined;
    if (!partner) throw new UnauthorizedError('the signature cannot be verified for this partner');

    const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
    const verdict = verifyWebhook(
      partner.secrets,
      delivery.headers,
      delivery.body,
      nowSeconds,
      deps.signatureToleranceSeconds,
    );
    if (!verdict.ok) throw new UnauthorizedError(`webhook signature rejected: ${verdict.reason}`);

    const parsed = parseManifest(json);
    if (!parsed.ok) throw new ValidationError('the manifest does not match contract v1', parsed.issues);
    const manifest = parsed.manifest;

    const record: ManifestRecord = {
      partnerId: manifest.partnerId,
      manifestId: manifest.manifestId,
      region: partner.region,
      bodyHash: createHash('sha256').update(delivery.body).digest('hex'),
      webhookId: verdict.webhookId,
      receivedAt: deps.clock.now().toISOString(),
      parcelIds: manifest.parcels.map((parcel) => parcel.parcelId),
      status: 'received',
    };
    const stored = await deps.manifests.createOrGet(record);
    if (!stored.created) {
      const existing = stored.existing;
      if (existing.bodyHash !== record.bodyHash) {
        throw new ConflictError(`manifest ${manifest.manifestId} was already accepted with different content`, {
          details: { manifestId: manifest.manifestId, receivedAt: existing.receivedAt },
        });
      }
      if (existing.status === 'queued') return receiptOf(existing);
      await handOver(deps, manifest, existing);
      return receiptOf(existing);
    }
    await handOver(deps, manifest, record);
    return receiptOf(record);
  };

const handOver = async (deps: AcceptManifestDeps, manifest: Manifest, record: ManifestRecord): Promise<void> => {
  await deps.parcels.putAll(
    manifest.parcels.map((parcel) => ({
      partnerId: record.partnerId,
      manifestId: record.manifestId,
      region: record.region,
      receivedAt: record.receivedAt,
      parcel,
    })),
  );
  const partyKeys = manifest.parcels.map((parcel) => derivePartyKeys(parcel, deps.partyKeySalt));
  const manifestFacts = computeManifestFacts(manifest, partyKeys);
  const items = manifest.parcels.map((parcel, index) => ({
    parcel,
    partyKeys: partyKeys[index]!,
    manifestFacts: manifestFacts[index]!,
  }));
  await deps.screeningQueue.send(buildScreeningMessages(manifest, record.region, record.receivedAt, items));
  await deps.manifests.markQueued(record.partnerId, record.manifestId);
};
