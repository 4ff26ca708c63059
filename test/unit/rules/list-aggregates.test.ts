import { describe, expect, it } from 'vitest';
import {
  compile,
  editorRuleSet,
  editorTakes,
  facts,
  goodsLine,
  issuesOf,
  list,
  RULE_SET_FILE,
  rule,
} from './rule-set-factory.js';

/**
 * The aggregates over a list's elements beyond `sum` and `count`: a distinct count (`count` with
 * `distinct`), the largest and smallest value (`maxOf`, `minOf`), and "the key is in the table" as
 * `exists` on a lookup, which lets a `where` skip the lines a table does not list.
 */

const TABLES = {
  province: {
    description: 'GB/T 2260 province code by the spellings partners write',
    match: 'exact',
    entries: { Yunnan: 53, 云南: 53, 云南省: 53, Guizhou: 52, 贵州: 52, 贵州省: 52, Hunan: 43, 湖南: 43 },
  },
  chapterValue: {
    description: 'typical CNY per kg by HS chapter, no default',
    match: 'prefix',
    entries: { '94': 150, '39': 40 },
  },
  typical: {
    description: 'kg per unit, with a default',
    match: 'prefix',
    default: 1,
    entries: { '9403': 20 },
  },
};

const DERIVED = {
  originProvince: {
    description: 'province code of the origin',
    value: { lookup: { table: 'province', key: 'parcel.route.origin.region' } },
  },
};

/** Evaluates derived fact `x` defined by `value` on the patched baseline; its value and a rule's note on it. */
const derive = (value: unknown, patch: unknown = {}) => {
  const policy = compile({
    tables: TABLES,
    lists: [list('expired-hs', ['9403'], { expires: '2026-01-01' })],
    derived: { ...DERIVED, x: { description: 'under test', value } },
    rules: [rule('reads-x', { fact: 'derived.x', gte: 0 })],
  });
  const trace = policy.evaluate(facts(patch), { trace: true }).trace!;
  return { value: trace.derived.x!, note: trace.rules[0]!.condition!.note };
};

const stops = (...regions: (string | null)[]) => ({
  parcel: {
    route: {
      origin: { country: 'CN', region: 'Yunnan', city: 'Ruili' },
      via: regions.map((region) => ({
        country: 'CN',
        city: 'Somewhere',
        ...(region === null ? {} : { region }),
      })),
    },
  },
});
const lines = (...overrides: Record<string, unknown>[]) => ({
  parcel: { goods: overrides.map((o) => goodsLine(o)) },
});
const valued = (amount: number, extra: Record<string, unknown> = {}) => ({
  declaredValue: { amount, currency: 'CNY' },
  ...extra,
});

const provinceOf = { lookup: { table: 'province', key: 'stop.region' } };
const otherProvinces = {
  count: {
    of: 'parcel.route.via',
    as: 'stop',
    distinct: provinceOf,
    where: { value: provinceOf, ne: { fact: 'derived.originProvince' } },
  },
};
const amount = { fact: 'line.declaredValue.amount' };
const inChapterTable = { value: { lookup: { table: 'chapterValue', key: 'line.hsCode' } }, exists: true };

