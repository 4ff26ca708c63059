import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ManifestSchema } from '../../../events/manifest-v1.js';
import { parcelPlaces } from '../../../functions/core/places/parcel-places.js';
import { factsFromManifest } from '../../../functions/core/rules/cases/index.js';
import { compile, facts, issuesOf, rule } from './rule-set-factory.js';

/**
 * `places.*` in the rule language: the provinces of the parcel's places, computed by the engine from the
 * parcel only for a rule set that reads them (spied on here), read, interpolated and explained like any fact.
 */

vi.mock('../../../functions/core/places/parcel-places.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../functions/core/places/parcel-places.js')>();
  return { ...original, parcelPlaces: vi.fn(original.parcelPlaces) };
});

const computed = vi.mocked(parcelPlaces);

const ruiliFacts = () => {
  const manifest = ManifestSchema.parse(
    JSON.parse(readFileSync('events/samples/manifests/southwest-freight-ruili-wuzhou.json', 'utf8')),
  );
  return factsFromManifest(manifest, 'SWF7781000123')!;
};

const CROSSING = rule(
  'crosses-provinces',
  {
    all: [
      { fact: 'manifest.transport.mode', eq: 'road' },
      { fact: 'places.route.provinces', gte: 2 },
    ],
  },
  { reason: 'by road across {places.route.provinces} provinces: {places.route.provinceNames}' },
);

const route = (origin: object, via: object[], destination: object) => ({
  parcel: { route: { origin, via, destination, inspectionOffice: 'shanghai-customs' } },
});

describe('the places facts in rules', () => {
  beforeEach(() => {
    computed.mockClear();
  });

  it('fires a rule on a road parcel crossing provinces, its reason naming them', () => {
    // Prepare
    const policy = compile({ rules: [CROSSING] });

    // Act
    const { firedRules } = policy.evaluate(ruiliFacts());

    // Assess
    expect(firedRules.map((fired) => fired.reason)).toEqual(['by road across 2 provinces: Yunnan → Guangxi']);
    expect(firedRules[0]!.values).toEqual({
      'manifest.transport.mode': 'road',
      'places.route.provinces': 2,
      'places.route.provinceNames': 'Yunnan → Guangxi',
    });
  });

  it.each([
    [
      'Chinese and pinyin of one province',
      route(
        { country: 'CN', region: '云南省', city: '瑞丽' },
        [{ country: 'CN', region: 'YUNNAN', city: 'Kunming' }],
        { country: 'CN', region: '雲南', city: 'Dali' },
      ),
      [],
    ],
    [
      'mixed spellings of two',
      route({ country: 'CN', region: '云南省德宏州', city: '瑞丽' }, [], {
        country: 'CN',
        region: 'Guangxi Zhuang Autonomous Region',
        city: 'Wuzhou',
      }),
      ['crosses-provinces'],
    ],
  ])('reads %s', (_what, patch, fired) => {
    // Prepare
    const policy = compile({ rules: [CROSSING] });

    // Act
    const { firedRules } = policy.evaluate(facts(patch));

    // Assess
    expect(firedRules.map((one) => one.ruleId)).toEqual(fired);
  });

  it('compares a province with its ISO code', () => {
    // Prepare
    const policy = compile({
      rules: [rule('from-yunnan', { fact: 'places.origin.province', eq: 'CN-YN' })],
    });

    // Act
    const fired = policy.evaluate(ruiliFacts()).firedRules.map((one) => one.ruleId);

    // Assess
    expect(fired).toEqual(['from-yunnan']);
  });

  it('computes the places once per evaluation however many rules read them', () => {
    // Prepare
    const policy = compile({
      rules: [CROSSING, rule('to-guangxi', { fact: 'places.consignee.province', eq: 'CN-GX' })],
    });

    // Act
    policy.evaluate(ruiliFacts());
    policy.evaluate(ruiliFacts());

    // Assess
    expect(computed).toHaveBeenCalledTimes(2);
  });

  it('never computes them for a rule set that reads none', () => {
    // Prepare
    const policy = compile({ rules: [rule('heavy', { fact: 'parcel.measuredWeightKg', gt: 100 })] });

    // Act
    const evaluation = policy.evaluate(ruiliFacts(), { trace: true });

    // Assess
    expect(evaluation.firedRules.map((one) => one.ruleId)).toEqual(['heavy']);
    expect(computed).not.toHaveBeenCalled();
    expect(evaluation.trace?.places).toBeUndefined();
  });

  it('computes them for a derived fact that reads them', () => {
    // Prepare
    const policy = compile({
      derived: {
        crossings: {
          description: 'provinces crossed after the first',
          value: { sub: [{ fact: 'places.route.provinces' }, 1] },
        },
      },
      rules: [rule('crosses', { fact: 'derived.crossings', gte: 1 })],
    });

    // Act
    const fired = policy.evaluate(ruiliFacts()).firedRules.map((one) => one.ruleId);

    // Assess
    expect(fired).toEqual(['crosses']);
  });

  it('marks a tally whose when reads them', () => {
    // Prepare
    const policy = compile({
      rules: [rule('crossing-parcels', { fact: 'history.address.tallies.crossing', gte: 3 })],
      extra: {
        tallies: {
          crossing: {
            description: 'parcels crossing provinces',
            days: 30,
            when: { fact: 'places.route.provinces', gte: 2 },
          },
        },
      },
    });

    // Act
    const marked = policy.tallyMarks(ruiliFacts()).map((mark) => mark.counter);

    // Assess
    expect(marked).toHaveLength(1);
    expect(computed).toHaveBeenCalledTimes(1);
  });

  it('explains a missing province by the region that names none', () => {
    // Prepare
    const policy = compile({
      rules: [rule('from-yunnan', { fact: 'places.origin.province', eq: 'CN-YN' })],
    });
    const patch = route({ country: 'CN', region: 'Yunan', city: 'Ruili' }, [], {
      country: 'CN',
      region: 'Guangxi',
      city: 'Wuzhou',
    });

    // Act
    const { trace } = policy.evaluate(facts(patch), { trace: true });

    // Assess
    expect(trace?.rules[0]?.condition).toMatchObject({
      result: 'missing',
      note: 'places.origin.province is missing: parcel.route.origin: region "Yunan" names no province, nor does city "Ruili"',
    });
    expect(trace?.places?.facts.route).toEqual({ provinces: 1, unresolved: 1, provinceNames: '? → Guangxi' });
    expect(trace?.places?.unresolvedPoints).toEqual([
      'parcel.route.origin: region "Yunan" names no province, nor does city "Ruili"',
    ]);
  });

  it.each([
    [
      'places.origin.provnce',
      /unknown fact places\.origin\.provnce; places\.origin has province; did you mean places\.origin\.province\?/,
    ],
    ['places.route.provinces.count', /places\.route\.provinces is number, it has no field count/],
    ['place.origin.province', /did you mean places\.origin\.province\?/],
  ])('refuses %s at load', (path, reason) => {
    // Act
    const issues = issuesOf(() => compile({ rules: [rule('r', { fact: path, exists: true })] }));

    // Assess
    expect(issues.map((issue) => issue.reason)).toEqual([expect.stringMatching(reason)]);
  });

  it('refuses a province that is no ISO code at load', () => {
    // Act
    const issues = issuesOf(() =>
      compile({ rules: [rule('r', { fact: 'places.origin.province', eq: 'Yunnan' })] }),
    );

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]!.reason).toMatch(/CN-YN/);
  });
});
