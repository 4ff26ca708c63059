import { describe, expect, it } from 'vitest';
import type { Manifest, Parcel } from '../../events/manifest-v1.js';
import { toSqsBody } from '../../events/sqs-body.js';
import { regionOf } from '../../functions/core/access/offices.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import { computeManifestFacts } from '../../functions/core/screening/manifest-facts.js';
import {
  buildRegionalScreeningMessages,
  oversizedParcel,
  SQS_MAX_MESSAGE_BYTES,
} from '../../functions/ingest/screening-messages.js';
import { aManifestOf } from '../support/factories.js';
import { OFFICES, TEST_SALT } from '../support/screening-messages.js';

/** The screening messages ingest hands a manifest over in, built as accept-manifest builds them. */
const messagesOf = (manifest: Manifest) => {
  const keys = manifest.parcels.map((parcel) => derivePartyKeys(parcel, TEST_SALT));
  const facts = computeManifestFacts(manifest, keys);
  return buildRegionalScreeningMessages(
    manifest,
    '2026-11-29T08:00:00.000Z',
    manifest.parcels.map((parcel, index) => ({
      region: regionOf(OFFICES, parcel.route.inspectionOffice)!,
      item: { parcel, partyKeys: keys[index]!, manifestFacts: facts[index]! },
    })),
  );
};

/** The parcel with 50 goods lines of `chars` characters beyond the BMP: 12 bytes each once escaped for SQS. */
const heavy = (parcel: Parcel, chars: number): Parcel => ({
  ...parcel,
  goods: Array.from({ length: 50 }, () => ({ ...parcel.goods[0]!, description: '𠮷'.repeat(chars) })),
});

const sqsBytes = (message: unknown) => Buffer.byteLength(toSqsBody(message));

describe('screening messages', () => {
  it.each([
    ['three parcels of about 150 KB each as SQS carries them (50 KB as JSON)', [250, 250, 250]],
    ['a parcel over 200 KB first, then a small one', [360, 0]],
  ])('hands every parcel over once, in messages SQS takes: %s', (_name, sizes) => {
    // Prepare
    const manifest = aManifestOf(sizes.length, 'PACKED');
    manifest.parcels = manifest.parcels.map((parcel, i) => (sizes[i] ? heavy(parcel, sizes[i]!) : parcel));
    expect(oversizedParcel(manifest)).toBeUndefined();

    // Act
    const messages = messagesOf(manifest);

    // Assess: none SQS would refuse (the hand-over would fail at every retry), none empty (a poison message)
    for (const message of messages) {
      expect(message.items.length).toBeGreaterThan(0);
      expect(sqsBytes(message)).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
    }
    expect(messages.flatMap((message) => message.items.map((item) => item.parcel.parcelId))).toEqual(
      manifest.parcels.map((parcel) => parcel.parcelId),
    );
  });

  it('refuses up front a parcel that fits a message alone but not beside the part list of its manifest', () => {
    // Prepare: 500 parcels with 64-character ids (a part list of ~33 KB in every message), the first
    // ~241 KB as SQS carries it
    const manifest = aManifestOf(500, 'PARTS');
    manifest.parcels = manifest.parcels.map((parcel, i) => ({
      ...parcel,
      parcelId: `${'P'.repeat(58)}-${String(i).padStart(5, '0')}`,
    }));
    manifest.parcels[0] = heavy(manifest.parcels[0]!, 400);

    // Act / Assess: refused, as its message would be refused by SQS
    expect(oversizedParcel(manifest)).toMatchObject({ index: 0 });
    expect(Math.max(...messagesOf(manifest).map(sqsBytes))).toBeGreaterThan(SQS_MAX_MESSAGE_BYTES);
  });
});