describe('count with distinct', () => {
  it.each([
    [
      'counts text once per value after normalization, as eq compares it',
      { count: { of: 'parcel.route.via', as: 'stop', distinct: { fact: 'stop.region' } } },
      stops('Guizhou', 'GUIZHOU', 'Ｇｕｉｚｈｏｕ', 'Gui\u200bzhou', 'Hunan'),
      2,
    ],
    [
      'counts every element without distinct',
      { count: { of: 'parcel.route.via', as: 'stop' } },
      stops('Guizhou', 'GUIZHOU', 'Hunan'),
      3,
    ],
    [
      'counts the numbers an expression gives (a province passed twice, in two spellings, is one)',
      { count: { of: 'parcel.route.via', as: 'stop', distinct: provinceOf } },
      stops('Guizhou', '贵州省', 'Hunan', '湖南'),
      2,
    ],
    [
      'counts provinces other than the origin’s through its where',
      otherProvinces,
      stops('云南省', 'Guizhou', '贵州', 'Hunan'),
      2,
    ],
    ['counts one province passed twice as one', otherProvinces, stops('Guizhou', '贵州省'), 1],
    [
      'counts number facts as numbers',
      { count: { of: 'parcel.goods', as: 'line', distinct: { fact: 'line.quantity' } } },
      lines({ quantity: 1 }, { quantity: 2 }, { quantity: 1 }),
      2,
    ],
    [
      'counts currencies (text) once each',
      { count: { of: 'parcel.goods', as: 'line', distinct: { fact: 'line.declaredValue.currency' } } },
      lines(
        { declaredValue: { amount: 1, currency: 'USD' } },
        {},
        { declaredValue: { amount: 2, currency: 'USD' } },
      ),
      2,
    ],
    ['is 0 on an empty list', otherProvinces, stops(), 0],
    ['is 0 when the where keeps no element', otherProvinces, stops('Yunnan', '云南'), 0],
    ['is missing on a missing list', otherProvinces, { parcel: { route: { via: null } } }, null],
    [
      'is missing when an element it counts has no value (a stop without a region)',
      { count: { of: 'parcel.route.via', as: 'stop', distinct: { fact: 'stop.region' } } },
      stops('Guizhou', null),
      null,
    ],
    [
      'is missing when an element’s value is missing (a spelling the table lacks might be a new province)',
      { count: { of: 'parcel.route.via', as: 'stop', distinct: provinceOf } },
      stops('Guizhou', 'YUNNAN PROVINCE'),
      null,
    ],
    [
      'is not missing for an element its where leaves out',
      {
        count: {
          of: 'parcel.route.via',
          as: 'stop',
          distinct: provinceOf,
          where: { value: provinceOf, exists: true },
        },
      },
      stops('Guizhou', 'YUNNAN PROVINCE', 'Hunan'),
      2,
    ],
  ])('%s', (_name, value, patch, expected) => {
    // Prepare / Act
    const { value: result } = derive(value, patch);

    // Assess
    expect(result).toBe(expected);
  });

  it('gives a fresh count on every parcel (its set of values starts empty each time)', () => {
    // Prepare
    const policy = compile({
      tables: TABLES,
      derived: { ...DERIVED, x: { description: 'under test', value: otherProvinces } },
      rules: [rule('two-provinces', { fact: 'derived.x', gte: 2 })],
    });
    const derivedOn = (patch: unknown) => policy.evaluate(facts(patch), { trace: true }).trace!.derived.x;

    // Act
    const first = derivedOn(stops('Guizhou', 'Hunan'));
    const second = derivedOn(stops('Guizhou'));
    const third = derivedOn(stops('Hunan', 'YUNNAN PROVINCE'));
    const fourth = derivedOn(stops('湖南'));

    // Assess
    expect([first, second, third, fourth]).toEqual([2, 1, null, 1]);
  });

  it.each([
    [
      'a stop without a region',
      { count: { of: 'parcel.route.via', as: 'stop', distinct: { fact: 'stop.region' } } },
      stops('Guizhou', null),
      "the count's distinct stop.region on an element of parcel.route.via",
    ],
    [
      'a spelling the table lacks',
      { count: { of: 'parcel.route.via', as: 'stop', distinct: provinceOf } },
      stops('Guizhou', 'YUNNAN PROVINCE'),
      "the count's distinct lookup(province, stop.region) on an element of parcel.route.via",
    ],
    [
      'a spelling the where cannot decide',
      otherProvinces,
      stops('Guizhou', 'YUNNAN PROVINCE'),
      "the count's where on an element of parcel.route.via",
    ],
  ])('explains a distinct count missing on %s', (_name, value, patch, input) => {
    // Prepare / Act
    const { value: result, note } = derive(value, patch);

    // Assess
    expect(result).toBeNull();
    expect(note).toBe(`derived.x is missing: ${input} is missing`);
  });

  it('shows a distinct count in a value condition’s trace and in the fired rule’s values', () => {
    // Prepare
    const when = {
      value: { count: { of: 'parcel.route.via', as: 'stop', distinct: { fact: 'stop.region' } } },
      gte: 2,
    };
    const policy = compile({ rules: [rule('provinces', when)] });

    // Act
    const evaluation = policy.evaluate(facts(stops('Guizhou', 'guizhou', 'Hunan')), { trace: true });

    // Assess
    const key = 'count(parcel.route.via as stop distinct stop.region)';
    expect(evaluation.trace!.rules[0]!.condition).toMatchObject({
      op: 'gte',
      result: 'true',
      fact: key,
      actual: 2,
    });
    expect(evaluation.firedRules[0]!.values).toEqual({ [key]: 2 });
  });
});

