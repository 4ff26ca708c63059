import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import { computeManifestFacts } from '../../functions/core/screening/manifest-facts.js';
import { buildScreeningMessages } from '../../functions/ingest/screening-messages.js';
import { readSample } from './factories.js';

export const TEST_SALT = 'salt-for-tests-only-0123456789';

/** The ScreeningRequested message ingest would send for a sample manifest, built by the same code. */
export const aScreeningMessage = (
  sampleFile: string,
  options: { region?: string; receivedAt?: string; salt?: string } = {},
): ScreeningRequested => {
  const manifest = readSample(sampleFile);
  const keys = manifest.parcels.map((parcel) => derivePartyKeys(parcel, options.salt ?? TEST_SALT));
  const facts = computeManifestFacts(manifest, keys);
  const [message] = buildScreeningMessages(
    manifest,
    options.region ?? 'yunnan-guangxi',
    options.receivedAt ?? '2026-11-27T01:00:00.000Z',
    manifest.parcels.map((parcel, index) => ({
      parcel,
      partyKeys: keys[index]!,
      manifestFacts: facts[index]!,
    })),
  );
  return message!;
};
