import { describe, expect, it } from 'vitest';
import {
  derivedFactEntries,
  FACT_MEANINGS,
  factsUnder,
  knownFactPaths,
  PLACES_MEANINGS,
  placesFactEntries,
  screeningFactEntries,
} from '../../../functions/core/rules/fact-catalogue.js';
import { type FactType, SCREENING_FACTS_TYPE } from '../../../functions/core/rules/fact-types.js';
import { PLACES_TYPE } from '../../../functions/core/rules/places-facts.js';
import { ADDRESS_HISTORY_FACTS } from '../../support/fact-paths.js';
import { compile, rule } from './rule-set-factory.js';

/** Every path the loader's fact types hold, walked here on their own (`[]` for a list's elements). */
const loaderPaths = (type: FactType, path: string, into: string[] = []): string[] => {
  if (path !== '') into.push(path);
  if (type.kind === 'object')
    for (const [key, field] of Object.entries(type.fields))
      loaderPaths(field, path === '' ? key : `${path}.${key}`, into);
  if (type.kind === 'list') loaderPaths(type.element, `${path}[]`, into);
  return into;
};

/** A condition reading `path`: inside quantifiers for each `[]` of it, as a rule reads a list's elements. */
const conditionReading = (path: string, depth = 0): unknown => {
  const at = path.indexOf('[]');
  if (at < 0) return { fact: path, exists: true };
  const variable = `element${depth}`;
  return {
    some: {
      of: path.slice(0, at),
      as: variable,
      where: conditionReading(`${variable}${path.slice(at + 2)}`, depth + 1),
    },
  };
};

describe('the fact catalogue', () => {
  const loader = loaderPaths(SCREENING_FACTS_TYPE, '');
  const meanings = Object.keys(FACT_MEANINGS);

  it('has a meaning for every fact path the loader knows', () => {
    // Act
    const without = loader.filter((path) => !Object.hasOwn(FACT_MEANINGS, path));

    // Assess
    expect(loader.length).toBeGreaterThan(100);
    expect(without).toEqual([]);
  });

  it('has no meaning for a path the loader does not know', () => {
    // Act
    const unknown = meanings.filter((path) => !loader.includes(path));

    // Assess
    expect(unknown).toEqual([]);
    expect(knownFactPaths()).toEqual(loader);
  });

  it('lists only paths the loader resolves in a rule', () => {
    // Prepare: one rule reading each path (a list's elements through a quantifier)
    const rules = meanings.map((path, index) => rule(`reads-${index}`, conditionReading(path)));

    // Act / Assess: the load throws a RuleSetError naming any path it does not know
    expect(() => compile({ rules })).not.toThrow();
  });

  it('gives every fact a one-line meaning, and a unit only where there is one', () => {
    // Act
    const entries = screeningFactEntries();

    // Assess
    expect(entries.map((entry) => entry.path)).toEqual(loader);
    for (const entry of entries) {
      expect(entry.meaning, entry.path).toMatch(/^\S.*\S$/);
      expect(entry.meaning, entry.path).not.toMatch(/\n/);
      if (entry.unit !== undefined) expect(['number', 'object'], entry.path).toContain(entry.kind);
    }
  });

  it.each<[string, string | undefined, boolean, string | undefined]>([
    ['parcel.parcelId', undefined, false, undefined],
    ['parcel.measuredWeightKg', 'kg', true, undefined],
    ['parcel.dimensions', undefined, true, undefined],
    ['parcel.dimensions.lengthCm', 'cm', true, 'parcel.dimensions'],
    ['parcel.consignee.idDocument.number', undefined, true, 'parcel.consignee.idDocument'],
    ['parcel.route.via[].region', undefined, true, undefined],
    ['parcel.goods[].quantity', 'units', false, undefined],
    ['manifest.transport.conveyanceReference', undefined, true, undefined],
    ['manifest.consigneeNamesOfPhone', 'consignee names', true, undefined],
    ['manifest.weightToPhoneKg', 'kg', true, undefined],
    ['history.address.distinctCounterparts', 'consignees', false, undefined],
    ['history.phone.distinctCounterparts', 'consignee names', false, undefined],
    ['history.consignee.lastSeizureAt', undefined, true, undefined],
    ['history.sharedSeizures', 'parcels', false, undefined],
    ['parties.idDocument', undefined, true, undefined],
    ['parties.phone', undefined, false, undefined],
    ['now', undefined, false, undefined],
  ])('gives %s: unit %s, may be missing %s, with %s', (path, unit, mayBeMissing, missingWith) => {
    // Act
    const entry = screeningFactEntries().find((candidate) => candidate.path === path);

    // Assess
    expect(entry).toBeDefined();
    expect(entry?.unit).toBe(unit);
    expect(entry?.mayBeMissing).toBe(mayBeMissing);
    expect(entry?.missingWith).toBe(missingWith);
  });

  it.each([
    'manifest.receivedAt',
    'manifest.submittedAt',
    'manifest.consigneeNamesOfPhone',
    'manifest.weightToConsigneeKg',
    'manifest.weightToPhoneKg',
    'manifest.weightToAddressKg',
  ])('says %s is missing on decisions recorded before 2026-12-01, which lack it', (path) => {
    // Act
    const entry = screeningFactEntries().find((candidate) => candidate.path === path);

    // Assess
    expect(entry?.mayBeMissing).toBe(true);
    expect(entry?.meaning).toMatch(
      /; missing on a decision recorded before 2026-12-01 \(a backtest or shadow run of one\)$/,
    );
  });

  it('says what the address history counts: consignee phones, not this parcel', () => {
    // Act
    const { meaning } = FACT_MEANINGS['history.address.distinctCounterparts']!;

    // Assess
    expect(meaning).toContain('distinct consignees (consignee phones)');
    expect(meaning).toContain('this parcel and the other parcels of its manifest not included');
  });
});