describe('maxOf and minOf', () => {
  const threeLines = lines(valued(10), valued(500, { hsCode: '940360' }), valued(30, { hsCode: '940360' }));
  it.each([
    [
      'maxOf takes the largest value',
      { maxOf: { of: 'parcel.goods', as: 'line', value: amount } },
      threeLines,
      500,
    ],
    [
      'minOf takes the smallest value',
      { minOf: { of: 'parcel.goods', as: 'line', value: amount } },
      threeLines,
      10,
    ],
    [
      'maxOf takes an expression of each element (value per unit)',
      {
        maxOf: { of: 'parcel.goods', as: 'line', value: { div: [amount, { fact: 'line.quantity' }] } },
      },
      lines(valued(100, { quantity: 4 }), valued(60, { quantity: 2 })),
      30,
    ],
    [
      'minOf takes only the elements its where keeps',
      {
        minOf: {
          of: 'parcel.goods',
          as: 'line',
          value: amount,
          where: { fact: 'line.hsCode', startsWith: '9403' },
        },
      },
      threeLines,
      30,
    ],
    [
      'maxOf of one element is its value',
      { maxOf: { of: 'parcel.goods', as: 'line', value: amount } },
      lines(valued(7)),
      7,
    ],
    [
      'maxOf is missing when its where keeps no element: there is no largest',
      {
        maxOf: {
          of: 'parcel.goods',
          as: 'line',
          value: amount,
          where: { fact: 'line.hsCode', startsWith: '44' },
        },
      },
      threeLines,
      null,
    ],
    ['minOf is missing on an empty list', { minOf: { of: 'parcel.route.via', value: 1 } }, stops(), null],
    [
      'maxOf is missing on a missing list',
      { maxOf: { of: 'parcel.route.via', value: 1 } },
      { parcel: { route: { via: null } } },
      null,
    ],
    [
      'maxOf is missing when an element’s value is missing (it might have been the largest)',
      {
        maxOf: {
          of: 'parcel.goods',
          as: 'line',
          value: { lookup: { table: 'chapterValue', key: 'line.hsCode' } },
        },
      },
      lines({ hsCode: '940360' }, { hsCode: '010121' }),
      null,
    ],
    [
      'maxOf skips the elements a table lacks through exists on the lookup',
      {
        maxOf: {
          of: 'parcel.goods',
          as: 'line',
          value: { lookup: { table: 'chapterValue', key: 'line.hsCode' } },
          where: inChapterTable,
        },
      },
      lines({ hsCode: '940360' }, { hsCode: '010121' }, { hsCode: '392690' }),
      150,
    ],
  ])('%s', (_name, value, patch, expected) => {
    // Prepare / Act
    const { value: result } = derive(value, patch);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    [
      'an element whose value is missing',
      {
        maxOf: {
          of: 'parcel.goods',
          as: 'line',
          value: { lookup: { table: 'chapterValue', key: 'line.hsCode' } },
        },
      },
      lines({ hsCode: '940360' }, { hsCode: '010121' }),
      "the maxOf's value lookup(chapterValue, line.hsCode) on an element of parcel.goods",
    ],
    [
      'a where that keeps no element',
      {
        minOf: {
          of: 'parcel.goods',
          as: 'line',
          value: amount,
          where: { fact: 'line.hsCode', startsWith: '44' },
        },
      },
      lines({}),
      "an element of parcel.goods that the minOf's where keeps",
    ],
    [
      'an empty list',
      { maxOf: { of: 'parcel.route.via', value: 1 } },
      stops(),
      'an element of parcel.route.via for the maxOf',
    ],
    [
      'an element whose where is missing',
      {
        maxOf: {
          of: 'parcel.goods',
          as: 'line',
          value: amount,
          where: { fact: 'line.hsCode', startsWith: { list: 'expired-hs' } },
        },
      },
      lines({}),
      "the maxOf's where on an element of parcel.goods",
    ],
  ])('explains a maxOf or minOf missing on %s', (_name, value, patch, input) => {
    // Prepare / Act
    const { value: result, note } = derive(value, patch);

    // Assess
    expect(result).toBeNull();
    expect(note).toBe(`derived.x is missing: ${input} is missing`);
  });

  it('judges a parcel by its most valuable line, and shows the maxOf in the trace and the values', () => {
    // Prepare
    const when = { value: { maxOf: { of: 'parcel.goods', as: 'line', value: amount } }, gt: 400 };
    const policy = compile({ rules: [rule('valuable-line', when)] });

    // Act
    const fired = policy.evaluate(facts(lines(valued(10), valued(500))), { trace: true });
    const notFired = policy.evaluate(facts(lines(valued(10), valued(300))), { trace: true });

    // Assess
    const key = 'maxOf(parcel.goods as line: line.declaredValue.amount)';
    expect(fired.trace!.rules[0]!.condition).toMatchObject({
      op: 'gt',
      result: 'true',
      fact: key,
      actual: 500,
    });
    expect(fired.firedRules[0]!.values).toEqual({ [key]: 500 });
    expect(notFired.firedRules).toEqual([]);
  });
});

