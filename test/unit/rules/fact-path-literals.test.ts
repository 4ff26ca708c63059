import { describe, expect, it } from 'vitest';
import {
  compile,
  fires,
  issuesOf,
  list as listOf,
  RULE_SET_FILE,
  type RuleSetParts,
  rule,
} from './rule-set-factory.js';

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
const FROM_RUILI = {
  description: 'parcels declared from Ruili',
  days: 30,
  when: { fact: 'parcel.route.origin.city', eq: 'Ruili' },
};
const withRule = (when: unknown): RuleSetParts => ({
  tables: { province: PROVINCE },
  derived: DERIVED,
  rules: [rule('r', when)],
  extra: { tallies: { 'from-ruili': FROM_RUILI } },
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

  it.each<[string, unknown, string, string]>([
    [
      'a derived fact',
      { fact: 'parcel.pieceCount', ne: 'derived.nowhere' },
      'rules[0].when.ne',
      'ne compares parcel.pieceCount (number) with "derived.nowhere"; a fact is written { fact: derived.nowhere }',
    ],
    [
      'a parcel fact',
      { fact: 'parcel.pieceCount', eq: 'parcel.pieces' },
      'rules[0].when.eq',
      'eq compares parcel.pieceCount (number) with "parcel.pieces"; a fact is written { fact: parcel.pieces }',
    ],
    [
      "a quantifier variable's field",
      { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', eq: 'line.qty' } } },
      'rules[0].when.some.where.eq',
      'eq compares line.quantity (number) with "line.qty"; a fact is written { fact: line.qty }',
    ],
  ])(
    'says how a fact is written for text like the path of %s that names none, compared with a number',
    (_name, when, path, reason) => {
      // Act
      const issues = issuesOf(() => compile(withRule(when)));

      // Assess
      expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
    },
  );

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

const some = (of: string, as: string, where: unknown) => ({ some: { of, as, where } });

describe('literal text refused as a fact path, from every root', () => {
  it.each<[string, unknown, string, string]>([
    [
      'a manifest fact',
      { fact: 'parcel.route.origin.city', eq: 'manifest.transport.placeOfLoading.city' },
      'rules[0].when.eq',
      FIX('manifest.transport.placeOfLoading.city'),
    ],
    [
      'a history fact, compared with a number fact',
      { fact: 'history.consignee.parcels30d', ne: 'history.shipper.parcels30d' },
      'rules[0].when.ne',
      FIX('history.shipper.parcels30d'),
    ],
    [
      "a tally of the rule set's, on another party",
      { fact: 'history.address.tallies.from-ruili', ne: 'history.consignee.tallies.from-ruili' },
      'rules[0].when.ne',
      FIX('history.consignee.tallies.from-ruili'),
    ],
    [
      'what this parcel adds to a tally',
      { fact: 'history.address.tallies.from-ruili', eq: 'marks.from-ruili' },
      'rules[0].when.eq',
      FIX('marks.from-ruili'),
    ],
    [
      'a places fact, compared with a province fact',
      { fact: 'places.origin.province', ne: 'places.destination.province' },
      'rules[0].when.ne',
      FIX('places.destination.province'),
    ],
    [
      'a party key',
      { fact: 'parties.consignee', eq: 'parties.shipper' },
      'rules[0].when.eq',
      FIX('parties.shipper'),
    ],
    [
      "an outer quantifier variable's field, inside an inner quantifier",
      some(
        'parcel.route.via',
        'stop',
        some('parcel.goods', 'line', { fact: 'line.description', ne: 'stop.city' }),
      ),
      'rules[0].when.some.where.some.where.ne',
      FIX('stop.city'),
    ],
    [
      "a goods line's field in an in set",
      some('parcel.goods', 'line', { fact: 'line.description', in: ['Tea', 'line.hsCode'] }),
      'rules[0].when.some.where.in[1]',
      SET_FIX('line.hsCode', 'eq'),
    ],
    [
      'a derived fact in a notIn set of numbers',
      { fact: 'derived.originProvinceCode', notIn: [44, 'derived.destinationProvinceCode'] },
      'rules[0].when.notIn[1]',
      SET_FIX('derived.destinationProvinceCode', 'ne'),
    ],
    [
      'a manifest fact in a notIn set, under not and any',
      {
        not: {
          any: [
            { fact: 'parcel.pieceCount', gt: 3 },
            { fact: 'parcel.route.origin.city', notIn: ['manifest.transport.placeOfLoading.city'] },
          ],
        },
      },
      'rules[0].when.not.any[1].notIn[0]',
      SET_FIX('manifest.transport.placeOfLoading.city', 'ne'),
    ],
  ])('refuses %s, at its path, with how a fact is written there', (_name, when, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(withRule(when)));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
  });

  it('refuses each fact path of one set, at its own index', () => {
    // Prepare
    const when = {
      fact: 'parcel.route.destination.city',
      in: ['parcel.route.origin.city', 'Ruili', 'manifest.transport.placeOfUnloading.city'],
    };

    // Act
    const issues = issuesOf(() => compile(withRule(when)));

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        ruleId: 'r',
        path: 'rules[0].when.in[0]',
        reason: SET_FIX('parcel.route.origin.city', 'eq'),
      },
      {
        file: RULE_SET_FILE,
        ruleId: 'r',
        path: 'rules[0].when.in[2]',
        reason: SET_FIX('manifest.transport.placeOfUnloading.city', 'eq'),
      },
    ]);
  });

  it.each<[string, RuleSetParts, string, string]>([
    [
      "a derived fact's condition",
      {
        derived: {
          namedGoods: {
            description: 'goods lines described by their HS code',
            value: {
              count: {
                of: 'parcel.goods',
                as: 'line',
                where: { fact: 'line.description', eq: 'line.hsCode' },
              },
            },
          },
        },
        rules: [rule('r', { fact: 'derived.namedGoods', gt: 0 })],
      },
      'derived.namedGoods.value.count.where.eq',
      FIX('line.hsCode'),
    ],
    [
      "a tally's condition",
      {
        rules: [rule('r', { fact: 'history.address.tallies.to-origin', gt: 0 })],
        extra: {
          tallies: {
            'to-origin': {
              ...FROM_RUILI,
              when: { fact: 'parcel.route.destination.city', eq: 'parcel.route.origin.city' },
            },
          },
        },
      },
      'tallies.to-origin.when.eq',
      FIX('parcel.route.origin.city'),
    ],
  ])('refuses it in %s, which no rule owns', (_name, parts, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, path, reason }]);
  });
});