describe('factsUnder', () => {
  // Built in each test, so that a catalogue that cannot be built fails them, not the file's collection.
  const entries = () => [
    ...screeningFactEntries(),
    ...derivedFactEntries({
      derived: { valuePerKgCny: { description: 'Declared value\n  per kg.', unit: 'CNY/kg', value: 1 } },
    }),
  ];
  const pathsUnder = (prefix: string) => {
    const found = factsUnder(entries(), prefix);
    return 'entries' in found ? found.entries.map((entry) => entry.path) : found.error;
  };

  it('gives the fact at a prefix and every fact under it, by whole steps', () => {
    // Act
    const paths = pathsUnder('history.address');

    // Assess
    expect(paths).toEqual(ADDRESS_HISTORY_FACTS);
  });

  it.each([['parcel.goods.hsCode'], ['parcel.goods[].hsCode'], ['parcel.goods[0].hsCode']])(
    'reads %s as the goods lines’ HS code',
    (prefix) => {
      // Act / Assess
      expect(pathsUnder(prefix)).toEqual(['parcel.goods[].hsCode']);
    },
  );

  it('gives a rule set’s derived facts, their description on one line', () => {
    // Act
    const found = factsUnder(entries(), 'derived');

    // Assess
    expect(found).toEqual({
      entries: [
        {
          path: 'derived.valuePerKgCny',
          type: 'number',
          kind: 'number',
          unit: 'CNY/kg',
          mayBeMissing: true,
          meaning: 'Declared value per kg.',
        },
      ],
    });
  });

  it.each([
    [
      'history.adress',
      'unknown fact history.adress; history has consignee, shipper, phone, address, idDocument, sharedSeizures; did you mean history.address?',
    ],
    [
      'histroy.address',
      expect.stringMatching(
        /^unknown fact histroy\.address: a path starts with parcel, manifest, history, parties, now, derived; did you mean history\.address\?$/,
      ),
    ],
    [
      'derived.valuePerKgCy',
      'unknown fact derived.valuePerKgCy; derived has valuePerKgCny; did you mean derived.valuePerKgCny?',
    ],
    ['now.day', 'unknown fact now.day: now is an instant (ISO 8601 text), it has no field day'],
    [
      'history.addresses',
      expect.stringMatching(
        /^unknown fact history\.addresses; history has .*; did you mean history\.address\?$/,
      ),
    ],
  ])('refuses %s as the loader refuses an unknown fact, with the one close name', (prefix, error) => {
    // Act / Assess
    expect(pathsUnder(prefix)).toEqual(error);
  });
});

describe('the places facts in the catalogue', () => {
  const loader = loaderPaths(PLACES_TYPE, 'places');

  it('has a meaning for every places path the loader knows, and for no other', () => {
    // Act
    const meanings = Object.keys(PLACES_MEANINGS);

    // Assess
    expect([...loader].sort()).toEqual([...meanings].sort());
    expect(placesFactEntries().map((entry) => entry.path)).toEqual(loader);
  });

  it('lists only paths the loader resolves in a rule', () => {
    // Prepare
    const rules = Object.keys(PLACES_MEANINGS).map((path, index) =>
      rule(`reads-${index}`, conditionReading(path)),
    );

    // Act / Assess
    expect(() => compile({ rules })).not.toThrow();
  });

  it.each([
    ['places.origin.province', undefined, true],
    ['places.consignee.province', undefined, true],
    ['places.route.provinces', 'provinces', false],
    ['places.route.unresolved', 'route points', false],
    ['places.route.provinceNames', undefined, true],
  ])('gives %s: unit %s, may be missing %s', (path, unit, mayBeMissing) => {
    // Act
    const entry = placesFactEntries().find((candidate) => candidate.path === path);

    // Assess
    expect(entry?.unit).toBe(unit);
    expect(entry?.mayBeMissing).toBe(mayBeMissing);
    expect(entry?.meaning).toMatch(/^\S.*\S$/);
  });
});
