import { describe, expect, it } from 'vitest';
import { compile, facts, rule } from './rule-set-factory.js';

/**
 * `explain` says why a lookup is missing when its key is there: the table has no entry for it (exact) or
 * none it starts with (prefix); a coalesce gives every operand's cause, not only the first's.
 */

const TABLES = {
  'province-code': {
    description: 'province of a region',
    match: 'exact',
    entries: { Guangdong: 44, Yunnan: 53 },
  },
  'city-province-code': {
    description: 'province of a city',
    match: 'exact',
    entries: { Shenzhen: 44, Kunming: 53 },
  },
  'region-prefix': {
    description: 'province of a region, by its start',
    match: 'prefix',
    entries: { Guang: 44 },
  },
};
const ORIGIN_PROVINCE = {
  coalesce: [
    { lookup: { table: 'province-code', key: 'parcel.route.origin.region' } },
    { lookup: { table: 'city-province-code', key: 'parcel.route.origin.city' } },
  ],
};
const YUNAN_DALI = { parcel: { route: { origin: { country: 'CN', region: 'Yunan', city: 'Dali' } } } };

/** The note of rule `r`'s condition on the baseline with `patch`. */
const noteOf = (policy: ReturnType<typeof compile>, patch: unknown): unknown =>
  policy.evaluate(facts(patch), { trace: true }).trace!.rules[0]!.condition;

describe("explain's cause of a missing lookup", () => {
  it("names every operand's cause of a missing derived fact, each table and key", () => {
    // Prepare
    const policy = compile({
      tables: TABLES,
      derived: { originProvinceCode: { description: 'origin province', value: ORIGIN_PROVINCE } },
      rules: [rule('r', { fact: 'derived.originProvinceCode', ne: 31 })],
    });

    // Act / Assess
    expect(noteOf(policy, YUNAN_DALI)).toMatchObject({
      result: 'missing',
      note: 'derived.originProvinceCode is missing: table province-code has no entry for "Yunan"; table city-province-code has no entry for "Dali"',
    });
  });

  it('names an absent key by its path and a key without an entry by its table', () => {
    // Prepare
    const policy = compile({
      tables: TABLES,
      derived: { originProvinceCode: { description: 'origin province', value: ORIGIN_PROVINCE } },
      rules: [rule('r', { fact: 'derived.originProvinceCode', ne: 31 })],
    });
    const patch = { parcel: { route: { origin: { country: 'CN', region: null, city: 'Dali' } } } };

    // Act / Assess
    expect(noteOf(policy, patch)).toMatchObject({
      note: 'derived.originProvinceCode is missing: parcel.route.origin.region is missing; table city-province-code has no entry for "Dali"',
    });
  });

  it('says a prefix table has no entry the key starts with', () => {
    // Prepare
    const policy = compile({
      tables: TABLES,
      derived: {
        x: {
          description: 'by prefix',
          value: { lookup: { table: 'region-prefix', key: 'parcel.route.origin.region' } },
        },
      },
      rules: [rule('r', { fact: 'derived.x', gt: 0 })],
    });

    // Act / Assess
    expect(noteOf(policy, YUNAN_DALI)).toMatchObject({
      note: 'derived.x is missing: table region-prefix has no entry that "Yunan" starts with',
    });
  });

  it("names each operand's cause in a value: over a route point", () => {
    // Prepare
    const policy = compile({
      tables: TABLES,
      rules: [
        rule('r', {
          some: {
            of: 'parcel.route.via',
            as: 'stop',
            where: {
              value: {
                coalesce: [
                  { lookup: { table: 'province-code', key: 'stop.region' } },
                  { lookup: { table: 'city-province-code', key: 'stop.city' } },
                ],
              },
              ne: 44,
            },
          },
        }),
      ],
    });
    const patch = { parcel: { route: { via: [{ country: 'CN', city: '大理' }] } } };

    // Act
    const trace = noteOf(policy, patch) as { elements: { note?: string }[] };

    // Assess
    expect(trace.elements[0]!.note).toBe(
      'coalesce(lookup(province-code, parcel.route.via[0].region), lookup(city-province-code, parcel.route.via[0].city)) is missing: parcel.route.via[0].region is missing; table city-province-code has no entry for "大理"',
    );
  });

  it('records no cause on a fired rule: only the facts it read', () => {
    // Prepare
    const policy = compile({
      tables: TABLES,
      rules: [
        rule('r', {
          value: { lookup: { table: 'province-code', key: 'parcel.route.origin.region' } },
          eq: 44,
        }),
      ],
    });

    // Act
    const [fired] = policy.evaluate(facts()).firedRules;

    // Assess
    expect(fired!.values).toEqual({
      'lookup(province-code, parcel.route.origin.region)': 44,
      'parcel.route.origin.region': 'Guangdong',
    });
  });
});