describe('dotted literal text that names no fact there', () => {
  const destination = (city: string) => ({ parcel: { route: { destination: { city } } } });
  const consignee = (fields: Record<string, unknown>) => ({ parcel: { consignee: fields } });
  const described = (description: string) => ({
    parcel: {
      goods: [{ description, hsCode: '940360', quantity: 1, declaredValue: { amount: 10, currency: 'CNY' } }],
    },
  });

  it.each<[string, unknown, unknown]>([
    [
      'a city with an abbreviation',
      { fact: 'parcel.route.destination.city', eq: 'St. Petersburg' },
      destination('St. Petersburg'),
    ],
    [
      'a city written without a space',
      { fact: 'parcel.route.destination.city', eq: 'St.Petersburg' },
      destination('St.Petersburg'),
    ],
    [
      'a company name',
      { fact: 'parcel.shipper.name', eq: 'Yiwu Hengda Trading Co.,Ltd.' },
      { parcel: { shipper: { name: 'Yiwu Hengda Trading Co.,Ltd.' } } },
    ],
    [
      'an address line',
      { fact: 'parcel.consignee.address.line', eq: 'No.5 Rd. Jinhua' },
      consignee({ address: { line: 'No.5 Rd. Jinhua' } }),
    ],
    [
      'a domain as a name',
      { fact: 'parcel.consignee.name', eq: 'shop.example.com' },
      consignee({ name: 'shop.example.com' }),
    ],
    ['an email', { fact: 'parcel.consignee.email', eq: 'a.b@x.cn' }, consignee({ email: 'a.b@x.cn' })],
    [
      'an HS code with dots in a description',
      some('parcel.goods', 'line', { fact: 'line.description', eq: '4420.10.00' }),
      described('4420.10.00'),
    ],
    [
      'a version',
      { fact: 'manifest.transport.conveyanceReference', eq: 'v2.1.0' },
      { manifest: { transport: { conveyanceReference: 'v2.1.0' } } },
    ],
    [
      'a name that starts with a fact root',
      { fact: 'parcel.consignee.name', eq: 'parcel.express' },
      consignee({ name: 'parcel.express' }),
    ],
    [
      'a domain that starts with a fact root',
      { fact: 'parcel.consignee.name', eq: 'now.cn' },
      consignee({ name: 'now.cn' }),
    ],
    [
      "a variable's name outside its quantifier",
      some('parcel.route.via', 'stop', { fact: 'stop.city', eq: 'line.hsCode' }),
      { parcel: { route: { via: [{ country: 'CN', region: 'Yunnan', city: 'line.hsCode' }] } } },
    ],
    [
      "a field the variable's element does not have",
      some('parcel.route.via', 'stop', { fact: 'stop.city', eq: 'stop.hsCode' }),
      { parcel: { route: { via: [{ country: 'CN', region: 'Yunnan', city: 'stop.hsCode' }] } } },
    ],
    [
      'Cyrillic with abbreviations',
      { fact: 'parcel.consignee.address.line', eq: 'ул. Ленина, д.5' },
      consignee({ address: { line: 'ул. Ленина, д.5' } }),
    ],
    [
      'Chinese with a dot',
      { fact: 'parcel.consignee.address.line', eq: '上海市.浦东新区' },
      consignee({ address: { line: '上海市.浦东新区' } }),
    ],
    [
      'dotted values of an in set',
      { fact: 'parcel.route.destination.city', in: ['Ruili', 'St. Petersburg', 'parcel.express', '9403.60'] },
      destination('9403.60'),
    ],
    [
      'text operators given the text of a fact path, which they search for as text',
      some('parcel.goods', 'line', {
        any: [
          { fact: 'line.description', contains: 'line.hsCode' },
          { fact: 'line.description', containsAny: ['parcel.route.origin.city'] },
          { fact: 'line.description', containsAnyWord: ['manifest.partnerId'] },
          { fact: 'line.description', startsWith: 'parcel.goods' },
        ],
      }),
      described('see line.hsCode'),
    ],
  ])('takes %s as text, compared as written', (_name, when, parcelWithIt) => {
    // Act / Assess: it compiles, and fires on a parcel with that text only
    expect(fires(when, parcelWithIt)).toBe(true);
    expect(fires(when)).toBe(false);
  });

  it('takes dotted text in ne and notIn, as text', () => {
    // Prepare
    const when = {
      all: [
        { fact: 'parcel.route.destination.city', ne: 'St.Petersburg' },
        { fact: 'parcel.route.destination.city', notIn: ['No.5 Rd.', 'shop.example.com'] },
      ],
    };

    // Act / Assess
    expect(fires(when)).toBe(true);
    expect(fires(when, destination('St.Petersburg'))).toBe(false);
    expect(fires(when, destination('shop.example.com'))).toBe(false);
  });

  it("takes a list's dotted values, which are data, not conditions", () => {
    // Prepare
    const when = { fact: 'parcel.route.destination.city', in: { list: 'cities' } };
    const lists = [listOf('cities', ['St.Petersburg', 'shop.example.com', 'No.5 Rd.'])];

    // Act / Assess
    expect(fires(when, destination('shop.example.com'), { lists })).toBe(true);
    expect(fires(when, {}, { lists })).toBe(false);
  });

  it.each<[string, unknown, string, string]>([
    [
      'dotted text that is no value of an enum fact',
      { fact: 'parcel.paymentMethod', eq: 'cash.on.delivery' },
      'rules[0].when.eq',
      '"cash.on.delivery" is not one of prepaid, cash-on-delivery, cash; did you mean cash-on-delivery?',
    ],
    [
      'an HS code written with dots, compared with an HS code',
      some('parcel.goods', 'line', { fact: 'line.hsCode', eq: '9403.60' }),
      'rules[0].when.some.where.eq',
      '"9403.60" can never match line.hsCode (HS code of 6 to 10 digits, no dots): write 940360',
    ],
    [
      'a version compared with a number fact',
      { fact: 'parcel.pieceCount', eq: 'v1.2' },
      'rules[0].when.eq',
      'eq compares parcel.pieceCount (number) with "v1.2"',
    ],
    [
      'a domain compared with a number fact',
      { fact: 'parcel.pieceCount', ne: 'shop.example.com' },
      'rules[0].when.ne',
      'ne compares parcel.pieceCount (number) with "shop.example.com"',
    ],
  ])('refuses %s for what it is, never as a fact path', (_name, when, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(withRule(when)));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
  });
});

