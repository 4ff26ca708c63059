import { describe, expect, it } from 'vitest';
import { compile, facts, goodsLine, list, rule } from './rule-set-factory.js';

const TABLES = {
  typical: {
    description: 'kg per unit',
    match: 'prefix',
    default: 1,
    entries: { '9403': 20, '940391': 5, '3926': 0.05 },
  },
  strictTypical: { description: 'kg per unit, no default', match: 'prefix', entries: { '9403': 20 } },
  rates: { description: 'CNY per unit', match: 'exact', entries: { CNY: 1, USD: 7.1 } },
};

/** Evaluates derived fact `x` defined by `value` on the patched baseline and returns it from the trace. */
const derive = (value: unknown, patch: unknown = {}): number | null => {
  const policy = compile({
    tables: TABLES,
    derived: { x: { description: 'under test', value } },
    rules: [rule('reads-x', { fact: 'derived.x', exists: true })],
  });
  return policy.evaluate(facts(patch), { trace: true }).trace!.derived.x!;
};

const lines = (...overrides: Record<string, unknown>[]) => ({
  parcel: { goods: overrides.map((o) => goodsLine(o)) },
});
const quantity = { fact: 'line.quantity' };

describe('derived facts', () => {
  it.each([
    ['a number literal', 4, {}, 4],
    ['a fact', { fact: 'parcel.declaredGrossWeightKg' }, {}, 0.8],
    ['add', { add: [1, 2, 3.5] }, {}, 6.5],
    ['sub', { sub: [10, 2.5, 0.5] }, {}, 7],
    ['mul', { mul: [2, 3, 4] }, {}, 24],
    ['div', { div: [9, 3] }, {}, 3],
    ['div by zero is missing', { div: [9, 0] }, {}, null],
    ['min', { min: [3, 1, 2] }, {}, 1],
    ['max', { max: [3, 1, 2] }, {}, 3],
    [
      'a missing operand makes add missing',
      { add: [1, { fact: 'parcel.measuredWeightKg' }] },
      { parcel: { measuredWeightKg: null } },
      null,
    ],
    [
      'a missing operand among three makes add missing',
      { add: [1, { fact: 'parcel.measuredWeightKg' }, 2] },
      { parcel: { measuredWeightKg: null } },
      null,
    ],
    [
      'a missing operand among three makes max missing',
      { max: [1, { fact: 'parcel.measuredWeightKg' }, 2] },
      { parcel: { measuredWeightKg: null } },
      null,
    ],
    [
      'coalesce takes the first present value',
      { coalesce: [{ fact: 'parcel.measuredWeightKg' }, { fact: 'parcel.declaredGrossWeightKg' }] },
      { parcel: { measuredWeightKg: null } },
      0.8,
    ],
    [
      'coalesce of nothing present is missing',
      { coalesce: [{ fact: 'parcel.measuredWeightKg' }] },
      { parcel: { measuredWeightKg: null } },
      null,
    ],
    [
      'ratio measured / declared',
      { div: [{ fact: 'parcel.measuredWeightKg' }, { fact: 'parcel.declaredGrossWeightKg' }] },
      { parcel: { declaredGrossWeightKg: 0.18, measuredWeightKg: 0.27 } },
      1.5,
    ],
    [
      'sum over goods',
      { sum: { of: 'parcel.goods', as: 'line', value: quantity } },
      lines({ quantity: 2 }, { quantity: 3 }),
      5,
    ],
    [
      'sum over goods with a filter',
      {
        sum: {
          of: 'parcel.goods',
          as: 'line',
          value: quantity,
          where: { fact: 'line.hsCode', startsWith: '9403' },
        },
      },
      lines({ quantity: 2, hsCode: '940360' }, { quantity: 3 }),
      2,
    ],
    [
      'sum over no goods lines is 0',
      { sum: { of: 'parcel.route.via', value: 1 } },
      { parcel: { route: { via: [] } } },
      0,
    ],
    [
      'count with a filter',
      { count: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', gt: 1 } } },
      lines({ quantity: 2 }, { quantity: 1 }, { quantity: 5 }),
      2,
    ],
    ['count without a filter', { count: { of: 'parcel.route.via' } }, {}, 1],
    // Not 0: a list that is not there could have held anything.
    [
      'count over a missing list is missing',
      { count: { of: 'parcel.route.via' } },
      { parcel: { route: { via: null } } },
      null,
    ],
    [
      'sum over a missing list is missing',
      { sum: { of: 'parcel.route.via', value: 1 } },
      { parcel: { route: { via: null } } },
      null,
    ],
  ])('computes %s', (_name, value, patch, expected) => {
    // Prepare / Act
    const result = derive(value, patch);

    // Assess
    expect(result).toBe(expected);
  });

  // An element whose `where` is missing (an absent fact, or an expired list) could be one that matches:
  // the count or sum is missing, like `some`/`none` over the same elements, and a rule on it never fires.
  const expiredHs = list('expired-hs', ['9403'], { expires: '2026-01-01' });
  const onExpiredList = { fact: 'line.hsCode', startsWith: { list: 'expired-hs' } };
  const moreThanOne = { fact: 'line.quantity', gt: 1 };
  const amount = { fact: 'line.declaredValue.amount' };
  const inCny = {
    mul: [amount, { lookup: { table: 'rates', key: 'line.declaredValue.currency' } }],
  };
  it.each([
    [
      'count where an element lacks the fact',
      { count: { of: 'parcel.goods', as: 'line', where: moreThanOne } },
      lines({ quantity: 1 }, { quantity: null }),
      { eq: 0 },
      "the count's where on an element of parcel.goods",
    ],
    [
      'count where an element lacks the fact and another matches',
      { count: { of: 'parcel.goods', as: 'line', where: moreThanOne } },
      lines({ quantity: 2 }, { quantity: null }),
      { eq: 1 },
      "the count's where on an element of parcel.goods",
    ],
    [
      'count where the list has expired',
      { count: { of: 'parcel.goods', as: 'line', where: onExpiredList } },
      lines({ hsCode: '940360' }),
      { eq: 0 },
      "the count's where on an element of parcel.goods",
    ],
    [
      'sum where an element lacks the fact',
      { sum: { of: 'parcel.goods', as: 'line', value: amount, where: moreThanOne } },
      lines({ quantity: 1 }, { quantity: null, declaredValue: { amount: 500, currency: 'CNY' } }),
      { lt: 100 },
      "the sum's where on an element of parcel.goods",
    ],
    [
      'sum where the list has expired',
      { sum: { of: 'parcel.goods', as: 'line', value: amount, where: onExpiredList } },
      lines({ hsCode: '940360' }, { hsCode: '392690' }),
      { lt: 100 },
      "the sum's where on an element of parcel.goods",
    ],
    [
      'sum where a table has no entry for an element',
      { sum: { of: 'parcel.goods', as: 'line', value: inCny } },
      lines({}, { declaredValue: { amount: 500, currency: 'JPY' } }),
      { lt: 100 },
      "the sum's value mul(line.declaredValue.amount, lookup(rates, line.declaredValue.currency)) on an element of parcel.goods",
    ],
    [
      "sum where an element's where is missing, not the value of one its where leaves out",
      { sum: { of: 'parcel.goods', as: 'line', value: inCny, where: moreThanOne } },
      lines({ declaredValue: { amount: 5, currency: 'JPY' } }, { quantity: null }),
      { lt: 100 },
      "the sum's where on an element of parcel.goods",
    ],
    [
      'sum of values two sums share, one missing on an element only the first sum counts',
      {
        add: [
          { sum: { of: 'parcel.goods', as: 'line', value: inCny, where: moreThanOne } },
          { sum: { of: 'parcel.goods', as: 'line', value: inCny, where: { not: moreThanOne } } },
        ],
      },
      lines({ quantity: 2, declaredValue: { amount: 5, currency: 'JPY' } }, { quantity: 1 }),
      { lt: 100 },
      "the sum's value mul(line.declaredValue.amount, lookup(rates, line.declaredValue.currency)) on an element of parcel.goods",
    ],
  ])('makes a %s missing, and a rule on it does not fire', (_name, value, patch, operator, input) => {
    // Prepare
    const policy = compile({
      tables: TABLES,
      lists: [expiredHs],
      derived: { x: { description: 'under test', value } },
      rules: [rule('reads-x', { fact: 'derived.x', ...operator })],
    });

    // Act
    const evaluation = policy.evaluate(facts(patch), { trace: true });

    // Assess
    expect(evaluation.trace!.derived.x).toBeNull();
    expect(evaluation.firedRules).toEqual([]);
    expect(evaluation.trace!.rules[0]!.condition).toMatchObject({
      result: 'missing',
      note: `derived.x is missing: ${input} is missing`,
    });
  });

  it.each([
    ['a product past the largest number', { mul: [1e200, 1e200] }],
    ['a sum past the largest number', { add: [{ mul: [1e200, 1e108] }, { mul: [1e200, 1e108] }] }],
    ['a quotient past the largest number', { div: [1e300, 1e-300] }],
    ['three operands past the largest number', { mul: [1e300, { fact: 'parcel.pieceCount' }, 1e10] }],
    ['a difference of two overflows', { sub: [{ mul: [1e200, 1e200] }, { mul: [1e200, 1e200] }] }],
    [
      'a sum over goods lines past the largest number',
      { sum: { of: 'parcel.goods', as: 'line', value: { mul: [{ fact: 'line.quantity' }, 1.5e308] } } },
    ],
  ])('makes %s missing: it has no decimal to compare or show', (_name, value) => {
    // Prepare
    const policy = compile({
      derived: { x: { description: 'under test', value } },
      rules: [
        rule('above', { fact: 'derived.x', gt: 0 }),
        rule('not-above', { not: { fact: 'derived.x', gt: 0 } }),
      ],
    });

    // Act
    const evaluation = policy.evaluate(facts(lines({ quantity: 2 })), { trace: true });

    // Assess
    expect(evaluation.trace!.derived.x).toBeNull();
    expect(evaluation.firedRules).toEqual([]);
  });

  it('explains a missing derived fact read through many paths by reading each derived fact once', () => {
    // Prepare: a0 … a30 and b0 … b30, each pair from the next pair: 2^30 paths from a0 to the weight
    const weight = { fact: 'parcel.measuredWeightKg' };
    const derived: Record<string, unknown> = {
      a30: { description: 'leaf', value: weight },
      b30: { description: 'leaf', value: weight },
    };
    for (let i = 29; i >= 0; i--) {
      const next = { add: [{ fact: `derived.a${i + 1}` }, { fact: `derived.b${i + 1}` }] };
      derived[`a${i}`] = { description: 'node', value: next };
      derived[`b${i}`] = { description: 'node', value: next };
    }
    const policy = compile({ derived, rules: [rule('reads-a0', { fact: 'derived.a0', gt: 0 })] });

    // Act
    const evaluation = policy.evaluate(facts({ parcel: { measuredWeightKg: null } }), { trace: true });

    // Assess
    expect(evaluation.trace!.rules[0]!.condition).toMatchObject({
      result: 'missing',
      note: 'derived.a0 is missing: parcel.measuredWeightKg is missing',
    });
  });

  it.each([
    ['an empty list', { parcel: { goods: [] } }, 0],
    ['elements whose where is decided', lines({ quantity: 2 }, { quantity: 1 }), 1],
  ])('still counts over %s', (_name, patch, expected) => {
    // Prepare / Act
    const result = derive({ count: { of: 'parcel.goods', as: 'line', where: moreThanOne } }, patch);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    ['the longest HS prefix wins', '940391', 5],
    ['a shorter prefix applies to other codes', '940360', 20],
    ['the default applies when no prefix matches', '610910', 1],
  ])('looks up typical weight by HS prefix: %s', (_name, hsCode, expected) => {
    // Prepare / Act
    const result = derive(
      {
        sum: { of: 'parcel.goods', as: 'line', value: { lookup: { table: 'typical', key: 'line.hsCode' } } },
      },
      lines({ hsCode }),
    );

    // Assess
    expect(result).toBe(expected);
  });

  it('makes a lookup with no match and no default missing', () => {
    // Prepare / Act
    const result = derive(
      {
        sum: {
          of: 'parcel.goods',
          as: 'line',
          value: { lookup: { table: 'strictTypical', key: 'line.hsCode' } },
        },
      },
      lines({ hsCode: '940360' }, { hsCode: '610910' }),
    );

    // Assess
    expect(result).toBeNull();
  });

  it.each([
    [
      'declared weight per typical weight of the goods',
      { parcel: { declaredGrossWeightKg: 152, goods: [goodsLine({ hsCode: '940360', quantity: 2 })] } },
      3.8,
    ],
    [
      'typical weight of mixed goods lines',
      {
        parcel: {
          declaredGrossWeightKg: 41,
          goods: [
            goodsLine({ hsCode: '940360', quantity: 2 }),
            goodsLine({ hsCode: '392690', quantity: 20 }),
          ],
        },
      },
      1,
    ],
  ])('computes the ratio of %s', (_name, patch, expected) => {
    // Prepare
    const typical = {
      sum: {
        of: 'parcel.goods',
        as: 'line',
        value: { mul: [quantity, { lookup: { table: 'typical', key: 'line.hsCode' } }] },
      },
    };

    // Act
    const result = derive({ div: [{ fact: 'parcel.declaredGrossWeightKg' }, typical] }, patch);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    ['CNY', 100, 'CNY', 10, 10],
    ['USD converted to CNY', 100, 'USD', 10, 71],
    ['an unknown currency is missing', 100, 'XAF', 10, null],
  ])('computes value per kg with currency conversion: %s', (_name, amount, currency, weight, expected) => {
    // Prepare
    const value = {
      sum: {
        of: 'parcel.goods',
        as: 'line',
        value: {
          mul: [
            { fact: 'line.declaredValue.amount' },
            { lookup: { table: 'rates', key: 'line.declaredValue.currency' } },
          ],
        },
      },
    };

    // Act
    const result = derive(
      { div: [value, { fact: 'parcel.declaredGrossWeightKg' }] },
      {
        parcel: {
          declaredGrossWeightKg: weight,
          goods: [goodsLine({ declaredValue: { amount, currency } })],
        },
      },
    );

    // Assess
    expect(result).toBe(expected);
  });

  it('lets derived facts use each other in any order, computing each once per evaluation', () => {
    // Prepare
    const policy = compile({
      derived: {
        ratio: {
          description: 'b / a',
          value: { div: [{ fact: 'derived.total' }, { fact: 'derived.lines' }] },
        },
        total: {
          description: 'sum of quantities',
          value: { sum: { of: 'parcel.goods', value: { fact: 'item.quantity' } } },
        },
        lines: { description: 'number of lines', value: { count: { of: 'parcel.goods' } } },
      },
      rules: [rule('avg', { fact: 'derived.ratio', eq: 2.5 })],
    });

    // Act
    const fired = policy
      .evaluate(facts(lines({ quantity: 2 }, { quantity: 3 })))
      .firedRules.map((r) => r.ruleId);

    // Assess
    expect(fired).toEqual(['avg']);
  });

  it('reads a derived fact that quantifies inside a rule quantifier without disturbing it', () => {
    // Prepare
    const policy = compile({
      derived: {
        total: {
          description: 'sum',
          value: { sum: { of: 'parcel.goods', as: 'line', value: { fact: 'line.quantity' } } },
        },
      },
      rules: [
        rule('every-line-below-total', {
          every: {
            of: 'parcel.goods',
            as: 'line',
            where: {
              all: [
                { fact: 'derived.total', gt: 0 },
                { fact: 'line.quantity', lt: { fact: 'derived.total' } },
              ],
            },
          },
        }),
      ],
    });

    // Act
    const fired = policy
      .evaluate(facts(lines({ quantity: 2 }, { quantity: 3 })))
      .firedRules.map((r) => r.ruleId);

    // Assess
    expect(fired).toEqual(['every-line-below-total']);
  });

  // `outer` compiles `inner` on first use, so both get the same quantifier slot; when `inner` was
  // computed lazily inside `outer`'s sum it overwrote `outer`'s element, and the result depended on
  // which name sorted first.
  it.each([
    ['a', 'b'],
    ['z', 'b'],
  ])(
    'reads derived fact %s, whose sum reads derived fact %s, the same whatever their names',
    (outer, inner) => {
      // Prepare
      const policy = compile({
        derived: {
          [outer]: {
            description: 'the inner total, or the sum over lines of inner total × quantity',
            value: {
              coalesce: [
                { div: [{ fact: 'parcel.measuredWeightKg' }, { fact: `derived.${inner}` }] },
                {
                  sum: {
                    of: 'parcel.goods',
                    as: 'line',
                    value: { mul: [{ fact: `derived.${inner}` }, { fact: 'line.quantity' }] },
                  },
                },
              ],
            },
          },
          [inner]: {
            description: 'sum of quantities',
            value: { sum: { of: 'parcel.goods', as: 'line', value: { fact: 'line.quantity' } } },
          },
        },
        rules: [rule('reads-outer', { fact: `derived.${outer}`, eq: 25 })],
      });
      const twoLinesNoMeasuredWeight = {
        parcel: { ...lines({ quantity: 2 }, { quantity: 3 }).parcel, measuredWeightKg: null },
      };

      // Act
      const evaluation = policy.evaluate(facts(twoLinesNoMeasuredWeight), { trace: true });

      // Assess
      expect(evaluation.trace!.derived).toEqual({ [outer]: 25, [inner]: 5 });
      expect(evaluation.firedRules.map((r) => r.ruleId)).toEqual(['reads-outer']);
    },
  );
});
