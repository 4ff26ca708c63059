import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Manifest, Parcel } from '../../events/manifest-v1.js';
import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { regionOf } from '../../functions/core/access/offices.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import { computeManifestFacts } from '../../functions/core/screening/manifest-facts.js';
import { buildRegionalScreeningMessages } from '../../functions/ingest/screening-messages.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { RUILI_MANIFEST, readSample } from './factories.js';
import { OFFICES, TEST_SALT } from './screening-messages.js';

/** Parcels and rule sets for the tallies' tests (core/screening/tallies.ts). */

export const RUILI_PARCEL = readSample(RUILI_MANIFEST).parcels[0]!;

/** A parcel like the sample's Ruili parcel (to the same consignee), under its own id. */
export const aRuiliParcel = (parcelId: string, overrides: Partial<Parcel> = {}): Parcel => ({
  ...structuredClone(RUILI_PARCEL),
  parcelId,
  ...overrides,
});

/** The one screening message ingest would send for a manifest of these parcels (all inspected at Wuzhou). */
export const ruiliMessageOf = (
  manifestId: string,
  receivedAt: string,
  parcels: Parcel[],
): ScreeningRequested => {
  const manifest: Manifest = { ...readSample(RUILI_MANIFEST), manifestId, parcels };
  const keys = parcels.map((parcel) => derivePartyKeys(parcel, TEST_SALT));
  const facts = computeManifestFacts(manifest, keys);
  const [message, ...others] = buildRegionalScreeningMessages(
    manifest,
    receivedAt,
    parcels.map((parcel, index) => ({
      region: regionOf(OFFICES, parcel.route.inspectionOffice)!,
      item: { parcel, partyKeys: keys[index]!, manifestFacts: facts[index]! },
    })),
  );
  if (message === undefined || others.length > 0) throw new Error('parcels of more than one region');
  return message;
};

/**
 * The default rule set with two tallies and two rules that read them: parcels from Ruili to the
 * address in 30 days, and distinct consignee phones at the address in 14 days.
 */
export const TALLIES_YAML = `tallies:
  from-ruili:
    description: parcels from Ruili
    days: 30
    when: { fact: parcel.route.origin.city, in: [Ruili] }
  phones-at-address:
    description: distinct consignee phones
    days: 14
    when: { fact: parcel.route.origin.city, in: [Ruili] }
    distinct: parties.phone

rules:
  - id: ruili-again
    title: Address received from Ruili before
    owner: risk-analytics
    severity: medium
    tags: [history]
    score: 5
    reason: "{history.address.tallies.from-ruili} earlier parcels from Ruili to the address"
    when: { fact: history.address.tallies.from-ruili, gte: 1 }

  - id: phones-at-address
    title: Several consignee phones at the address
    owner: risk-analytics
    severity: medium
    tags: [history]
    score: 5
    reason: "{history.address.tallies.phones-at-address} phones at the address"
    when: { fact: history.address.tallies.phones-at-address, gte: 2 }

`;

/** A copy of rules/default with TALLIES_YAML, in a folder of its own under `root`. */
export const ruleSetWithTallies = (root: string): string => {
  const directory = join(root, 'with-tallies');
  cpSync(resolve(REPO_ROOT, 'rules/default'), directory, { recursive: true });
  const file = join(directory, 'rule-set.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^rules:\n/m, TALLIES_YAML));
  return directory;
};
