import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Manifest, ManifestSchema, type Parcel } from '../../../events/manifest-v1.js';
import { InMemoryPartyHistory } from '../../../functions/adapters/in-memory-party-history.js';
import { derivePartyKeys } from '../../../functions/core/parties/party-keys.js';
import type { SharingAgreements } from '../../../functions/core/parties/sharing.js';
import { OUTCOMES } from '../../../functions/core/review/outcome.js';
import { invariantProblems } from '../../../functions/core/rules/cases/fact-invariants.js';
import {
  baselineFacts,
  factsFromManifest,
  RULE_CASE_PARTY_KEY_SALT,
} from '../../../functions/core/rules/cases/index.js';
import { computeManifestFacts } from '../../../functions/core/screening/manifest-facts.js';

/**
 * The relations the rule tools hold a case's facts to (fact-invariants.ts) are derived from the code
 * that builds screening's facts: here that code builds facts, and none may be refused.
 */
const ALL = { history: true, manifest: true, parcel: true };
/** The relations of one group with the parcel, where the facts' other group is the baseline's, not the parcel's. */
const MANIFEST = { history: false, manifest: true, parcel: true };
const HISTORY = { history: true, manifest: false, parcel: true };

const SAMPLES = 'events/samples/manifests';
const samples = readdirSync(SAMPLES).map((name) => join(SAMPLES, name));

/**
 * A parcel of the baseline with other parties: consignee phone, name and address (the fourth names no
 * street, and gets no address key), shipper phone, ID document (or one whose number has no digit).
 */
const parcelOf = (variant: {
  phone: number;
  name: number;
  address: number;
  shipper: number;
  idDocument: boolean | 'blank';
  weight: number;
}): Parcel => {
  const parcel = baselineFacts().parcel;
  return {
    ...parcel,
    declaredGrossWeightKg: 0.8 + variant.weight / 100,
    shipper: { ...parcel.shipper, phone: `+86 755 2100 330${variant.shipper}` },
    consignee: {
      ...parcel.consignee,
      name: ['Wang Fang', 'Li Na', 'Zhang Wei'][variant.name]!,
      phone: `+86 138 0000 123${variant.phone}`,
      address: {
        ...parcel.consignee.address,
        line: variant.address === 3 ? 'Room 5' : `${100 + variant.address} Century Avenue`,
      },
      ...(variant.idDocument
        ? { idDocument: { type: 'passport', number: variant.idDocument === 'blank' ? '无' : 'E12345678' } }
        : {}),
    },
  } as Parcel;
};

const variantArbitrary = fc.record({
  phone: fc.integer({ min: 0, max: 2 }),
  name: fc.integer({ min: 0, max: 2 }),
  address: fc.integer({ min: 0, max: 3 }),
  shipper: fc.integer({ min: 0, max: 2 }),
  idDocument: fc.constantFrom(false, true, 'blank' as const),
  weight: fc.integer({ min: 0, max: 6 }),
});

describe('facts screening builds break none of the relations a case is held to', () => {
  it.each(samples)('every parcel of %s, its manifest facts computed as ingest computes them', (file) => {
    // Prepare
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

    // Act
    const problems = manifest.parcels.flatMap((parcel) =>
      invariantProblems(factsFromManifest(manifest, parcel.parcelId)!, {}, ALL),
    );

    // Assess
    expect(problems).toEqual([]);
  });

  it('every parcel of any manifest of parcels sharing consignees, phones, addresses and shippers', () => {
    fc.assert(
      fc.property(fc.array(variantArbitrary, { minLength: 1, maxLength: 12 }), (variants) => {
        // Prepare
        const template = ManifestSchema.parse(JSON.parse(readFileSync(samples[0]!, 'utf8')));
        const parcels = variants.map((variant, i) => ({ ...parcelOf(variant), parcelId: `CASE${i}` }));
        const manifest = { ...template, parcels } as Manifest;
        const keys = parcels.map((parcel) => derivePartyKeys(parcel, RULE_CASE_PARTY_KEY_SALT));

        // Act
        const problems = computeManifestFacts(manifest, keys).flatMap((manifestFacts, i) =>
          invariantProblems(
            {
              ...baselineFacts(),
              parcel: parcels[i]!,
              manifest: { ...baselineFacts().manifest, ...manifestFacts },
            },
            {},
            MANIFEST,
          ),
        );

        // Assess
        expect(problems).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  const SHARING: SharingAgreements = {
    version: 'test',
    agreements: [
      {
        id: 'border',
        regions: ['yunnan-guangxi', 'guangdong'],
        indicators: ['phone', 'address', 'consignee', 'idDocument'],
        since: '2026-01-01',
        owner: 'test',
      },
    ],
  };
  const START = Date.parse('2026-01-01T00:00:00Z');
  const instant = (minutes: number) => new Date(START + minutes * 60_000).toISOString();
  const MINUTES = 200 * 24 * 60;

  /** One write to the history store: a parcel screened, its outcome, or a correction of it. */
  const writeArbitrary = fc.record({
    kind: fc.constantFrom('record', 'record', 'outcome', 'correction'),
    parcel: fc.integer({ min: 0, max: 5 }),
    region: fc.constantFrom('yunnan-guangxi', 'yunnan-guangxi', 'guangdong'),
    at: fc.integer({ min: 0, max: MINUTES }),
    outcome: fc.constantFrom(...OUTCOMES),
    flagged: fc.boolean(),
    origin: fc.constantFrom('Ruili', '瑞丽市', 'Shenzhen'),
  });

  it('party history from the history store, after any parcels, outcomes and corrections, read at any now', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(variantArbitrary, { minLength: 6, maxLength: 6 }),
        fc.array(writeArbitrary, { maxLength: 25 }),
        fc.integer({ min: 0, max: MINUTES }),
        fc.integer({ min: 0, max: 5 }),
        async (variants, writes, nowMinutes, screened) => {
          // Prepare
          const store = new InMemoryPartyHistory(SHARING);
          const parcels = variants.map(parcelOf);
          const keys = parcels.map((parcel) => derivePartyKeys(parcel, RULE_CASE_PARTY_KEY_SALT));
          for (const write of writes) {
            const common = { parcelKey: `P${write.parcel}`, region: write.region, keys: keys[write.parcel]! };
            if (write.kind === 'record') {
              await store.record([
                {
                  ...common,
                  observedAt: instant(write.at),
                  originCity: write.origin,
                  flagged: write.flagged,
                },
              ]);
            } else if (write.kind === 'outcome') {
              await store.recordOutcome([
                { ...common, recordedAt: instant(write.at), outcome: write.outcome },
              ]);
            } else {
              await store.correctOutcome([
                { ...common, correctedAt: instant(write.at), outcome: write.outcome },
              ]);
            }
          }
          const now = instant(nowMinutes);

          // Act
          const [history] = await store.summarize([keys[screened]!], 'yunnan-guangxi', now);
          const facts = { ...baselineFacts(), parcel: parcels[screened]!, history: history!, now };

          // Assess
          expect(invariantProblems(facts, {}, HISTORY)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
