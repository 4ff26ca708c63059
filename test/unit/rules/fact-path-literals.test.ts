import { describe, expect, it } from 'vitest';
import { compile, fires, issuesOf, RULE_SET_FILE, type RuleSetParts, rule } from './rule-set-factory.js';

/**
 * Literal text that is exactly a fact path the rule could read (`ne: parcel.route.destination.region`) is
 * compared as that text, so the condition is true on nearly every parcel: a silent trap, refused at load
 * time at its path with how a fact is written there.
 */

const FIX = (path: string) =>
  `${JSON.stringify(path)} is the text of a fact path, not that fact's value: write { fact: ${path} } to compare with that fact`;
const SET_FIX = (path: string, operator: 'eq' | 'ne') =>
  `${JSON.stringify(path)} is the text of a fact path, not that fact's value: a set holds values; to compare with that fact write ${operator}: { fact: ${path} }`;

const PROVINCE = {
  description: 'province code of a region',
  match: 'exact',
  entries: { Guangdong: 44, Shanghai: 31 },
};
const DERIVED = {
  destinationProvinceCode: {
    description: 'province of the destination',
    value: { lookup: { table: 'province', key: 'parcel.route.destination.region' } },
  },
  originProvinceCode: {
    description: 'province of the origin',
    value: { lookup: { table: 'province', key: 'parcel.route.origin.region' } },
  },
};
const withRule = (when: unknown): RuleSetParts => ({
  tables: { province: PROVINCE },
  derived: DERIVED,
  rules: [rule('r', when)],
});

describe('literal text that is a fact path', () => {
  it.each<[string, unknown, string, string]>([
    [
      'a fact on the right of ne',
      { fact: 'parcel.route.origin.region', ne: 'parcel.route.destination.region' },
      'rules[0].when.ne',
      FIX('parcel.route.destination.region'),
    ],
    [
      'a fact on the right of eq',
      { fact: 'parcel.shipper.address.city', eq: 'parcel.route.origin.city' },
      'rules[0].when.eq',
      FIX('parcel.route.origin.city'),
    ],
    [
      "a quantifier variable's field",
      {
        some: {
          of: 'parcel.route.via',
          as: 'stop',
          where: { fact: 'parcel.route.origin.region', ne: 'stop.region' },
        },
      },
      'rules[0].when.some.where.ne',
      FIX('stop.region'),
    ],
    [
      'a derived fact compared with a number fact',
      { fact: 'derived.originProvinceCode', ne: 'derived.destinationProvinceCode' },
      'rules[0].when.ne',
      FIX('derived.destinationProvinceCode'),
    ],
    [
      'a fact in an in set',
      { fact: 'parcel.route.origin.city', in: ['Ruili', 'parcel.route.destination.city'] },
      'rules[0].when.in[1]',
      SET_FIX('parcel.route.destination.city', 'eq'),
    ],
    [
      'a fact in a notIn set',
      { fact: 'parcel.route.origin.city', notIn: ['parcel.consignee.address.city'] },
      'rules[0].when.notIn[0]',
      SET_FIX('parcel.consignee.address.city', 'ne'),
    ],
  ])('refuses %s, with how a fact is written there', (_name, when, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(withRule(when)));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
  });

  it('says how a fact is written for text like a path that names no fact, compared with a number', () => {
    // Act
    const issues = issuesOf(() => compile(withRule({ fact: 'parcel.pieceCount', ne: 'derived.nowhere' })));

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        ruleId: 'r',
        path: 'rules[0].when.ne',
        reason:
          'ne compares parcel.pieceCount (number) with "derived.nowhere"; a fact is written { fact: derived.nowhere }',
      },
    ]);
  });

  it.each<[string, unknown]>([
    ['text with a dot that names no fact', { fact: 'parcel.route.origin.city', eq: 'St.Louis' }],
    ['a path outside the variable scope', { fact: 'parcel.route.origin.city', eq: 'stop.region' }],
    ['a root name alone', { fact: 'parcel.route.origin.city', ne: 'parcel' }],
  ])('still takes %s as text', (_name, when) => {
    // Act / Assess
    expect(() => compile(withRule(when))).not.toThrow();
  });

  it('compares with the fact when it is written { fact: … }', () => {
    // Prepare: the baseline's origin (Guangdong) and destination (Shanghai) differ
    const when = { fact: 'parcel.route.origin.region', ne: { fact: 'parcel.route.destination.region' } };

    // Act / Assess
    expect(fires(when)).toBe(true);
    expect(fires(when, { parcel: { route: { destination: { region: 'Guangdong' } } } })).toBe(false);
  });
});
