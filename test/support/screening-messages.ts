import { resolve } from 'node:path';
import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { FileOfficeDirectory } from '../../functions/adapters/file-office-directory.js';
import { regionOf } from '../../functions/core/access/offices.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import { computeManifestFacts } from '../../functions/core/screening/manifest-facts.js';
import { buildRegionalScreeningMessages } from '../../functions/ingest/screening-messages.js';
import { readSample } from './factories.js';

export const TEST_SALT = 'salt-for-tests-only-0123456789';

export const OFFICES = new FileOfficeDirectory(
  resolve(import.meta.dirname, '../../rules/reference/offices.yaml'),
).load();

interface MessageOptions {
  receivedAt?: string;
  salt?: string;
}

/** The ScreeningRequested messages ingest would send for a sample manifest, built by the same code. */
export const screeningMessagesOf = (
  sampleFile: string,
  options: MessageOptions = {},
): ScreeningRequested[] => {
  const manifest = readSample(sampleFile);
  const keys = manifest.parcels.map((parcel) => derivePartyKeys(parcel, options.salt ?? TEST_SALT));
  const facts = computeManifestFacts(manifest, keys);
  return buildRegionalScreeningMessages(
    manifest,
    options.receivedAt ?? '2026-11-27T01:00:00.000Z',
    manifest.parcels.map((parcel, index) => ({
      region: regionOf(OFFICES, parcel.route.inspectionOffice)!,
      item: { parcel, partyKeys: keys[index]!, manifestFacts: facts[index]! },
    })),
  );
};

/** One of them: the one for `region` (by default, the region of the first parcel's inspection office). */
export const aScreeningMessage = (
  sampleFile: string,
  options: MessageOptions & { region?: string } = {},
): ScreeningRequested => {
  const messages = screeningMessagesOf(sampleFile, options);
  const region = options.region ?? messages[0]!.region;
  const message = messages.find((candidate) => candidate.region === region);
  if (message === undefined) throw new Error(`${sampleFile} has no parcel inspected in region ${region}`);
  return message;
};
