import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Manifest, ManifestSchema } from '../../../events/manifest-v1.js';
import { loadRuleSetFromDirectory } from '../../../functions/adapters/file-rule-set-source.js';
import {
  baselineFacts,
  checkFactsInput,
  checkOverlay,
  factsFromInput,
  factsFromManifest,
} from '../../../functions/core/rules/cases/index.js';

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

  it('takes the file’s submittedAt and has it received a second after, as the baseline’s, not months before', () => {
    // Prepare
    const manifest = sample();

    // Act
    const facts = factsFromManifest(manifest, manifest.parcels[0]!.parcelId)!;

    // Assess
    expect(facts.manifest.submittedAt).toBe('2026-11-27T10:05:00+08:00');
    expect(facts.manifest.receivedAt).toBe('2026-11-27T02:05:01.000Z');
  });

  it('gives nothing for a parcel id the manifest does not have', () => {
    // Prepare / Act
    const facts = factsFromManifest(sample(), 'NOT-IN-MANIFEST');

    // Assess
    expect(facts).toBeUndefined();
  });
});

describe('facts of a parcel or of partial facts (rules explain)', () => {
  /** A whole parcel without the baseline's optional measuredWeightKg. */
  const lightParcel = () => {
    const { measuredWeightKg: _, ...parcel } = baselineFacts().parcel;
    return { ...parcel, parcelId: 'LIGHT0000001', declaredGrossWeightKg: 0.5 };
  };

  it('takes a whole parcel given as partial facts as it is, as it takes a bare parcel, not merged over the baseline', () => {
    // Prepare
    const parcel = lightParcel();
    const history = { consignee: { seizures: 1, lastSeizureAt: '2026-10-02T08:00:00Z' } };
    const input = { parcel, history, now: '2026-11-20T08:00:00Z' };

    // Act
    const facts = factsFromInput(input);

    // Assess
    expect(facts.parcel).toEqual(parcel);
    expect(facts.parcel.measuredWeightKg).toBeUndefined();
    expect(facts.parties).toEqual(factsFromInput(parcel).parties);
    expect(facts.history.consignee).toMatchObject({ known: true, seizures: 1 });
    expect(facts.now).toBe('2026-11-20T08:00:00Z');
    expect(checkFactsInput(input, facts).problems).toEqual([]);
  });

  it('tells how to write a blank postcode: left out of a parcel taken whole, null in partial facts', () => {
    // Prepare: the baseline's parcel, whole, with a postcode of spaces; and the same as partial facts
    const parcel = structuredClone(baselineFacts().parcel);
    parcel.consignee.address.postcode = '   ';
    const partial = { parcel: { consignee: { address: { postcode: '   ' } } } };

    // Act
    const whole = checkFactsInput(parcel, factsFromInput(parcel)).problems;
    const merged = checkFactsInput(partial, factsFromInput(partial)).problems;

    // Assess: in partial facts a field left out would take the baseline's postcode
    const said =
      'parcel.consignee.address.postcode: "   " has leading or trailing spaces, which screening never sees (the manifest contract trims text)';
    expect(whole).toEqual([`${said}: leave it out`]);
    expect(merged).toEqual([`${said}: write null, which removes the field`]);
  });

  it('still merges a partial parcel (one without a parcelId) over the baseline', () => {
    // Prepare / Act
    const facts = factsFromInput({ parcel: { declaredGrossWeightKg: 0.5 } });

    // Assess
    expect(facts.parcel).toMatchObject({
      parcelId: 'CASE0000001',
      declaredGrossWeightKg: 0.5,
      measuredWeightKg: 0.82,
    });
  });

  it.each([
    ['history.consignee.lastSeizureAt', { consignee: { lastSeizureAt: 20260303 } }, '20260303'],
    ['history.idDocument.firstSeen', { idDocument: { firstSeen: { a: 1 } } }, '{"a":1}'],
    ['history.phone.lastSeen', { phone: { lastSeen: true } }, 'true'],
    ['history.consignee.firstSeen', { consignee: { firstSeen: 5 } }, '5'],
  ])('refuses %s that is not text or null, in facts and in an overlay', (path, history, written) => {
    // Prepare
    const input = { history };

    // Act
    const problems = checkFactsInput(input, factsFromInput(input)).problems;
    const overlay = checkOverlay(input).problems;

    // Assess
    const problem = `${path}: expected an instant (ISO 8601 text) or null, not ${written}`;
    expect(problems).toEqual([problem]);
    expect(overlay).toEqual([problem]);
  });

  it('takes instants as text, even text that is not one (rules read it as missing), or null', () => {
    // Prepare
    const input = {
      history: {
        consignee: { lastSeizureAt: '2026-03-03T08:00:00Z', firstSeen: null },
        shipper: { lastSeizureAt: '03/03/2026' },
      },
    };

    // Act
    const problems = checkFactsInput(input, factsFromInput(input)).problems;

    // Assess
    expect(problems).toEqual([]);
  });

  const NULL_ON_A_FACT = 'null, but screening always has this fact (null only removes an optional one)';

  it.each<[string, unknown, string[]]>([
    ['no history', { history: null }, [`history: ${NULL_ON_A_FACT}`]],
    [
      'a consignee neither known nor unknown',
      { history: { consignee: { known: null } } },
      [`history.consignee.known: ${NULL_ON_A_FACT}`],
    ],
    [
      'a consignee never seen, without a seizure',
      { history: { consignee: { firstSeen: null, lastSeizureAt: null } } },
      [],
    ],
    [
      'a seizure without its time',
      { history: { consignee: { seizures: 1 } } },
      [
        'history.consignee.seizures: 1, but lastSeizureAt is null: screening gives the time of the last seizure exactly when seizures is above 0',
      ],
    ],
    [
      'a party unknown yet first seen',
      { history: { phone: { known: false, firstSeen: '2026-01-02T00:00:00Z' } } },
      [
        'history.phone.firstSeen: "2026-01-02T00:00:00Z", but known is false: screening knows a party exactly when it has a first-seen time',
      ],
    ],
    [
      'a last seizure after the now it sets',
      {
        history: { consignee: { seizures: 1, lastSeizureAt: '2026-07-01T00:00:00Z' } },
        now: '2026-06-30T00:00:00Z',
      },
      [
        'history.consignee.lastSeizureAt: "2026-07-01T00:00:00Z", but now is "2026-06-30T00:00:00Z": screening leaves out what is recorded after now',
      ],
    ],
    [
      'a misspelled history field',
      { history: { consignee: { seizure: 1 } } },
      [
        'history.consignee.seizure: unknown fact; history.consignee has known, firstSeen, lastSeen, parcels7d, parcels30d, parcels90d, distinctCounterparts, sharedDistinctCounterparts, distinctOrigins, flags, inspections, seizures, lastSeizureAt, tallies; did you mean history.consignee.seizures?',
      ],
    ],
  ])('checks %s the same in partial facts and in an overlay', (_name, input, expected) => {
    // Prepare / Act
    const problems = checkFactsInput(input, factsFromInput(input)).problems;
    const overlay = checkOverlay(input).problems;

    // Assess
    expect(problems).toEqual(expected);
    expect(overlay).toEqual(expected);
  });

  it.each<[string, () => unknown, string[]]>([
    [
      'a bare parcel with a field the contract does not have',
      () => ({ ...lightParcel(), weightKg: 3 }),
      [
        'parcel.weightKg: unknown fact; parcel has parcelId, shipper, consignee, route, goods, pieceCount, declaredGrossWeightKg, measuredWeightKg, dimensions, paymentMethod, contentCategory',
      ],
    ],
    [
      'partial facts with a misspelled field of a place',
      () => ({ parcel: { route: { origin: { citty: 'Ruili' } } } }),
      [
        'parcel.route.origin.citty: unknown fact; parcel.route.origin has country, region, city; did you mean parcel.route.origin.city?',
      ],
    ],
    [
      'a whole parcel without its piece count',
      () => {
        const { pieceCount: _, ...parcel } = lightParcel();
        return { parcel };
      },
      ['parcel.pieceCount: missing, but screening always has this fact'],
    ],
    [
      'a manifest whose transport mode the contract refuses',
      () => ({ manifest: { transport: { mode: 'Air' } } }),
      ['manifest.transport.mode: expected one of road, rail, air, sea, postal, multimodal, not "Air"'],
    ],
    [
      'a manifest with a conveyance reference',
      () => ({ manifest: { transport: { conveyanceReference: 'CA123' } } }),
      [],
    ],
  ])('names the field at fault in %s', (_name, input, expected) => {
    // Prepare
    const document = input();

    // Act
    const problems = checkFactsInput(document, factsFromInput(document)).problems;

    // Assess
    expect(problems).toEqual(expected);
  });
});