describe('a key in a table: exists on a lookup', () => {
  const inCny = { lookup: { table: 'chapterValue', key: 'line.hsCode' } };
  it.each([
    [
      'a sum over lines of unlisted chapters is missing',
      { sum: { of: 'parcel.goods', as: 'line', value: inCny } },
      null,
    ],
    [
      'a sum whose where is exists on the lookup skips the unlisted lines',
      { sum: { of: 'parcel.goods', as: 'line', value: inCny, where: inChapterTable } },
      190,
    ],
    [
      'a count of missing on the lookup counts the unlisted lines',
      { count: { of: 'parcel.goods', as: 'line', where: { value: inCny, missing: true } } },
      1,
    ],
    [
      'exists on a lookup in a table with a default holds for every key (the default is a value)',
      {
        count: {
          of: 'parcel.goods',
          as: 'line',
          where: { value: { lookup: { table: 'typical', key: 'line.hsCode' } }, exists: true },
        },
      },
      3,
    ],
  ])('%s', (_name, value, expected) => {
    // Prepare
    const patch = lines({ hsCode: '940360' }, { hsCode: '010121' }, { hsCode: '392690' });

    // Act
    const { value: result } = derive(value, patch);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('load-time errors of the list aggregates name the file, the rule and the JSON path', () => {
  const via = (distinct: unknown) => ({ count: { of: 'parcel.route.via', as: 'stop', distinct } });
  it.each([
    [
      'a distinct over an object (the element itself)',
      { value: via({ fact: 'stop' }), gt: 1 },
      'rules[0].when.value.count.distinct.fact',
      'distinct counts single values (text, a number or a boolean), but stop is an object: name one of its fields',
    ],
    [
      'a distinct over an object field',
      {
        value: { count: { of: 'parcel.goods', as: 'line', distinct: { fact: 'line.declaredValue' } } },
        gt: 1,
      },
      'rules[0].when.value.count.distinct.fact',
      'distinct counts single values (text, a number or a boolean), but line.declaredValue is an object: name one of its fields',
    ],
    [
      'a distinct over a list',
      { value: via({ fact: 'parcel.goods' }), gt: 1 },
      'rules[0].when.value.count.distinct.fact',
      'distinct counts single values (text, a number or a boolean), but parcel.goods is a list: name one of its fields',
    ],
    [
      'a distinct over an unknown fact',
      { value: via({ fact: 'stop.province' }), gt: 1 },
      'rules[0].when.value.count.distinct.fact',
      'unknown fact stop.province; stop has country, region, city',
    ],
    [
      'a distinct expression doing arithmetic on text',
      { value: via({ add: [{ fact: 'stop.region' }, 1] }), gt: 1 },
      'rules[0].when.value.count.distinct.add[0].fact',
      'stop.region is not a number, it cannot be used in arithmetic',
    ],
    [
      'a maxOf of text',
      { value: { maxOf: { of: 'parcel.goods', as: 'line', value: { fact: 'line.description' } } }, gt: 1 },
      'rules[0].when.value.maxOf.value.fact',
      'line.description is not a number, it cannot be used in arithmetic',
    ],
    [
      'a minOf over a fact that is not a list',
      { value: { minOf: { of: 'parcel.pieceCount', value: 1 } }, gt: 1 },
      'rules[0].when.value.minOf.of',
      'parcel.pieceCount is not a list, it cannot be quantified',
    ],
    [
      'a minOf whose variable shadows an outer one',
      {
        some: {
          of: 'parcel.goods',
          as: 'line',
          where: { value: { minOf: { of: 'parcel.goods', as: 'line', value: 1 } }, gt: 0 },
        },
      },
      'rules[0].when.some.where.value.minOf.as',
      'variable line is already bound by an outer quantifier',
    ],
  ])('refuses %s', (_name, when, path, reason) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ rules: [rule('broken', when)] }));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'broken', path, reason }]);
  });

  it('refuses a distinct over an object in a derived fact, at its path', () => {
    // Prepare / Act
    const issues = issuesOf(() =>
      compile({
        derived: { x: { description: 'under test', value: via({ fact: 'stop' }) } },
        rules: [rule('reads-x', { fact: 'derived.x', gt: 1 })],
      }),
    );

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        path: 'derived.x.value.count.distinct.fact',
        reason:
          'distinct counts single values (text, a number or a boolean), but stop is an object: name one of its fields',
      },
    ]);
  });

  it('refuses a maxOf without a value and a count with a value, as the schema says', () => {
    // Prepare / Act
    const withoutValue = issuesOf(() =>
      compile({ rules: [rule('broken', { value: { maxOf: { of: 'parcel.goods' } }, gt: 1 })] }),
    );
    const countWithValue = issuesOf(() =>
      compile({ rules: [rule('broken', { value: { count: { of: 'parcel.goods', value: 1 } }, gt: 1 })] }),
    );

    // Assess
    expect(withoutValue.length).toBeGreaterThan(0);
    expect(withoutValue.every((issue) => issue.file === RULE_SET_FILE)).toBe(true);
    expect(withoutValue.some((issue) => issue.path.startsWith('rules[0].when.value'))).toBe(true);
    expect(countWithValue.some((issue) => issue.path.startsWith('rules[0].when.value'))).toBe(true);
  });
});

