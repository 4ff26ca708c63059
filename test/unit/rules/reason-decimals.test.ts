import { describe, expect, it } from 'vitest';
import { formatNumberPlaces } from '../../../functions/core/rules/numeric.js';
import { compile, facts, goodsLine, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

const seizedAt = (lastSeizureAt: string) => ({
  now: '2026-06-01T08:00:00Z',
  history: { shipper: { seizures: 1, inspections: 1, lastSeizureAt } },
});
const days = {
  daysSinceShipperSeizure: {
    description: 'days since the shipper’s last seizure',
    value: { daysSince: 'history.shipper.lastSeizureAt' },
  },
};

/** The reason of rule `r`, fired on the patched baseline, with `when` (by default: the days are there). */
const reasonOf = (
  reason: string,
  patch: unknown,
  when: unknown = { fact: 'derived.daysSinceShipperSeizure', gte: 0 },
) => {
  const policy = compile({ derived: days, rules: [rule('r', when, { reason })] });
  return policy.evaluate(facts(patch)).firedRules[0]?.reason;
};

describe('a placeholder with decimals, {fact:N}, rounds a number for the reason', () => {
  it.each<[string, string, string, string]>([
    ['0 decimals, 42.21 days', '{derived.daysSinceShipperSeizure:0}', '2026-04-20T03:00:00Z', '42'],
    [
      '0 decimals, half away from zero (2.5 days)',
      '{derived.daysSinceShipperSeizure:0}',
      '2026-05-29T20:00:00Z',
      '3',
    ],
    ['1 decimal', '{derived.daysSinceShipperSeizure:1}', '2026-04-20T03:00:00Z', '42.2'],
    [
      '3 decimals, trailing zeros kept',
      '{derived.daysSinceShipperSeizure:3}',
      '2026-05-30T08:00:00Z',
      '2.000',
    ],
    ['spaces around the colon', '{ derived.daysSinceShipperSeizure : 0 }', '2026-04-20T03:00:00Z', '42'],
    ['without decimals, 2 as before', '{derived.daysSinceShipperSeizure}', '2026-04-20T03:00:00Z', '42.21'],
  ])('%s', (_name, placeholder, lastSeizureAt, shown) => {
    // Prepare / Act
    const reason = reasonOf(`seized ${placeholder} days ago`, seizedAt(lastSeizureAt));

    // Assess
    expect(reason).toBe(`seized ${shown} days ago`);
  });

  it('never rounds a compared number onto the threshold it is compared with', () => {
    // Prepare: 89.75 days, compared with lt: 90: 90 at 0 decimals, 89.8 at 1
    const when = { fact: 'derived.daysSinceShipperSeizure', lt: 90 };

    // Act
    const reason = reasonOf(
      '{derived.daysSinceShipperSeizure:0} days',
      seizedAt('2026-03-03T14:00:00Z'),
      when,
    );

    // Assess
    expect(reason).toBe('89.8 days');
  });

  it('formats an element a some picked', () => {
    // Prepare
    const policy = compile({
      rules: [
        rule(
          'r',
          { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', gt: 1 } } },
          { reason: '{line.quantity:1} units' },
        ),
      ],
    });

    // Act
    const [fired] = policy.evaluate(facts({ parcel: { goods: [goodsLine({ quantity: 12 })] } })).firedRules;

    // Assess
    expect(fired?.reason).toBe('12.0 units');
    expect(fired?.values).toEqual({ 'parcel.goods[0].quantity': 12 });
  });

  it('shows a missing number as n/a', () => {
    // Prepare / Act
    const reason = reasonOf(
      '{parcel.measuredWeightKg:0} kg',
      { parcel: { measuredWeightKg: null } },
      { fact: 'parcel.pieceCount', eq: 1 },
    );

    // Assess
    expect(reason).toBe('n/a kg');
  });

  it.each<[number, number, readonly number[], string]>([
    [42.21, 0, [], '42'],
    [0.5, 0, [], '1'],
    [-0.5, 0, [], '-1'],
    [-0.004, 2, [], '0.00'],
    [2.675, 2, [], '2.68'],
    [17.1, 2, [], '17.10'],
    [1e21, 1, [], '1000000000000000000000.0'],
    [29.996, 0, [30], '29.996'],
    [30.4, 0, [30], '30.4'],
    [0.8000001, 0, [0.8], '1'],
    [0.8000001, 2, [0.8], '0.8000001'],
  ])('formatNumberPlaces(%s, %s, %j) is %s', (value, places, thresholds, shown) => {
    // Prepare / Act / Assess
    expect(formatNumberPlaces(value, places, thresholds)).toBe(shown);
  });
});

describe('decimals refused at load time, naming file, rule and path', () => {
  it.each<[string, string, RegExp]>([
    [
      'no decimals after the colon',
      '{derived.daysSinceShipperSeizure:}',
      /^\{derived\.daysSinceShipperSeizure:\}: a number's decimals are a whole number from 0 to 6 after the colon, as in \{derived\.daysSinceShipperSeizure:0\}$/,
    ],
    ['more than 6', '{derived.daysSinceShipperSeizure:7}', /a whole number from 0 to 6/],
    ['a negative number', '{derived.daysSinceShipperSeizure:-1}', /a whole number from 0 to 6/],
    ['a fraction', '{derived.daysSinceShipperSeizure:1.5}', /a whole number from 0 to 6/],
    ['a word', '{derived.daysSinceShipperSeizure:round}', /a whole number from 0 to 6/],
    [
      'text',
      '{parcel.route.origin.city:0}',
      /^\{parcel\.route\.origin\.city:0\}: parcel\.route\.origin\.city is text; decimals are for numbers$/,
    ],
    [
      'a boolean',
      '{history.consignee.known:0}',
      /^\{history\.consignee\.known:0\}: history\.consignee\.known is .*; decimals are for numbers$/,
    ],
    ['the list name', '{list:0}', /^\{list:0\}: \{list\} shows a name; decimals are for numbers$/],
    [
      'an unknown fact',
      '{derived.daysSinceSeizure:0}',
      /unknown derived fact daysSinceSeizure|derived\.daysSinceSeizure/,
    ],
  ])('refuses %s', (_name, placeholder, expected) => {
    // Prepare / Act
    const issues = issuesOf(() =>
      compile({
        derived: days,
        rules: [
          rule('r', { fact: 'derived.daysSinceShipperSeizure', gte: 0 }, { reason: `seized ${placeholder}` }),
        ],
      }),
    );

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ruleId: 'r',
      path: 'rules[0].reason',
      reason: expect.stringMatching(expected),
    });
  });
});
