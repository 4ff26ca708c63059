import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MANIFEST_LIMITS, type Manifest, ManifestSchema } from '../../events/manifest-v1.js';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { baselineFacts, withDerivedParties } from '../../functions/core/rules/cases/index.js';
import { emptyHistoryFacts, type ScreeningFacts } from '../../functions/core/screening/facts.js';

const policy = loadRuleSetFromDirectory('rules/default');
const manifest = (name: string): Manifest =>
  ManifestSchema.parse(JSON.parse(readFileSync(`events/samples/manifests/${name}.json`, 'utf8')));

/** A sample parcel as the screen function sees it the first time: nobody on record. */
const firstSight = (manifestName: string, parcelId: string): ScreeningFacts => {
  const sample = manifest(manifestName);
  const base = baselineFacts();
  return withDerivedParties({
    parcel: sample.parcels.find((parcel) => parcel.parcelId === parcelId)!,
    manifest: {
      ...base.manifest,
      manifestId: sample.manifestId,
      partnerId: sample.partnerId,
      transport: sample.transport,
    },
    history: emptyHistoryFacts(),
    parties: base.parties,
    now: '2026-11-27T09:00:00Z',
  });
};

describe('default rule set on the sample manifests', () => {
  it('holds the Ruili carved rosewood furniture parcel with readable reasons', () => {
    // Prepare
    const facts = firstSight('southwest-freight-ruili-wuzhou', 'SWF7781000123');

    // Act
    const evaluation = policy.evaluate(facts);

    // Assess
    expect(evaluation.lane).toBe('hold');
    expect(evaluation.firedRules.map((rule) => rule.reason)).toEqual([
      "origin Ruili or shipper's city 瑞丽市 is a border town (list border-origins)",
      'goods HS 940360 (Carved rosewood furniture, 红木雕花茶几) is wooden furniture, a wooden seat or a carving',
      'goods description "Carved rosewood furniture, 红木雕花茶几" names wooden goods',
      'weight 153.5 kg is 3.84× the 40 kg its goods imply',
      'wooden goods declared at 23.45 CNY/kg (3600 CNY for 153.5 kg)',
      'consignee has no shipping history',
      'paid in cash (payment method: cash-on-delivery)',
    ]);
  });

  it.each([
    ['pearl-express-shenzhen-nanning', 'PEX0000918273'],
    ['pearl-express-shenzhen-nanning', 'PEX0000918274'],
  ])('releases the ordinary parcel %s / %s from a known consignee', (manifestName, parcelId) => {
    // Prepare
    const facts = { ...firstSight(manifestName, parcelId), history: baselineFacts().history };

    // Act
    const evaluation = policy.evaluate(facts);

    // Assess
    expect(evaluation).toMatchObject({ lane: 'release', firedRules: [] });
  });
});

describe('default rule set on the largest parcel the contract accepts', () => {
  it('records values a decision item can hold, however many goods lines match', () => {
    // Prepare: 50 wooden goods lines of 512 characters (3 bytes each in UTF-8), to a seized consignee
    const ruili = firstSight('southwest-freight-ruili-wuzhou', 'SWF7781000123');
    const description = `木雕红木家具 ${'雕'.repeat(MANIFEST_LIMITS.maxText - 7)}`;
    const line = { ...ruili.parcel.goods[0]!, description };
    const facts: ScreeningFacts = {
      ...ruili,
      parcel: { ...ruili.parcel, goods: Array.from({ length: MANIFEST_LIMITS.maxGoodsLines }, () => line) },
      history: {
        ...ruili.history,
        consignee: {
          ...ruili.history.consignee,
          known: true,
          seizures: 2,
          lastSeizureAt: '2026-10-01T00:00:00Z',
        },
        sharedSeizures: 1,
      },
    };

    // Act
    const evaluation = policy.evaluate(facts);
    const bytes = Buffer.byteLength(JSON.stringify(evaluation.firedRules));

    // Assess: five rules read the goods lines; each records at most five of them
    expect(evaluation.lane).toBe('do-not-load');
    expect(bytes).toBeLessThan(60_000);
  });
});