describe('a reason on a maxOf', () => {
  it('refuses a placeholder naming its variable: no one element decides a maxOf', () => {
    // Prepare
    const when = { value: { maxOf: { of: 'parcel.goods', as: 'line', value: amount } }, gt: 400 };

    // Act
    const issues = issuesOf(() =>
      compile({ rules: [rule('valuable-line', when, { reason: 'most valuable: {line.description}' })] }),
    );

    // Assess
    expect(issues).toMatchObject([{ file: RULE_SET_FILE, ruleId: 'valuable-line', path: 'rules[0].reason' }]);
  });
});

describe('the editors’ JSON Schema', () => {
  it.each([
    ['maxOf', { maxOf: { of: 'parcel.goods', as: 'line', value: amount } }, true],
    ['minOf with a where', { minOf: { of: 'parcel.goods', value: 1, where: inChapterTable } }, true],
    [
      'a count with distinct',
      { count: { of: 'parcel.route.via', as: 'stop', distinct: { fact: 'stop.region' } } },
      true,
    ],
    ['a maxOf without a value', { maxOf: { of: 'parcel.goods' } }, false],
    ['a maxOf with distinct', { maxOf: { of: 'parcel.goods', value: 1, distinct: amount } }, false],
  ])('takes or refuses %s as the loader does', (_name, value, accepted) => {
    // Prepare
    const document = editorRuleSet('aggregate', { value, gt: 1 });

    // Act / Assess
    expect(editorTakes(document)).toBe(accepted);
  });
});
