import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Manifest, ManifestSchema } from '../../../events/manifest-v1.js';
import { loadRuleSetFromDirectory } from '../../../functions/adapters/file-rule-set-source.js';
import { factsFromManifest } from '../../../functions/core/rules/index.js';

const sample = (): Manifest =>
  ManifestSchema.parse(
    JSON.parse(readFileSync('events/samples/manifests/pearl-express-shenzhen-nanning.json', 'utf8')),
  );

/** The sample with its first parcel sent `copies` times to the same consignee, each 0.01 kg heavier. */
const splitInto = (copies: number): Manifest => {
  const manifest = sample();
  const first = manifest.parcels[0]!;
  const parcels = Array.from({ length: copies }, (_, i) => ({
    ...first,
    parcelId: `${first.parcelId}-${i}`,
    declaredGrossWeightKg: first.declaredGrossWeightKg + i * 0.01,
  }));
  return { ...manifest, parcels: [...parcels, ...manifest.parcels.slice(1)] };
};

describe('facts of one parcel of a manifest (rules explain)', () => {
  it('computes the manifest-level facts over all its parcels, as screening does', () => {
    // Prepare
    const manifest = splitInto(5);
    const parcelId = manifest.parcels[2]!.parcelId;

    // Act
    const facts = factsFromManifest(manifest, parcelId)!;

    // Assess
    expect(facts.parcel.parcelId).toBe(parcelId);
    expect(facts.manifest).toMatchObject({
      manifestId: manifest.manifestId,
      partnerId: manifest.partnerId,
      transport: manifest.transport,
      parcelCount: manifest.parcels.length,
      parcelsToConsignee: 5,
      splitShipment: true,
    });
  });

  it('fires the manifest-level rules of the default rule set on a split shipment', () => {
    // Prepare
    const policy = loadRuleSetFromDirectory('rules/default');
    const manifest = splitInto(5);

    // Act
    const fired = policy
      .evaluate(factsFromManifest(manifest, manifest.parcels[0]!.parcelId)!)
      .firedRules.map((rule) => rule.ruleId);

    // Assess
    expect(fired).toEqual(expect.arrayContaining(['split-shipment', 'many-parcels-to-consignee']));
  });

  it('gives nothing for a parcel id the manifest does not have', () => {
    // Prepare / Act
    const facts = factsFromManifest(sample(), 'NOT-IN-MANIFEST');

    // Assess
    expect(facts).toBeUndefined();
  });
});
