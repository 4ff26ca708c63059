import { describe, expect, it } from 'vitest';
import { RuleSetError } from '../../../functions/core/rules/index.js';
import { compile, facts, goodsLine, list, rule } from './rule-set-factory.js';

describe('fired rules: reason and values', () => {
  it('interpolates facts, derived facts and the list name into the reason, formatting numbers', () => {
    // Prepare
    const policy = compile({
      lists: [list('origins', ['Shenzhen'])],
      derived: {
        perUnit: {
          description: 'kg per unit',
          value: { div: [{ fact: 'parcel.declaredGrossWeightKg' }, 3] },
        },
      },
      rules: [
        rule(
          'origin',
          {
            all: [
              { fact: 'parcel.route.origin.city', in: { list: 'origins' } },
              { fact: 'derived.perUnit', gt: 0 },
            ],
          },
          {
            reason:
              'origin {parcel.route.origin.city} is on list {list}; {derived.perUnit} kg per unit; measured {parcel.dimensions.heightCm}',
          },
        ),
      ],
    });

    // Act
    const [fired] = policy.evaluate(facts()).firedRules;

    // Assess
    expect(fired).toEqual({
      ruleId: 'origin',
      title: 'rule origin',
      score: 10,
      reason: 'origin Shenzhen is on list origins; 0.27 kg per unit; measured n/a',
      values: {
        'parcel.route.origin.city': 'Shenzhen',
        'derived.perUnit': 0.266667,
        'parcel.dimensions.heightCm': null,
      },
    });
  });

  it('records only the decisive branch of an any', () => {
    // Prepare
    const policy = compile({
      rules: [
        rule('either', {
          any: [
            { fact: 'parcel.paymentMethod', eq: 'cash' },
            { fact: 'parcel.pieceCount', eq: 1 },
          ],
        }),
      ],
    });

    // Act
    const [fired] = policy.evaluate(facts()).firedRules;

    // Assess
    expect(fired?.values).toEqual({ 'parcel.pieceCount': 1 });
  });

  it('records every matching element of a some with its concrete path', () => {
    // Prepare
    const policy = compile({
      rules: [
        rule('heavy-lines', {
          some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', gt: 2 } },
        }),
      ],
    });
    const patch = {
      parcel: { goods: [goodsLine({ quantity: 3 }), goodsLine({ quantity: 1 }), goodsLine({ quantity: 4 })] },
    };

    // Act
    const [fired] = policy.evaluate(facts(patch)).firedRules;

    // Assess
    expect(fired?.values).toEqual({ 'parcel.goods[0].quantity': 3, 'parcel.goods[2].quantity': 4 });
  });

  it('sets the forced lane on a fired rule only when it forces one', () => {
    // Prepare
    const policy = compile({
      rules: [
        rule('plain', { fact: 'parcel.pieceCount', eq: 1 }),
        rule('forcing', { fact: 'parcel.pieceCount', eq: 1 }, { lane: 'review' }),
      ],
    });

    // Act
    const fired = policy.evaluate(facts()).firedRules;

    // Assess
    expect(fired.map((rule) => 'lane' in rule)).toEqual([false, true]);
    expect(fired[1]?.lane).toBe('review');
  });
});

