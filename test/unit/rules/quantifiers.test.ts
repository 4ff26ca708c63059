import { describe, expect, it } from 'vitest';
import { MAX_RECORDED_ELEMENTS } from '../../../functions/core/rules/compile-condition.js';
import { compile, facts, fires, goodsLine, rule } from './rule-set-factory.js';

const goods = (...descriptions: string[]) => ({
  parcel: { goods: descriptions.map((description) => goodsLine({ description })) },
});
const isTeak = { fact: 'line.description', contains: 'teak' };
const over = (kind: string, where: unknown = isTeak) => ({
  [kind]: { of: 'parcel.goods', as: 'line', where },
});

describe('quantifiers over goods lines', () => {
  it.each([
    ['some, one matches', 'some', ['teak chair', 'phone case'], true],
    ['some, none matches', 'some', ['phone case', 'cable'], false],
    ['every, all match', 'every', ['teak chair', 'teak table'], true],
    ['every, one does not', 'every', ['teak chair', 'phone case'], false],
    ['none, none matches', 'none', ['phone case', 'cable'], true],
    ['none, one matches', 'none', ['phone case', 'teak chair'], false],
  ])('%s', (_name, kind, descriptions, expected) => {
    // Prepare / Act
    const fired = fires(over(kind), goods(...descriptions));

    // Assess
    expect(fired).toBe(expected);
  });

  // With no measured weight, `any(teak, measured > 0)` is true on a teak line and missing on another:
  // an undecided element makes the quantifier missing unless some element decides it.
  const teakOrUndecided = { any: [isTeak, { fact: 'parcel.measuredWeightKg', gt: 0 }] };
  const teakAndUndecided = { all: [isTeak, { fact: 'parcel.measuredWeightKg', gt: 0 }] };
  it.each([
    ['some, an element true decides', 'some', teakOrUndecided, ['phone case', 'teak chair'], 'true'],
    ['some, no element true, one undecided', 'some', teakOrUndecided, ['phone case', 'cable'], 'missing'],
    ['every, one undecided, none false', 'every', teakOrUndecided, ['teak chair', 'cable'], 'missing'],
    ['every, an element false decides', 'every', teakAndUndecided, ['teak chair', 'cable'], 'false'],
    ['none, no element true, one undecided', 'none', teakOrUndecided, ['phone case', 'cable'], 'missing'],
    ['none, an element true decides', 'none', teakOrUndecided, ['cable', 'teak chair'], 'false'],
  ])('%s: %s', (_name, kind, where, descriptions, expected) => {
    // Prepare
    const policy = compile({ rules: [rule('q', over(kind, where))] });
    const patch = { parcel: { ...goods(...descriptions).parcel, measuredWeightKg: null } };

    // Act
    const evaluation = policy.evaluate(facts(patch), { trace: true });

    // Assess
    expect(evaluation.trace?.rules[0]?.condition?.result).toBe(expected);
    expect(evaluation.firedRules.length === 1).toBe(expected === 'true');
  });

  it.each([
    ['some', false],
    ['every', true],
    ['none', true],
  ])('%s over an empty list is %s', (kind, expected) => {
    // Prepare / Act
    const fired = fires(
      { [kind]: { of: 'parcel.route.via', where: { fact: 'item.city', eq: 'Ruili' } } },
      {
        parcel: { route: { via: [] } },
      },
    );

    // Assess
    expect(fired).toBe(expected);
  });

  it('uses `item` when no variable is named', () => {
    // Prepare / Act
    const fired = fires({ some: { of: 'parcel.route.via', where: { fact: 'item.city', eq: 'nanchang' } } });

    // Assess
    expect(fired).toBe(true);
  });

  it('nests quantifiers; the inner condition reads outer facts', () => {
    // Prepare
    const when = {
      some: {
        of: 'parcel.goods',
        as: 'line',
        where: {
          all: [
            { fact: 'line.quantity', gte: 1 },
            {
              some: {
                of: 'parcel.route.via',
                as: 'stop',
                where: { fact: 'stop.city', eq: { fact: 'parcel.route.origin.city' } },
              },
            },
          ],
        },
      },
    };

    // Act
    const loops = fires(when, {
      parcel: {
        route: {
          via: [
            { country: 'CN', city: 'Nanchang' },
            { country: 'CN', city: 'shenzhen' },
          ],
        },
      },
    });
    const straight = fires(when);

    // Assess
    expect(loops).toBe(true);
    expect(straight).toBe(false);
  });

  it('interpolates the first matching element into the reason and records its concrete path', () => {
    // Prepare
    const policy = compile({
      rules: [rule('teak', over('some'), { reason: 'line {line.hsCode} says "{line.description}"' })],
    });
    const patch = {
      parcel: {
        goods: [
          goodsLine({ description: 'cable' }),
          goodsLine({ description: 'Teak stool', hsCode: '940169' }),
        ],
      },
    };

    // Act
    const [fired] = policy.evaluate(facts(patch)).firedRules;

    // Assess
    expect(fired?.reason).toBe('line 940169 says "Teak stool"');
    expect(fired?.values).toEqual({
      'parcel.goods[1].description': 'Teak stool',
      'parcel.goods[1].hsCode': '940169',
    });
  });

  // Each rule fires on the baseline's one stop (Nanchang), so its `where` is live; without the list the
  // quantifier must be missing (not false, not true as over an empty list) and the rule must not fire.
  it.each([
    ['some', { fact: 'item.city', eq: 'Nanchang' }],
    ['every', { fact: 'item.city', eq: 'Nanchang' }],
    ['none', { fact: 'item.city', eq: 'x' }],
  ])('treats a missing list as missing for %s', (kind, where) => {
    // Prepare
    const policy = compile({
      rules: [rule(`${kind}-missing`, { [kind]: { of: 'parcel.route.via', where } })],
    });
    const noVia = facts();
    delete (noVia.parcel.route as { via?: unknown }).via;

    // Act
    const present = policy.evaluate(facts()).firedRules.map((fired) => fired.ruleId);
    const evaluation = policy.evaluate(noVia, { trace: true });

    // Assess
    expect(present).toEqual([`${kind}-missing`]);
    expect(evaluation.firedRules).toEqual([]);
    expect(evaluation.trace?.rules[0]?.condition).toMatchObject({
      op: kind,
      result: 'missing',
      note: 'parcel.route.via is missing',
    });
  });
});

