import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../../events/manifest-v1.js';
import { factsFromManifest } from '../../functions/core/rules/cases/index.js';
import { itPassesItsOwnCases } from '../support/rule-set-cases.js';

/**
 * The example of rules/README.md § Places: a road parcel crossing provinces, heavy for its goods, run
 * against its own cases like every rule set, and on the Ruili sample manifest's parcel.
 */
const EXAMPLE = 'test/fixtures/rule-sets/places';

describe('the places example rule set', () => {
  const policy = itPassesItsOwnCases(EXAMPLE);

  it('fires on the Ruili sample parcel, Yunnan to Guangxi by road', () => {
    // Prepare
    const manifest = ManifestSchema.parse(
      JSON.parse(readFileSync('events/samples/manifests/southwest-freight-ruili-wuzhou.json', 'utf8')),
    );
    const facts = factsFromManifest(manifest, 'SWF7781000123')!;

    // Act
    const { firedRules, lane } = policy.evaluate(facts);

    // Assess
    expect(lane).toBe('review');
    expect(firedRules.map((fired) => [fired.ruleId, fired.reason])).toEqual([
      [
        'road-crossing-provinces-heavy',
        'by road across 2 provinces (Yunnan → Guangxi), 153.5 kg where its goods should weigh 40 kg',
      ],
    ]);
  });

  it('does not fire on the same manifest’s other parcel, Yunnan to Guangdong but light for its jade', () => {
    // Prepare
    const manifest = ManifestSchema.parse(
      JSON.parse(readFileSync('events/samples/manifests/southwest-freight-ruili-wuzhou.json', 'utf8')),
    );
    const facts = factsFromManifest(manifest, 'SWF7781000124')!;

    // Act
    const { firedRules } = policy.evaluate(facts);

    // Assess
    expect(firedRules).toEqual([]);
  });
});