const consigneeNamed = (name: string) => ({ parcel: { consignee: { name } } });

/** Text close to a fact path (a typo, another case), compared as text: refused with the fact it is close to. */
const KEEP_AS_TEXT = (listed: 'in' | 'notIn') =>
  `or, if it is text, write it in a list and compare with ${listed}: { list: … }`;
const NEAR = (text: string, path: string, listed: 'in' | 'notIn') =>
  `${JSON.stringify(text)} would be compared as text, but it is close to the fact path ${path}: write { fact: ${path} } to compare with that fact, ${KEEP_AS_TEXT(listed)}`;
const SET_NEAR = (text: string, path: string, operator: 'eq' | 'ne', listed: 'in' | 'notIn') =>
  `${JSON.stringify(text)} would be compared as text, but it is close to the fact path ${path}: a set holds values; to compare with that fact write ${operator}: { fact: ${path} }, ${KEEP_AS_TEXT(listed)}`;

describe('literal text close to a fact path', () => {
  it.each<[string, unknown, string, string]>([
    [
      'a fact with a letter left out, on the right of ne',
      { fact: 'parcel.route.origin.region', ne: 'parcel.route.destinaton.region' },
      'rules[0].when.ne',
      NEAR('parcel.route.destinaton.region', 'parcel.route.destination.region', 'notIn'),
    ],
    [
      'a fact in another case, on the right of eq',
      { fact: 'parcel.route.origin.region', eq: 'Parcel.Route.Destination.Region' },
      'rules[0].when.eq',
      NEAR('Parcel.Route.Destination.Region', 'parcel.route.destination.region', 'in'),
    ],
    [
      'a fact with two letters of its root swapped',
      { fact: 'parcel.route.origin.region', ne: 'parcle.route.destination.region' },
      'rules[0].when.ne',
      NEAR('parcle.route.destination.region', 'parcel.route.destination.region', 'notIn'),
    ],
    [
      'a fact with a letter of its root left out, on the right of eq',
      { fact: 'parcel.shipper.address.city', eq: 'parcl.route.origin.city' },
      'rules[0].when.eq',
      NEAR('parcl.route.origin.city', 'parcel.route.origin.city', 'in'),
    ],
    [
      'a derived fact with two letters swapped',
      { fact: 'derived.originProvinceCode', ne: 'derived.destinationProvinecCode' },
      'rules[0].when.ne',
      NEAR('derived.destinationProvinecCode', 'derived.destinationProvinceCode', 'notIn'),
    ],
    [
      'a tally written in snake case',
      { fact: 'history.address.tallies.from-ruili', ne: 'history.consignee.tallies.from_ruili' },
      'rules[0].when.ne',
      NEAR('history.consignee.tallies.from_ruili', 'history.consignee.tallies.from-ruili', 'notIn'),
    ],
    [
      'what this parcel adds to a tally, its root capitalized',
      { fact: 'history.address.tallies.from-ruili', eq: 'Marks.from-ruili' },
      'rules[0].when.eq',
      NEAR('Marks.from-ruili', 'marks.from-ruili', 'in'),
    ],
    [
      'a places fact with a letter left out',
      { fact: 'places.origin.province', ne: 'places.destination.provice' },
      'rules[0].when.ne',
      NEAR('places.destination.provice', 'places.destination.province', 'notIn'),
    ],
    [
      "a quantifier variable's field, the variable in another case",
      some('parcel.route.via', 'stop', { fact: 'parcel.route.origin.region', ne: 'Stop.regoin' }),
      'rules[0].when.some.where.ne',
      NEAR('Stop.regoin', 'stop.region', 'notIn'),
    ],
    [
      "a quantifier variable's field, the variable misspelt",
      some('parcel.route.via', 'stop', { fact: 'parcel.route.origin.region', ne: 'stpo.region' }),
      'rules[0].when.some.where.ne',
      NEAR('stpo.region', 'stop.region', 'notIn'),
    ],
    [
      'a fact compared with a number fact, rather than the type',
      { fact: 'parcel.pieceCount', eq: 'parcel.pieceCont' },
      'rules[0].when.eq',
      NEAR('parcel.pieceCont', 'parcel.pieceCount', 'in'),
    ],
    [
      'a fact in an in set',
      { fact: 'parcel.route.origin.city', in: ['Ruili', 'parcel.route.destination.ctiy'] },
      'rules[0].when.in[1]',
      SET_NEAR('parcel.route.destination.ctiy', 'parcel.route.destination.city', 'eq', 'in'),
    ],
    [
      'a fact in a notIn set',
      { fact: 'parcel.route.origin.city', notIn: ['parcel.consignee.adress.city'] },
      'rules[0].when.notIn[0]',
      SET_NEAR('parcel.consignee.adress.city', 'parcel.consignee.address.city', 'ne', 'notIn'),
    ],
  ])('refuses %s, with the fact it is close to', (_name, when, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(withRule(when)));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
  });

  it.each<[string, RuleSetParts, string, string]>([
    [
      "a derived fact's condition",
      {
        derived: {
          namedGoods: {
            description: 'goods lines described by their HS code',
            value: {
              count: {
                of: 'parcel.goods',
                as: 'line',
                where: { fact: 'line.description', eq: 'Line.HsCode' },
              },
            },
          },
        },
        rules: [rule('r', { fact: 'derived.namedGoods', gt: 0 })],
      },
      'derived.namedGoods.value.count.where.eq',
      NEAR('Line.HsCode', 'line.hsCode', 'in'),
    ],
    [
      "a tally's condition",
      {
        rules: [rule('r', { fact: 'history.address.tallies.to-origin', gt: 0 })],
        extra: {
          tallies: {
            'to-origin': {
              ...FROM_RUILI,
              when: { fact: 'parcel.route.destination.city', ne: 'parcel.route.origin.citty' },
            },
          },
        },
      },
      'tallies.to-origin.when.ne',
      NEAR('parcel.route.origin.citty', 'parcel.route.origin.city', 'notIn'),
    ],
  ])('refuses it in %s, which no rule owns', (_name, parts, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, path, reason }]);
  });

  it.each<[string, unknown, string, string]>([
    [
      'a name that starts with a fact root, in another case',
      { fact: 'parcel.consignee.name', eq: 'Parcel.Express' },
      'Parcel.Express',
      'Parcel Express',
    ],
    [
      "a near miss of a variable's field outside its quantifier",
      { fact: 'parcel.consignee.name', eq: 'stop.regoin' },
      'stop.regoin',
      'stop.region',
    ],
    [
      'a name whose first word is close to a fact root',
      { fact: 'parcel.consignee.name', eq: 'Parcels.Express' },
      'Parcels.Express',
      'Parcel Express',
    ],
    [
      'a domain that starts with a fact root in another case',
      { fact: 'parcel.consignee.name', in: ['History.com', 'Now.cn'] },
      'history.com',
      'history',
    ],
  ])('takes %s as text', (_name, when, named, otherwise) => {
    // Act / Assess: it compiles, and fires on a parcel with that text only
    expect(fires(when, consigneeNamed(named))).toBe(true);
    expect(fires(when, consigneeNamed(otherwise))).toBe(false);
  });
});

