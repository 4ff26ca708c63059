import { describe, expect, it } from 'vitest';
import { fires, goodsLine, list } from './rule-set-factory.js';

const withGoods = (...lines: Record<string, unknown>[]) => ({
  parcel: { goods: lines.map((line) => goodsLine(line)) },
});
const descriptionIs = (description: string) => withGoods({ description });
const onFirstLine = (condition: Record<string, unknown>) => ({
  some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.description', ...condition } },
});

describe('comparison operators', () => {
  it.each([
    ['eq on a number', { fact: 'parcel.pieceCount', eq: 1 }, {}, true],
    ['eq on a number, different', { fact: 'parcel.pieceCount', eq: 2 }, {}, false],
    ['ne on a number', { fact: 'parcel.pieceCount', ne: 2 }, {}, true],
    ['eq on a boolean', { fact: 'history.consignee.known', eq: true }, {}, true],
    ['eq on an enum', { fact: 'parcel.paymentMethod', eq: 'prepaid' }, {}, true],
    ['ne on an enum', { fact: 'parcel.paymentMethod', ne: 'prepaid' }, {}, false],
    ['eq on text folds case', { fact: 'parcel.route.origin.city', eq: 'SHENZHEN' }, {}, true],
    [
      'eq against another fact',
      { fact: 'parcel.route.origin.city', eq: { fact: 'parcel.shipper.address.city' } },
      {},
      true,
    ],
    ['lt below', { fact: 'parcel.declaredGrossWeightKg', lt: 0.81 }, {}, true],
    ['lt at the value', { fact: 'parcel.declaredGrossWeightKg', lt: 0.8 }, {}, false],
    ['lte at the value', { fact: 'parcel.declaredGrossWeightKg', lte: 0.8 }, {}, true],
    ['gt at the value', { fact: 'parcel.declaredGrossWeightKg', gt: 0.8 }, {}, false],
    ['gt below the value', { fact: 'parcel.declaredGrossWeightKg', gt: 0.79 }, {}, true],
    ['gte at the value', { fact: 'parcel.declaredGrossWeightKg', gte: 0.8 }, {}, true],
    [
      'gt against another fact',
      { fact: 'parcel.measuredWeightKg', gt: { fact: 'parcel.declaredGrossWeightKg' } },
      {},
      true,
    ],
    ['between inside', { fact: 'parcel.declaredGrossWeightKg', between: [0.5, 1] }, {}, true],
    [
      'between at the low end (inclusive)',
      { fact: 'parcel.declaredGrossWeightKg', between: [0.8, 1] },
      {},
      true,
    ],
    [
      'between at the high end (inclusive)',
      { fact: 'parcel.declaredGrossWeightKg', between: [0.5, 0.8] },
      {},
      true,
    ],
    ['between outside', { fact: 'parcel.declaredGrossWeightKg', between: [1, 2] }, {}, false],
  ])('%s', (_name, when, patch, expected) => {
    // Prepare / Act
    const fired = fires(when, patch);

    // Assess
    expect(fired).toBe(expected);
  });
});

describe('membership operators', () => {
  const cities = list('cities', ['Ruili', '瑞丽市', 'Baise']);

  it.each([
    ['in literal values', { fact: 'parcel.paymentMethod', in: ['cash', 'prepaid'] }, {}, true],
    ['in literal values, absent', { fact: 'parcel.paymentMethod', in: ['cash'] }, {}, false],
    ['notIn literal values', { fact: 'parcel.paymentMethod', notIn: ['cash'] }, {}, true],
    ['in numbers', { fact: 'parcel.pieceCount', in: [1, 2, 3] }, {}, true],
    [
      'in a list, case folded',
      { fact: 'parcel.route.origin.city', in: { list: 'cities' } },
      { parcel: { route: { origin: { city: 'RUILI' } } } },
      true,
    ],
    [
      'in a list, Chinese',
      { fact: 'parcel.route.origin.city', in: { list: 'cities' } },
      { parcel: { route: { origin: { city: '瑞丽市' } } } },
      true,
    ],
    ['in a list, absent', { fact: 'parcel.route.origin.city', in: { list: 'cities' } }, {}, false],
    ['notIn a list', { fact: 'parcel.route.origin.city', notIn: { list: 'cities' } }, {}, true],
  ])('%s', (_name, when, patch, expected) => {
    // Prepare / Act
    const fired = fires(when, patch, { lists: [cities] });

    // Assess
    expect(fired).toBe(expected);
  });
});

