import type { Manifest } from '../../events/manifest-v1.js';
import type { ScreeningItem, ScreeningRequested } from '../../events/screening-requested-v1.js';
import { toSqsBody } from '../../events/sqs-body.js';

/** What SQS takes in one message by default (256 KiB), escapes included. */
export const SQS_MAX_MESSAGE_BYTES = 262_144;
/** Leaves room under SQS's limit when packing parcels together (a parcel alone may take more). */
export const MAX_MESSAGE_BYTES = 200_000;
/** Bounds the work one message asks of one screen invocation. */
export const MAX_ITEMS_PER_MESSAGE = 25;

/** Room a parcel's party keys and manifest facts take beside it in a message, at most. */
const ITEM_EXTRAS_BYTES = 1_024;
/** Room for the region's id in a message's envelope, at most (a kebab-case id of the office hierarchy). */
const REGION_BYTES = 128;

/**
 * The bytes SQS carries for a message without its items, escapes included, with the largest `part` the
 * given parcel ids can make (none for a single parcel, whose manifest is one message).
 */
const envelopeBytes = (envelope: Omit<ScreeningRequested, 'items' | 'part'>, parcelIds: string[]): number =>
  Buffer.byteLength(
    toSqsBody({
      ...envelope,
      items: [],
      ...(parcelIds.length > 1 ? { part: { index: parcelIds.length, of: parcelIds.length, parcelIds } } : {}),
    }),
  );

/**
 * The first parcel too large for any screening message (SQS's limit), with the envelope as large as this
 * manifest's can be (every parcel id listed in its `part`), or undefined. Such a parcel could never be handed over:
 * text of 4-byte characters is 12 bytes a character once escaped for SQS, so a parcel of 50 goods lines at
 * every text limit outgrows a message while its manifest is well under 1 MiB. Ingest refuses it up front.
 */
export const oversizedParcel = (
  manifest: Manifest,
): { index: number; bytes: number; max: number } | undefined => {
  const envelope = envelopeBytes(
    {
      type: 'ScreeningRequested',
      version: 1,
      region: '',
      partnerId: manifest.partnerId,
      manifestId: manifest.manifestId,
      receivedAt: new Date(0).toISOString(),
      submittedAt: manifest.submittedAt,
      transport: manifest.transport,
    },
    manifest.parcels.map((parcel) => parcel.parcelId),
  );
  // A parcel too large to share a message travels alone: only SQS's own limit bounds it.
  const max = SQS_MAX_MESSAGE_BYTES - envelope - REGION_BYTES - ITEM_EXTRAS_BYTES;
  for (const [index, parcel] of manifest.parcels.entries()) {
    const bytes = Buffer.byteLength(toSqsBody({ parcel }));
    if (bytes > max) return { index, bytes, max };
  }
  return undefined;
};

/** Packs a manifest's screening items into as few messages as the size limits allow, in order. */
export const buildScreeningMessages = (
  manifest: Manifest,
  region: string,
  receivedAt: string,
  items: ScreeningItem[],
): ScreeningRequested[] => {
  const fields = {
    type: 'ScreeningRequested',
    version: 1,
    region,
    partnerId: manifest.partnerId,
    manifestId: manifest.manifestId,
    receivedAt,
    submittedAt: manifest.submittedAt,
    transport: manifest.transport,
  } as const;
  const envelope = (group: ScreeningItem[]): ScreeningRequested => ({ ...fields, items: group });
  const parcelIds = items.map((item) => item.parcel.parcelId);
  const emptyBytes = envelopeBytes(fields, parcelIds);
  const groups: ScreeningItem[][] = [];
  let current: ScreeningItem[] = [];
  let bytes = emptyBytes;
  for (const item of items) {
    const size = Buffer.byteLength(toSqsBody(item)) + 1;
    if (
      current.length > 0 &&
      (current.length === MAX_ITEMS_PER_MESSAGE || bytes + size > MAX_MESSAGE_BYTES)
    ) {
      groups.push(current);
      current = [];
      bytes = emptyBytes;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  if (groups.length === 1) return [envelope(groups[0]!)];
  return groups.map((group, index) => ({
    ...envelope(group),
    part: { index, of: groups.length, parcelIds },
  }));
};

/**
 * A manifest's screening messages, one group per region its parcels' inspection offices are in (first
 * seen first): a parcel is screened in the region of the office that inspects it.
 */
export const buildRegionalScreeningMessages = (
  manifest: Manifest,
  receivedAt: string,
  items: { region: string; item: ScreeningItem }[],
): ScreeningRequested[] => {
  const byRegion = new Map<string, ScreeningItem[]>();
  for (const { region, item } of items) {
    const group = byRegion.get(region) ?? [];
    group.push(item);
    byRegion.set(region, group);
  }
  return [...byRegion].flatMap(([region, group]) =>
    buildScreeningMessages(manifest, region, receivedAt, group),
  );
};
