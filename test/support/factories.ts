import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Manifest, Parcel } from '../../events/manifest-v1.js';
import type { AuditDraft } from '../../functions/core/audit/audit-chain.js';
import type { PartyKeys } from '../../functions/core/parties/party-keys.js';
import type { ReviewItem } from '../../functions/ports/review-queue.js';

const SAMPLES = resolve(import.meta.dirname, '../../events/samples');

export const readSample = (file: string): Manifest =>
  JSON.parse(readFileSync(resolve(SAMPLES, 'manifests', file), 'utf8')) as Manifest;

/** The sample of a message contract (events/contracts.ts), `events/samples/messages/<contract>.json`. */
export const readMessageSample = (contract: string): unknown =>
  JSON.parse(readFileSync(resolve(SAMPLES, 'messages', `${contract}.json`), 'utf8'));

/** The canonical suspicious parcel: carved rosewood furniture, Ruili → Wuzhou, cash on delivery. */
export const RUILI_MANIFEST = 'southwest-freight-ruili-wuzhou.json';
/** Ordinary e-commerce parcels from Shenzhen. */
export const SHENZHEN_MANIFEST = 'pearl-express-shenzhen-nanning.json';

/** A valid manifest, deep-copied so each test may mutate its own. */
export const aManifest = (overrides: Partial<Manifest> = {}): Manifest => ({
  ...structuredClone(readSample(SHENZHEN_MANIFEST)),
  ...overrides,
});

export const aParcel = (overrides: Partial<Parcel> = {}): Parcel => ({
  ...structuredClone(readSample(SHENZHEN_MANIFEST).parcels[0]!),
  ...overrides,
});

/** A manifest of n ordinary parcels with distinct house document numbers. */
export const aManifestOf = (count: number, manifestId = `M-${count}`): Manifest => {
  const base = aManifest({ manifestId });
  base.parcels = Array.from({ length: count }, (_, index) => ({
    ...aParcel(),
    parcelId: `${manifestId}-P${index}`,
  }));
  return base;
};

/** A parcel as screening queued it for review at the Wuzhou customs office. */
export const aFlaggedItem = (parcelId: string, partyKeys: PartyKeys, score = 92): ReviewItem => ({
  parcelKey: `southwest-freight#${parcelId}`,
  partnerId: 'southwest-freight',
  manifestId: 'SWF-20261127-0041',
  parcelId,
  region: 'yunnan-guangxi',
  inspectionOffice: 'wuzhou-customs',
  status: 'open',
  score,
  lane: 'hold',
  firedRules: [],
  ruleSetVersion: 'v1',
  flaggedAt: '2026-11-28T08:00:00.000Z',
  goodsSummary: 'furniture',
  route: 'Ruili → Wuzhou',
  partyKeys,
});

/** An officer's audit draft for an action on a flagged parcel, taken at `at`. */
export const anAuditDraft = (
  item: ReviewItem,
  action: AuditDraft['action'],
  actionId: string,
  at: string,
): AuditDraft => ({
  chain: item.inspectionOffice,
  actionId,
  actor: 'sub-wuzhou',
  actorName: 'wuzhou',
  role: 'officer',
  at,
  action,
  target: item.parcelKey,
  before: { status: 'open' },
  after: { status: action === 'claim' ? 'open' : 'closed' },
  requestId: `req-${actionId}`,
});