/** A fired rule records every value that made it fire: both sides of a comparison, and what expressions read. */
describe('fired rules: values of expressions and right-hand facts', () => {
  const heavier = { parcel: { measuredWeightKg: 1.3, declaredGrossWeightKg: 0.8, pieceCount: 2 } };

  it.each<[string, unknown, Record<string, unknown>]>([
    [
      'a right-hand fact of gt, under its own path',
      { fact: 'parcel.measuredWeightKg', gt: { fact: 'parcel.declaredGrossWeightKg' } },
      { 'parcel.measuredWeightKg': 1.3, 'parcel.declaredGrossWeightKg': 0.8 },
    ],
    [
      'a right-hand fact of eq',
      { fact: 'parcel.route.origin.country', eq: { fact: 'parcel.route.destination.country' } },
      { 'parcel.route.origin.country': 'CN', 'parcel.route.destination.country': 'CN' },
    ],
    [
      'two value conditions, each under its own expression, with the facts they read',
      {
        all: [
          {
            value: { sub: [{ fact: 'parcel.measuredWeightKg' }, { fact: 'parcel.declaredGrossWeightKg' }] },
            gt: 0,
          },
          { value: { mul: [{ fact: 'parcel.pieceCount' }, 100] }, gte: 100 },
        ],
      },
      {
        'sub(parcel.measuredWeightKg, parcel.declaredGrossWeightKg)': 0.5,
        'parcel.measuredWeightKg': 1.3,
        'parcel.declaredGrossWeightKg': 0.8,
        'mul(parcel.pieceCount, 100)': 200,
        'parcel.pieceCount': 2,
      },
    ],
    [
      'a value condition over a quantifier element, by the element',
      {
        some: {
          of: 'parcel.goods',
          as: 'line',
          where: { value: { mul: [{ fact: 'line.quantity' }, 2] }, gt: 5 },
        },
      },
      { 'mul(parcel.goods[1].quantity, 2)': 8, 'parcel.goods[1].quantity': 4 },
    ],
  ])('records %s', (_name, when, values) => {
    // Prepare
    const policy = compile({ rules: [rule('r', when)] });
    const patch = {
      ...heavier,
      parcel: { ...heavier.parcel, goods: [goodsLine(), goodsLine({ quantity: 4 })] },
    };

    // Act
    const [fired] = policy.evaluate(facts(patch)).firedRules;

    // Assess
    expect(fired?.values).toEqual(values);
  });
});

/**
 * A number in a reason is never rounded onto, or across, a constant its rule compares that fact with: the
 * reason of a rule that fired on 1.500006 > 1.5 must not read "1.5". Values keep the numbers as they are.
 */
