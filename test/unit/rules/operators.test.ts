import { describe, expect, it } from 'vitest';
import { fires, goodsLine, list } from './rule-set-factory.js';

const withGoods = (...lines: Record<string, unknown>[]) => ({
  parcel: { goods: lines.map((line) => goodsLine(line)) },
});
const descriptionIs = (description: string) => withGoods({ description });
const onFirstLine = (condition: Record<string, unknown>) => ({
  some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.description', ...condition } },
});
const hsCodeIs = (hsCode: string) => withGoods({ hsCode });
const onHsCode = (condition: Record<string, unknown>) => ({
  some: { of: 'parcel.goods', where: { fact: 'item.hsCode', ...condition } },
});
const cityIs = (city: string) => ({ parcel: { route: { origin: { city } } } });
// The baseline declares 0.8 kg and measures 0.82 kg: declared is below measured, measured above declared.
const declaredVsMeasured = (operator: string) => ({
  fact: 'parcel.declaredGrossWeightKg',
  [operator]: { fact: 'parcel.measuredWeightKg' },
});
const measuredVsDeclared = (operator: string) => ({
  fact: 'parcel.measuredWeightKg',
  [operator]: { fact: 'parcel.declaredGrossWeightKg' },
});
const sameWeights = { parcel: { measuredWeightKg: 0.8 } };