/**
 * A reason shows, and `values` record, the element that decided the quantifier as the rule fires: the
 * first element that passed a `some`, the first that failed an `every` under `not`, the first that passed a
 * `none` under `not`. Quantifiers every element decides show no element.
 */
describe('the element a reason names is the one that decided', () => {
  const lines = [
    goodsLine({ description: 'Phone case', hsCode: '392690' }),
    goodsLine({ description: 'Teak stool', hsCode: '940169' }),
    goodsLine({ description: 'Rosewood table', hsCode: '940360' }),
  ];
  const phoneCase = { fact: 'line.hsCode', startsWith: '3926' };
  const furniture = { fact: 'line.hsCode', startsWith: '94' };

  it.each<[string, unknown, string, Record<string, unknown>]>([
    [
      'some: the first element that passed',
      { some: { of: 'parcel.goods', as: 'line', where: furniture } },
      'line 940169 (Teak stool)',
      { 'parcel.goods[1].hsCode': '940169', 'parcel.goods[2].hsCode': '940360' },
    ],
    [
      'not every: the first element that failed',
      { not: { every: { of: 'parcel.goods', as: 'line', where: phoneCase } } },
      'line 940169 (Teak stool)',
      { 'parcel.goods[1].hsCode': '940169', 'parcel.goods[2].hsCode': '940360' },
    ],
    [
      'not none: the first element that passed',
      { not: { none: { of: 'parcel.goods', as: 'line', where: furniture } } },
      'line 940169 (Teak stool)',
      { 'parcel.goods[1].hsCode': '940169', 'parcel.goods[2].hsCode': '940360' },
    ],
    [
      'not every of an all: the part of the element that failed',
      {
        not: {
          every: {
            of: 'parcel.goods',
            as: 'line',
            where: { all: [{ fact: 'line.quantity', gte: 1 }, phoneCase] },
          },
        },
      },
      'line 940169 (Teak stool)',
      { 'parcel.goods[1].hsCode': '940169', 'parcel.goods[2].hsCode': '940360' },
    ],
  ])('names and records, for %s', (_name, when, reason, values) => {
    // Prepare
    const policy = compile({
      rules: [rule('r', when, { reason: 'line {line.hsCode} ({line.description})' })],
    });

    // Act
    const [fired] = policy.evaluate(facts({ parcel: { goods: lines } })).firedRules;

    // Assess
    expect(fired?.reason).toBe(reason);
    expect(fired?.values).toEqual({ ...values, 'parcel.goods[1].description': 'Teak stool' });
  });

  it.each<[string, unknown]>([
    ['an every', { every: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', gte: 1 } } }],
    ['a none', { none: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', lt: 1 } } }],
    [
      'a some under not',
      { not: { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', lt: 1 } } } },
    ],
    [
      'a some in the where of a none',
      {
        none: {
          of: 'parcel.route.via',
          as: 'stop',
          where: { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', lt: 1 } } },
        },
      },
    ],
    [
      'a some in the where of a count',
      {
        value: {
          count: {
            of: 'parcel.route.via',
            as: 'stop',
            where: { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', gte: 1 } } },
          },
        },
        gte: 0,
      },
    ],
  ])(
    'refuses an element placeholder on a variable bound only by %s (every element decides it)',
    (_name, when) => {
      // Prepare / Act
      const compiling = () => compile({ rules: [rule('r', when, { reason: 'line {line.description}' })] });

      // Assess
      expect(compiling).toThrow(/\{line\.description\}: no one element of line decides the rule/);
    },
  );

  it('records every element when every element decides: not some records each element that failed', () => {
    // Prepare
    const policy = compile({
      rules: [
        rule('r', {
          not: { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', gt: 5 } } },
        }),
      ],
    });

    // Act
    const [fired] = policy.evaluate(facts({ parcel: { goods: lines.slice(0, 2) } })).firedRules;

    // Assess
    expect(fired?.values).toEqual({ 'parcel.goods[0].quantity': 1, 'parcel.goods[1].quantity': 1 });
  });

  it('records only the parts that are false under not all', () => {
    // Prepare
    const policy = compile({
      rules: [
        rule('r', {
          not: {
            all: [
              { fact: 'parcel.pieceCount', gte: 1 },
              { fact: 'parcel.paymentMethod', eq: 'cash' },
            ],
          },
        }),
      ],
    });

    // Act
    const [fired] = policy.evaluate(facts()).firedRules;

    // Assess
    expect(fired?.values).toEqual({ 'parcel.paymentMethod': 'prepaid' });
  });
});

/**
 * A parcel may carry 50 goods lines of 512 characters: recorded whole, the values of a few rules on
 * them would outgrow DynamoDB's 400 KB decision item. A fired rule records the first few elements.
 */
describe('the elements a fired rule records', () => {
  const teakLines = (count: number) =>
    Array.from({ length: count }, (_, i) => goodsLine({ description: `teak chair ${i}`, hsCode: '940169' }));
  const recorded = (values: Record<string, unknown> | undefined) => Object.keys(values ?? {}).sort();
  const descriptions = (indexes: number[]) => indexes.map((i) => `parcel.goods[${i}].description`).sort();

  it.each<[string, unknown]>([
    ['some, every element passing', over('some')],
    ['every, every element deciding', over('every')],
    [
      'not every, every element failing',
      { not: over('every', { fact: 'line.description', contains: 'cable' }) },
    ],
  ])('are the first few of them, for %s', (name, when) => {
    // Prepare
    const policy = compile({ rules: [rule('r', when)] });

    // Act
    const [fired] = policy.evaluate(facts({ parcel: { goods: teakLines(8) } })).firedRules;

    // Assess
    expect(MAX_RECORDED_ELEMENTS, name).toBe(5);
    expect(recorded(fired?.values)).toEqual(descriptions([0, 1, 2, 3, 4]));
  });

  it('keep a witness and its reason when more elements decide than are recorded', () => {
    // Prepare
    const policy = compile({
      rules: [rule('r', over('some'), { reason: 'goods {line.description}' })],
    });

    // Act
    const [fired] = policy.evaluate(facts({ parcel: { goods: teakLines(50) } })).firedRules;

    // Assess
    expect(fired?.reason).toBe('goods teak chair 0');
    expect(recorded(fired?.values)).toEqual(descriptions([0, 1, 2, 3, 4]));
  });

  it('show every element in explain', () => {
    // Prepare
    const policy = compile({ rules: [rule('r', over('every'))] });

    // Act
    const evaluation = policy.evaluate(facts({ parcel: { goods: teakLines(8) } }), { trace: true });

    // Assess
    expect(evaluation.trace?.rules[0]?.condition).toMatchObject({ op: 'every', result: 'true' });
    expect(evaluation.trace?.rules[0]?.condition?.elements).toHaveLength(8);
  });
});
