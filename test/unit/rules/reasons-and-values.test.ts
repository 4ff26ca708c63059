import { describe, expect, it } from 'vitest';
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