describe('numbers in reasons beside the thresholds their rule compares them with', () => {
  const ratio = {
    description: 'measured over declared',
    value: { div: [{ fact: 'parcel.measuredWeightKg' }, { fact: 'parcel.declaredGrossWeightKg' }] },
  };

  it.each<[string, unknown, string, unknown, string, Record<string, unknown>]>([
    [
      'a derived ratio just above gt: 1.5, beside facts it does not compare (2 decimals)',
      { fact: 'derived.ratio', gt: 1.5 },
      'measured {parcel.measuredWeightKg} kg is {derived.ratio}× the declared {parcel.declaredGrossWeightKg} kg',
      { parcel: { measuredWeightKg: 0.270001, declaredGrossWeightKg: 0.18 } },
      'measured 0.27 kg is 1.50001× the declared 0.18 kg',
      {
        'derived.ratio': 1.500006,
        'parcel.measuredWeightKg': 0.270001,
        'parcel.declaredGrossWeightKg': 0.18,
      },
    ],
    [
      'a derived ratio on the right, written the other way round (value: 1.5, lt: the ratio)',
      { value: 1.5, lt: { fact: 'derived.ratio' } },
      'ratio {derived.ratio}',
      { parcel: { measuredWeightKg: 0.270001, declaredGrossWeightKg: 0.18 } },
      'ratio 1.50001',
      { '1.5': 1.5, 'derived.ratio': 1.500006 },
    ],
    [
      'a fact that would round up onto lt: 30',
      { fact: 'parcel.declaredGrossWeightKg', lt: 30 },
      'declared {parcel.declaredGrossWeightKg} kg',
      { parcel: { declaredGrossWeightKg: 29.996 } },
      'declared 29.996 kg',
      { 'parcel.declaredGrossWeightKg': 29.996 },
    ],
    [
      'a fact that would round across gte: 2 under a not',
      { not: { fact: 'parcel.declaredGrossWeightKg', gte: 2 } },
      'declared {parcel.declaredGrossWeightKg} kg, under 2',
      { parcel: { declaredGrossWeightKg: 1.996 } },
      'declared 1.996 kg, under 2',
      { 'parcel.declaredGrossWeightKg': 1.996 },
    ],
    [
      'a fact just outside between: [2, 5], under a not',
      { not: { fact: 'parcel.declaredGrossWeightKg', between: [2, 5] } },
      'declared {parcel.declaredGrossWeightKg} kg',
      { parcel: { declaredGrossWeightKg: 5.004 } },
      'declared 5.004 kg',
      { 'parcel.declaredGrossWeightKg': 5.004 },
    ],
    [
      'a fact that ne: 1.5 fired on',
      { fact: 'parcel.declaredGrossWeightKg', ne: 1.5 },
      'declared {parcel.declaredGrossWeightKg} kg',
      { parcel: { declaredGrossWeightKg: 1.500001 } },
      'declared 1.500001 kg',
      { 'parcel.declaredGrossWeightKg': 1.500001 },
    ],
    [
      'a fact that notIn: [1.5] fired on',
      { fact: 'parcel.declaredGrossWeightKg', notIn: [1.5, 2] },
      'declared {parcel.declaredGrossWeightKg} kg',
      { parcel: { declaredGrossWeightKg: 1.500001 } },
      'declared 1.500001 kg',
      { 'parcel.declaredGrossWeightKg': 1.500001 },
    ],
    [
      'a value: that is one fact, compared with gt: 1.5',
      { value: { fact: 'parcel.declaredGrossWeightKg' }, gt: 1.5 },
      'declared {parcel.declaredGrossWeightKg} kg',
      { parcel: { declaredGrossWeightKg: 1.500001 } },
      'declared 1.500001 kg',
      { 'parcel.declaredGrossWeightKg': 1.500001 },
    ],
    [
      'the element a some fired on, compared in its where',
      { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', gt: 2 } } },
      'line of {line.quantity} units',
      { parcel: { goods: [goodsLine({ quantity: 1 }), goodsLine({ quantity: 2.001 })] } },
      'line of 2.001 units',
      { 'parcel.goods[1].quantity': 2.001 },
    ],
    [
      'a fact finer than 6 decimals, every digit it has',
      { fact: 'parcel.measuredWeightKg', gt: 0.8 },
      'measured {parcel.measuredWeightKg} kg',
      { parcel: { measuredWeightKg: 0.8000001 } },
      'measured 0.8000001 kg',
      { 'parcel.measuredWeightKg': 0.8000001 },
    ],
  ])('shows %s apart from it', (_name, when, reason, patch, shown, values) => {
    // Prepare
    const policy = compile({ derived: { ratio }, rules: [rule('r', when, { reason })] });

    // Act
    const [fired] = policy.evaluate(facts(patch)).firedRules;

    // Assess
    expect(fired?.reason).toBe(shown);
    expect(fired?.values).toEqual(values);
  });
});

describe('a reason beside the numbers of a list', () => {
  it('shows a fact apart from the numbers of the list its notIn names', () => {
    // Prepare
    const policy = compile({
      lists: [list('weights', [1.5, 2])],
      rules: [
        rule(
          'r',
          { fact: 'parcel.declaredGrossWeightKg', notIn: { list: 'weights' } },
          { reason: 'declared {parcel.declaredGrossWeightKg} kg' },
        ),
      ],
    });

    // Act
    const [fired] = policy.evaluate(facts({ parcel: { declaredGrossWeightKg: 1.500001 } })).firedRules;

    // Assess
    expect(fired?.reason).toBe('declared 1.500001 kg');
  });
});

describe('reasons of several fired rules', () => {
  it('shows in each rule’s reason the element that rule found, though both name it line', () => {
    // Prepare
    const containing = (word: string) => ({
      some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.description', contains: word } },
    });
    const policy = compile({
      rules: [
        rule('teak', containing('teak'), { reason: '{line.description}' }),
        rule('rosewood', containing('rosewood'), { reason: '{line.description}' }),
      ],
    });
    const goods = [goodsLine({ description: 'teak chair' }), goodsLine({ description: 'rosewood table' })];

    // Act
    const { firedRules } = policy.evaluate(facts({ parcel: { goods } }));

    // Assess
    expect(firedRules.map((fired) => fired.reason)).toEqual(['teak chair', 'rosewood table']);
  });

  it('records a count by the expression as written, its variable included', () => {
    // Prepare
    const when = { value: { count: { of: 'parcel.goods', as: 'line' } }, gte: 1 };

    // Act
    const [fired] = compile({ rules: [rule('r', when)] }).evaluate(facts()).firedRules;

    // Assess
    expect(fired!.values).toEqual({ 'count(parcel.goods as line)': 1 });
  });

  it('reads a placeholder written with spaces inside its braces', () => {
    // Prepare
    const when = { fact: 'parcel.pieceCount', gte: 1 };
    const policy = compile({ rules: [rule('r', when, { reason: 'from { parcel.route.origin.city }' })] });

    // Act / Assess
    expect(policy.evaluate(facts()).firedRules[0]!.reason).toBe('from Shenzhen');
  });
});

describe('reason templates written wrong', () => {
  const OK = { fact: 'parcel.pieceCount', gte: 1 };

  it.each<[string, string, RegExp]>([
    [
      'an unclosed {',
      'origin {parcel.route.origin.city and more',
      /^unclosed \{ at character 8: a placeholder is \{fact\.path\}$/,
    ],
    [
      'an unclosed { after a placeholder',
      'origin {parcel.route.origin.city} and {derived',
      /^unclosed \{ at character 39/,
    ],
    [
      'a } that closes nothing',
      'origin parcel.route.origin.city}',
      /^\} at character 32 closes no placeholder/,
    ],
    [
      'an object',
      'whole {parcel.consignee}',
      /^\{parcel\.consignee\} is an object: a reason shows single values, name one of its fields$/,
    ],
    ['a list', 'goods {parcel.goods}', /^\{parcel\.goods\} is a list: a reason shows single values/],
    ['an element that is an object', 'line {line}', /^\{line\} is an object/],
    [
      '{list} in a rule that uses no list',
      'on {list}',
      /^\{list\} needs a rule that uses exactly one list; this one uses 0$/,
    ],
  ])('refuses %s at load time', (_name, reason, expected) => {
    // Prepare
    const when = { some: { of: 'parcel.goods', as: 'line', where: OK } };

    // Act
    const compiling = () => compile({ rules: [rule('r', when, { reason })] });

    // Assess
    expect(compiling).toThrow(RuleSetError);
    try {
      compiling();
    } catch (error) {
      expect((error as RuleSetError).issues).toEqual([
        {
          file: 'rules/test/rule-set.yaml',
          ruleId: 'r',
          path: 'rules[0].reason',
          reason: expect.stringMatching(expected),
        },
      ]);
    }
  });
});

describe('explain notes on a missing comparison', () => {
  it.each<[string, unknown, Record<string, unknown>, string]>([
    [
      'the right-hand fact when it is the one missing',
      { fact: 'parcel.declaredGrossWeightKg', lt: { fact: 'parcel.measuredWeightKg' } },
      { parcel: { measuredWeightKg: null } },
      'parcel.measuredWeightKg is missing',
    ],
    [
      'the left fact when it is missing',
      { fact: 'parcel.measuredWeightKg', gt: { fact: 'parcel.declaredGrossWeightKg' } },
      { parcel: { measuredWeightKg: null } },
      'parcel.measuredWeightKg is missing',
    ],
    [
      'the right-hand fact of eq',
      { fact: 'parcel.route.origin.city', eq: { fact: 'parcel.consignee.address.postcode' } },
      { parcel: { consignee: { address: { postcode: null } } } },
      'parcel.consignee.address.postcode is missing',
    ],
  ])('names %s', (_name, when, patch, note) => {
    // Prepare
    const policy = compile({ rules: [rule('r', when)] });

    // Act
    const trace = policy.evaluate(facts(patch), { trace: true }).trace;

    // Assess
    expect(trace?.rules[0]?.condition).toMatchObject({ result: 'missing', note });
  });
});