describe('comparison operators', () => {
  it.each([
    ['eq on a number', { fact: 'parcel.pieceCount', eq: 1 }, {}, true],
    ['eq on a number, different', { fact: 'parcel.pieceCount', eq: 2 }, {}, false],
    ['ne on a number', { fact: 'parcel.pieceCount', ne: 2 }, {}, true],
    ['ne on a number, equal', { fact: 'parcel.pieceCount', ne: 1 }, {}, false],
    ['eq on a boolean', { fact: 'history.consignee.known', eq: true }, {}, true],
    ['eq on a boolean, different', { fact: 'history.consignee.known', eq: false }, {}, false],
    ['eq on an enum', { fact: 'parcel.paymentMethod', eq: 'prepaid' }, {}, true],
    ['ne on an enum', { fact: 'parcel.paymentMethod', ne: 'prepaid' }, {}, false],
    ['ne on an enum, different', { fact: 'parcel.paymentMethod', ne: 'cash' }, {}, true],
    ['eq on text', { fact: 'parcel.route.origin.city', eq: 'Shenzhen' }, {}, true],
    ['eq on text, different', { fact: 'parcel.route.origin.city', eq: 'Ruili' }, {}, false],
    ['eq on text folds case', { fact: 'parcel.route.origin.city', eq: 'SHENZHEN' }, {}, true],
    [
      'eq between an enum and text, exactly as written',
      { fact: 'parcel.paymentMethod', eq: { fact: 'parcel.consignee.name' } },
      { parcel: { paymentMethod: 'cash', consignee: { name: 'CASH' } } },
      false,
    ],
    [
      'eq between an enum and text, the same',
      { fact: 'parcel.paymentMethod', eq: { fact: 'parcel.consignee.name' } },
      { parcel: { paymentMethod: 'cash', consignee: { name: 'cash' } } },
      true,
    ],
    [
      'eq on text, full-width in the rule',
      { fact: 'parcel.route.origin.city', eq: 'ＳＨＥＮＺＨＥＮ' },
      {},
      true,
    ],
    [
      'eq on text, full-width fact',
      { fact: 'parcel.route.origin.city', eq: 'Ruili' },
      cityIs('ｒｕｉｌｉ'),
      true,
    ],
    [
      'eq on text, a zero-width space in the fact',
      { fact: 'parcel.route.origin.city', eq: 'Ruili' },
      cityIs('Rui\u200bli'),
      true,
    ],
    [
      'ne on text, a word joiner in the fact',
      { fact: 'parcel.route.origin.city', ne: 'Ruili' },
      cityIs('Ru\u2060ili'),
      false,
    ],
    [
      'eq against another fact, a zero-width non-joiner in one',
      { fact: 'parcel.route.origin.city', eq: { fact: 'parcel.shipper.address.city' } },
      { parcel: { shipper: { address: { city: 'Shen\u200czhen' } } } },
      true,
    ],
    ['ne on text, different', { fact: 'parcel.route.origin.city', ne: 'Ruili' }, {}, true],
    ['ne on text, equal', { fact: 'parcel.route.origin.city', ne: 'Shenzhen' }, {}, false],
    ['ne on text folds case', { fact: 'parcel.route.origin.city', ne: 'SHENZHEN' }, {}, false],
    [
      'ne on text, full-width fact',
      { fact: 'parcel.route.origin.city', ne: 'Ruili' },
      cityIs('ＲＵＩＬＩ'),
      false,
    ],
    [
      'eq against another fact',
      { fact: 'parcel.route.origin.city', eq: { fact: 'parcel.shipper.address.city' } },
      {},
      true,
    ],
    [
      'ne against another fact, equal',
      { fact: 'parcel.route.origin.city', ne: { fact: 'parcel.shipper.address.city' } },
      {},
      false,
    ],
    [
      'ne against another fact, different',
      { fact: 'parcel.route.origin.city', ne: { fact: 'parcel.consignee.address.city' } },
      {},
      true,
    ],
    ['lt below', { fact: 'parcel.declaredGrossWeightKg', lt: 0.81 }, {}, true],
    ['lt at the value', { fact: 'parcel.declaredGrossWeightKg', lt: 0.8 }, {}, false],
    ['lt with the fact above the value', { fact: 'parcel.declaredGrossWeightKg', lt: 0.79 }, {}, false],
    ['lte with the fact below the value', { fact: 'parcel.declaredGrossWeightKg', lte: 0.81 }, {}, true],
    ['lte at the value', { fact: 'parcel.declaredGrossWeightKg', lte: 0.8 }, {}, true],
    ['lte with the fact above the value', { fact: 'parcel.declaredGrossWeightKg', lte: 0.79 }, {}, false],
    ['gt with the fact below the value', { fact: 'parcel.declaredGrossWeightKg', gt: 0.81 }, {}, false],
    ['gt at the value', { fact: 'parcel.declaredGrossWeightKg', gt: 0.8 }, {}, false],
    ['gt below the value', { fact: 'parcel.declaredGrossWeightKg', gt: 0.79 }, {}, true],
    ['gte with the fact below the value', { fact: 'parcel.declaredGrossWeightKg', gte: 0.81 }, {}, false],
    ['gte at the value', { fact: 'parcel.declaredGrossWeightKg', gte: 0.8 }, {}, true],
    ['gte with the fact above the value', { fact: 'parcel.declaredGrossWeightKg', gte: 0.79 }, {}, true],
    [
      'gt against another fact',
      { fact: 'parcel.measuredWeightKg', gt: { fact: 'parcel.declaredGrossWeightKg' } },
      {},
      true,
    ],
    ['lt against another fact, below it', declaredVsMeasured('lt'), {}, true],
    ['lt against another fact, at it', declaredVsMeasured('lt'), sameWeights, false],
    ['lt against another fact, above it', measuredVsDeclared('lt'), {}, false],
    ['lte against another fact, below it', declaredVsMeasured('lte'), {}, true],
    ['lte against another fact, at it', declaredVsMeasured('lte'), sameWeights, true],
    ['lte against another fact, above it', measuredVsDeclared('lte'), {}, false],
    ['gt against another fact, below it', declaredVsMeasured('gt'), {}, false],
    ['gt against another fact, at it', declaredVsMeasured('gt'), sameWeights, false],
    ['gte against another fact, below it', declaredVsMeasured('gte'), {}, false],
    ['gte against another fact, at it', declaredVsMeasured('gte'), sameWeights, true],
    ['gte against another fact, above it', measuredVsDeclared('gte'), {}, true],
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
    ['between, below the low end', { fact: 'parcel.declaredGrossWeightKg', between: [0.81, 1] }, {}, false],
    [
      'between, above the high end',
      { fact: 'parcel.declaredGrossWeightKg', between: [0.5, 0.79] },
      {},
      false,
    ],
    [
      'between a single value, at it',
      { fact: 'parcel.declaredGrossWeightKg', between: [0.8, 0.8] },
      {},
      true,
    ],
  ])('%s', (_name, when, patch, expected) => {
    // Prepare / Act
    const fired = fires(when, patch);

    // Assess
    expect(fired).toBe(expected);
  });
});