describe("a derived fact's own path, written as text in it", () => {
  const countOf = (where: unknown) => ({
    description: 'goods lines',
    value: { count: { of: 'parcel.goods', as: 'line', where } },
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'its own definition',
      { namedGoods: countOf({ fact: 'line.description', eq: 'derived.namedGoods' }) },
      'derived.namedGoods.value.count.where.eq',
      FIX('derived.namedGoods'),
    ],
    [
      'a derived fact it reads',
      {
        namedGoods: countOf({ fact: 'line.quantity', gt: { fact: 'derived.otherGoods' } }),
        otherGoods: countOf({ fact: 'line.description', ne: 'derived.namedGoods' }),
      },
      'derived.otherGoods.value.count.where.ne',
      FIX('derived.namedGoods'),
    ],
  ])('refuses it, once, in %s', (_name, derived, path, reason) => {
    // Act
    const issues = issuesOf(() =>
      compile({ derived, rules: [rule('r', { fact: 'derived.namedGoods', gt: 0 })] }),
    );

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, path, reason }]);
  });
});

describe('dotted text where a number is taken', () => {
  it.each<[string, RuleSetParts, string, string | undefined, string]>([
    [
      'a domain, an operand of add',
      withRule({ value: { add: ['shop.example.com', 1] }, gt: 1 }),
      'rules[0].when.value.add[0]',
      'r',
      'expected a number or an expression, not "shop.example.com"',
    ],
    [
      "a version, a comparison's right-hand side",
      withRule({ fact: 'parcel.pieceCount', gte: 'release.v2' }),
      'rules[0].when.gte',
      'r',
      'expected a number or { fact: path }, not "release.v2"',
    ],
    [
      "a domain, a tally's sum",
      {
        rules: [rule('r', { fact: 'parcel.pieceCount', gt: 0 })],
        extra: { tallies: { t: { ...FROM_RUILI, sum: 'shop.example.com' } } },
      },
      'tallies.t.sum',
      undefined,
      'expected a number or an expression, not "shop.example.com"',
    ],
    [
      'a name no quantifier binds, outside any quantifier',
      withRule({ value: { add: ['line.quantity', 1] }, gt: 1 }),
      'rules[0].when.value.add[0]',
      'r',
      'expected a number or an expression, not "line.quantity"',
    ],
  ])('says what it takes, with no fact hint, for %s', (_name, parts, path, ruleId, reason) => {
    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toEqual([
      { file: RULE_SET_FILE, ...(ruleId === undefined ? {} : { ruleId }), path, reason },
    ]);
  });

  it.each<[string, RuleSetParts, string, string]>([
    [
      "a fact, a comparison's right-hand side",
      withRule({ fact: 'parcel.measuredWeightKg', gt: 'parcel.declaredGrossWeightKg' }),
      'rules[0].when.gt',
      'expected a number or { fact: path }; a fact is written { fact: parcel.declaredGrossWeightKg }',
    ],
    [
      "a variable's field, a maxOf's value",
      withRule({ value: { maxOf: { of: 'parcel.goods', as: 'line', value: 'line.quantity' } }, gt: 1 }),
      'rules[0].when.value.maxOf.value',
      'expected a number or an expression; a fact is written { fact: line.quantity }',
    ],
    [
      "a variable's field, in a quantifier's condition",
      withRule(some('parcel.goods', 'line', { fact: 'line.quantity', gt: 'line.declaredValue.amount' })),
      'rules[0].when.some.where.gt',
      'expected a number or { fact: path }; a fact is written { fact: line.declaredValue.amount }',
    ],
  ])('says how a fact is written for text that starts as a path, %s', (_name, parts, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
  });
});