describe('text operators', () => {
  const hs = list('hs', ['940360', '4420']);
  const words = list('words', ['红木', 'Rosewood', '木雕']);

  it.each([
    ['startsWith a literal prefix', onFirstLine({ startsWith: 'silicone' }), {}, true],
    [
      'startsWith one of several',
      { some: { of: 'parcel.goods', where: { fact: 'item.hsCode', startsWith: ['4420', '3926'] } } },
      {},
      true,
    ],
    [
      'startsWith a list of HS prefixes',
      { some: { of: 'parcel.goods', where: { fact: 'item.hsCode', startsWith: { list: 'hs' } } } },
      withGoods({ hsCode: '442090' }),
      true,
    ],
    [
      'startsWith a list, no prefix matches',
      { some: { of: 'parcel.goods', where: { fact: 'item.hsCode', startsWith: { list: 'hs' } } } },
      withGoods({ hsCode: '940161' }),
      false,
    ],
    ['startsWith is anchored', onFirstLine({ startsWith: 'phone' }), {}, false],
    ['contains, case folded', onFirstLine({ contains: 'PHONE' }), {}, true],
    ['contains Chinese', onFirstLine({ contains: '红木' }), descriptionIs('紫檀红木茶几'), true],
    [
      'contains full-width Latin (NFKC)',
      onFirstLine({ contains: 'rosewood' }),
      descriptionIs('ＲＯＳＥＷＯＯＤ table'),
      true,
    ],
    [
      'contains full-width in the rule',
      onFirstLine({ contains: 'ｔｅａｋ' }),
      descriptionIs('Teak chair'),
      true,
    ],
    ['containsAny literal', onFirstLine({ containsAny: ['teak', 'case'] }), {}, true],
    [
      'containsAny a list, English',
      onFirstLine({ containsAny: { list: 'words' } }),
      descriptionIs('carved ROSEWOOD stool'),
      true,
    ],
    [
      'containsAny a list, Chinese',
      onFirstLine({ containsAny: { list: 'words' } }),
      descriptionIs('木雕摆件'),
      true,
    ],
    ['containsAny a list, none', onFirstLine({ containsAny: { list: 'words' } }), {}, false],
    ['matches a safe pattern, case-insensitive', onFirstLine({ matches: '^silicone\\s+PHONE' }), {}, true],
    [
      'matches on normalized text',
      onFirstLine({ matches: '^rosewood' }),
      descriptionIs('ＲＯＳＥＷＯＯＤ'),
      true,
    ],
    ['matches, no match', onFirstLine({ matches: '^teak' }), {}, false],
  ])('%s', (_name, when, patch, expected) => {
    // Prepare / Act
    const fired = fires(when, patch, { lists: [hs, words] });

    // Assess
    expect(fired).toBe(expected);
  });
});

describe('matches runs in linear time', () => {
  // 30 repeated characters and a mismatch at the end: a backtracking engine (JavaScript's RegExp) tries
  // about 2^30 paths for each of these (about half a minute here) against the 5 s timeout; RE2 answers at once.
  const text = (char: string) => `${char.repeat(30)}!`;
  it.each([
    ['^(a|a)*$', text('a')],
    ['(a+)+$', text('a')],
    ['(\\w|\\d)+$', text('1')],
  ])(
    '%s on a text that makes a backtracking engine explode',
    (pattern, description) => {
      // Prepare / Act
      const fired = fires(onFirstLine({ matches: pattern }), descriptionIs(description));

      // Assess
      expect(fired).toBe(false);
    },
    5_000,
  );
});

describe('presence operators', () => {
  it.each([
    ['exists on a present fact', { fact: 'parcel.measuredWeightKg', exists: true }, {}, true],
    [
      'exists on an absent fact',
      { fact: 'parcel.measuredWeightKg', exists: true },
      { parcel: { measuredWeightKg: null } },
      false,
    ],
    [
      'missing on an absent fact',
      { fact: 'parcel.measuredWeightKg', missing: true },
      { parcel: { measuredWeightKg: null } },
      true,
    ],
    ['missing on a null history field', { fact: 'history.consignee.lastSeizureAt', missing: true }, {}, true],
    ['exists on an optional object', { fact: 'parcel.dimensions', exists: true }, {}, false],
    ['exists on a list', { fact: 'parcel.route.via', exists: true }, {}, true],
  ])('%s', (_name, when, patch, expected) => {
    // Prepare / Act
    const fired = fires(when, patch);

    // Assess
    expect(fired).toBe(expected);
  });
});