describe('membership operators', () => {
  // İ̱zmir (U+0130 U+0331) normalized (NFKC, then lower case) twice is not what it is normalized once:
  // a list value normalized twice would miss it.
  const cities = list('cities', ['Ruili', '瑞丽市', 'Baise', 'İ̱zmir']);
  const counts = list('counts', [1, 2, 3]);
  const bigCounts = list('big-counts', [2, 3]);

  it.each([
    ['in literal values', { fact: 'parcel.paymentMethod', in: ['cash', 'prepaid'] }, {}, true],
    ['in literal values, absent', { fact: 'parcel.paymentMethod', in: ['cash'] }, {}, false],
    ['notIn literal values', { fact: 'parcel.paymentMethod', notIn: ['cash'] }, {}, true],
    [
      'notIn literal values, present',
      { fact: 'parcel.paymentMethod', notIn: ['cash', 'prepaid'] },
      {},
      false,
    ],
    ['in numbers', { fact: 'parcel.pieceCount', in: [1, 2, 3] }, {}, true],
    ['in numbers, absent', { fact: 'parcel.pieceCount', in: [2, 3] }, {}, false],
    ['notIn numbers, absent', { fact: 'parcel.pieceCount', notIn: [2, 3] }, {}, true],
    ['notIn numbers, present', { fact: 'parcel.pieceCount', notIn: [1, 2] }, {}, false],
    ['in a list of numbers', { fact: 'parcel.pieceCount', in: { list: 'counts' } }, {}, true],
    ['in a list of numbers, absent', { fact: 'parcel.pieceCount', in: { list: 'big-counts' } }, {}, false],
    [
      'notIn a list of numbers, absent',
      { fact: 'parcel.pieceCount', notIn: { list: 'big-counts' } },
      {},
      true,
    ],
    ['notIn a list of numbers, present', { fact: 'parcel.pieceCount', notIn: { list: 'counts' } }, {}, false],
    [
      'in literal texts, case folded',
      { fact: 'parcel.route.origin.city', in: ['Ruili', 'SHENZHEN'] },
      {},
      true,
    ],
    ['in literal texts, absent', { fact: 'parcel.route.origin.city', in: ['Ruili', 'Baise'] }, {}, false],
    [
      'in literal texts, full-width fact',
      { fact: 'parcel.route.origin.city', in: ['Ruili', 'Baise'] },
      cityIs('ｒｕｉｌｉ'),
      true,
    ],
    [
      'in literal texts, full-width in the rule',
      { fact: 'parcel.route.origin.city', in: ['ＳＨＥＮＺＨＥＮ'] },
      {},
      true,
    ],
    [
      'notIn literal texts, absent',
      { fact: 'parcel.route.origin.city', notIn: ['Ruili', 'Baise'] },
      {},
      true,
    ],
    [
      'notIn literal texts, present',
      { fact: 'parcel.route.origin.city', notIn: ['Ruili', 'shenzhen'] },
      {},
      false,
    ],
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
    [
      'in a list, full-width lower case',
      { fact: 'parcel.route.origin.city', in: { list: 'cities' } },
      cityIs('ｒｕｉｌｉ'),
      true,
    ],
    [
      'in a list, full-width upper case',
      { fact: 'parcel.route.origin.city', in: { list: 'cities' } },
      cityIs('ＲＵＩＬＩ'),
      true,
    ],
    [
      'in a list, a value whose normalization is not idempotent',
      { fact: 'parcel.route.origin.city', in: { list: 'cities' } },
      cityIs('İ̱zmir'),
      true,
    ],
    [
      'in a list, a zero-width space inside the fact',
      { fact: 'parcel.route.origin.city', in: { list: 'cities' } },
      cityIs('Rui\u200bli'),
      true,
    ],
    [
      'in a list, a byte order mark between ideographs',
      { fact: 'parcel.route.origin.city', in: { list: 'cities' } },
      cityIs('瑞\ufeff丽市'),
      true,
    ],
    [
      'in a list, a word joiner before a space',
      { fact: 'parcel.route.origin.city', in: { list: 'cities' } },
      cityIs('\u2060 Ruili'),
      true,
    ],
    [
      'in literal texts, a soft hyphen inside the fact',
      { fact: 'parcel.route.origin.city', in: ['Ruili', 'Baise'] },
      cityIs('Bai\u00adse'),
      true,
    ],
    [
      'notIn a list, present with a zero-width joiner',
      { fact: 'parcel.route.origin.city', notIn: { list: 'cities' } },
      cityIs('Rui\u200dli'),
      false,
    ],
    ['in a list, absent', { fact: 'parcel.route.origin.city', in: { list: 'cities' } }, {}, false],
    ['notIn a list', { fact: 'parcel.route.origin.city', notIn: { list: 'cities' } }, {}, true],
    [
      'notIn a list, present',
      { fact: 'parcel.route.origin.city', notIn: { list: 'cities' } },
      cityIs('Ruili'),
      false,
    ],
    [
      'notIn a list, present in full-width',
      { fact: 'parcel.route.origin.city', notIn: { list: 'cities' } },
      cityIs('ＲＵＩＬＩ'),
      false,
    ],
  ])('%s', (_name, when, patch, expected) => {
    // Prepare / Act
    const fired = fires(when, patch, { lists: [cities, counts, bigCounts] });

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
    ['startsWith, full-width fact', onHsCode({ startsWith: '9403' }), hsCodeIs('９４０３６０'), true],
    [
      'startsWith, full-width fact, other prefix',
      onHsCode({ startsWith: '4420' }),
      hsCodeIs('９４０３６０'),
      false,
    ],
    [
      'startsWith a list, full-width fact',
      onHsCode({ startsWith: { list: 'hs' } }),
      hsCodeIs('９４０３６０'),
      true,
    ],
    ['startsWith full-width in the rule', onFirstLine({ startsWith: 'ＳＩＬＩＣＯＮＥ' }), {}, true],
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
    // contains is a plain substring test, in every script; a whole word is what matches is for
    [
      'contains a substring inside a word',
      onFirstLine({ contains: 'carving' }),
      descriptionIs('Woodcarving of Buddha'),
      true,
    ],
    [
      'contains a substring, even one a word hides',
      onFirstLine({ contains: 'teak' }),
      descriptionIs('Steak knives'),
      true,
    ],
    [
      'contains Chinese inside a longer word',
      onFirstLine({ contains: '花梨' }),
      descriptionIs('黄花梨木'),
      true,
    ],
    [
      'matches a whole word only, with \\b',
      onFirstLine({ matches: '\\bteak\\b' }),
      descriptionIs('Steak knives'),
      false,
    ],
    [
      'matches a whole word after Chinese',
      onFirstLine({ matches: '\\bteak\\b' }),
      descriptionIs('柚木teak椅'),
      true,
    ],
    ['containsAny literal', onFirstLine({ containsAny: ['teak', 'case'] }), {}, true],
    [
      'containsAny literals in capitals and full width',
      onFirstLine({ containsAny: ['ROSEWOOD', 'ＴＥＡＫ'] }),
      descriptionIs('Carved teak table'),
      true,
    ],
    [
      'startsWith one of several, full-width in the rule',
      onHsCode({ startsWith: ['３９２６', '４４２０'] }),
      hsCodeIs('442090'),
      true,
    ],
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
    // Escapes of ordinary characters, a range ending in one NFKC changes, and quoted or escaped backslashes.
    ['matches a hex escape of an ordinary letter', onFirstLine({ matches: '^\\x{53}ilicone' }), {}, true],
    ['matches a range with an end NFKC changes', onFirstLine({ matches: '^[\\x{00}-\\xAA]+' }), {}, true],
    [
      'matches an escaped backslash before x{…}, which is no escape',
      onFirstLine({ matches: '\\\\x{FF33}' }),
      descriptionIs('C:\\x{FF33}'),
      true,
    ],
    [
      'matches text quoted with \\Q…\\E, escapes in it being text',
      onFirstLine({ matches: '\\Q\\x{FF33}\\E' }),
      descriptionIs('see \\x{FF33}'),
      true,
    ],
    [
      'matches on normalized text',
      onFirstLine({ matches: '^rosewood' }),
      descriptionIs('ＲＯＳＥＷＯＯＤ'),
      true,
    ],
    // One invisible character (Default_Ignorable_Code_Point) inside a word must not hide it.
    [
      'containsAny a list, a zero-width space between ideographs',
      onFirstLine({ containsAny: { list: 'words' } }),
      descriptionIs('木\u200b雕摆件'),
      true,
    ],
    [
      'containsAny a list, a word joiner between ideographs',
      onFirstLine({ containsAny: { list: 'words' } }),
      descriptionIs('红\u2060木茶几'),
      true,
    ],
    [
      'containsAny a list, a soft hyphen in a Latin word',
      onFirstLine({ containsAny: { list: 'words' } }),
      descriptionIs('carved rose\u00adwood stool'),
      true,
    ],
    [
      'containsAny a list, a variation selector between ideographs',
      onFirstLine({ containsAny: { list: 'words' } }),
      descriptionIs('木\u{e0100}雕'),
      true,
    ],
    [
      'containsAny literal, a zero-width joiner in a Latin word',
      onFirstLine({ containsAny: ['teak', 'rosewood'] }),
      descriptionIs('Rose\u200dwood chair'),
      true,
    ],
    [
      'contains, a byte order mark between ideographs',
      onFirstLine({ contains: '红木' }),
      descriptionIs('紫檀红\ufeff木茶几'),
      true,
    ],
    [
      'contains, a zero-width non-joiner in a Latin word',
      onFirstLine({ contains: 'carving' }),
      descriptionIs('Wood car\u200cving'),
      true,
    ],
    [
      'startsWith, a zero-width space in the first word',
      onFirstLine({ startsWith: 'silicone' }),
      descriptionIs('Sili\u200bcone phone case'),
      true,
    ],
    [
      'startsWith, a zero-width space before the first word',
      onFirstLine({ startsWith: 'silicone' }),
      descriptionIs('\u200bSilicone phone case'),
      true,
    ],
    [
      'matches, a soft hyphen in the word',
      onFirstLine({ matches: '^rosewood\\b' }),
      descriptionIs('Rose\u00adwood table'),
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
    ['missing on a present fact', { fact: 'parcel.measuredWeightKg', missing: true }, {}, false],
    ['missing on a null history field', { fact: 'history.consignee.lastSeizureAt', missing: true }, {}, true],
    ['missing on a present history field', { fact: 'history.consignee.firstSeen', missing: true }, {}, false],
    ['exists on a null history field', { fact: 'history.consignee.lastSeizureAt', exists: true }, {}, false],
    ['missing on an optional object', { fact: 'parcel.dimensions', missing: true }, {}, true],
    ['exists on an optional object', { fact: 'parcel.dimensions', exists: true }, {}, false],
    ['exists on a list', { fact: 'parcel.route.via', exists: true }, {}, true],
  ])('%s', (_name, when, patch, expected) => {
    // Prepare / Act
    const fired = fires(when, patch);

    // Assess
    expect(fired).toBe(expected);
  });
});
