import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../../events/manifest-v1.js';
import { factsFromManifest } from '../../functions/core/rules/cases/index.js';
import { itPassesItsOwnCases } from '../support/rule-set-cases.js';

/**
 * Three patterns from real cases, written by an analyst from rules/README.md alone: carved wood from a
 * border town declared far below its worth, a heavy road parcel crossing provinces to a consignee with
 * little history, cash on delivery to a phone fed from many origins. Run against its own cases like every
 * rule set, and on the Ruili sample manifest's parcels.
 */
const EXAMPLE = 'test/fixtures/rule-sets/analyst-patterns';

const ruiliParcel = (parcelId: string) => {
  const manifest = ManifestSchema.parse(
    JSON.parse(readFileSync('events/samples/manifests/southwest-freight-ruili-wuzhou.json', 'utf8')),
  );
  return factsFromManifest(manifest, parcelId)!;
};

describe('the analyst-patterns example rule set', () => {
  const policy = itPassesItsOwnCases(EXAMPLE);

  it('flags the Ruili sample parcel for its carved furniture at 23.45 CNY/kg', () => {
    // Act
    const { firedRules, lane } = policy.evaluate(ruiliParcel('SWF7781000123'));

    // Assess
    expect(lane).toBe('review');
    expect(firedRules.map((fired) => [fired.ruleId, fired.reason])).toEqual([
      [
        'carved-wood-from-border-town-undervalued',
        'Carved rosewood furniture, 红木雕花茶几 (HS 940360) from Ruili, a border town, declared at 23.45 CNY/kg',
      ],
    ]);
  });

  it('holds it on all three patterns for a new consignee whose phone received from 3 origins', () => {
    // Prepare
    const facts = ruiliParcel('SWF7781000123');
    const history = {
      ...facts.history,
      consignee: { ...facts.history.consignee, known: false, firstSeen: null, lastSeen: null, parcels90d: 0 },
      phone: { ...facts.history.phone, parcels90d: 4, distinctOrigins: 3 },
    };

    // Act
    const { firedRules, lane, score } = policy.evaluate({ ...facts, history });

    // Assess
    expect({ lane, score }).toEqual({ lane: 'hold', score: 110 });
    expect(firedRules.map((fired) => fired.reason)).toEqual([
      'Carved rosewood furniture, 红木雕花茶几 (HS 940360) from Ruili, a border town, declared at 23.45 CNY/kg',
      '153.5 kg by road across 2 provinces (Yunnan → Guangxi) to a consignee with 0 parcels in 90 days',
      'cash on delivery to a phone that received parcels from 3 origin cities in 90 days',
    ]);
  });
});
