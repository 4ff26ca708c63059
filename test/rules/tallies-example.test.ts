import { describe, expect, it } from 'vitest';
import { baselineFacts, mergeFacts } from '../../functions/core/rules/cases/case-facts.js';
import type { ScreeningFacts } from '../../functions/core/screening/facts.js';
import { itPassesItsOwnCases } from '../support/rule-set-cases.js';

/**
 * The worked example of rules/README.md, "Tallies: windowed, filtered history" (small parcels from Ruili
 * to one address, consignee phones at one address, declared value in CNY to one address), a fixture
 * rather than a rule set under rules/: it is run against its own cases like every rule set.
 */
const EXAMPLE = 'test/fixtures/rule-sets/tallies';

/** The baseline parcel with these goods lines, each `[amount, currency]`, and `patch` over it. */
const declaring = (lines: [number, string][], patch: Record<string, unknown> = {}): ScreeningFacts =>
  mergeFacts(baselineFacts(), {
    ...patch,
    parcel: {
      goods: lines.map(([amount, currency]) => ({
        description: 'Silicone phone case 手机壳',
        hsCode: '392690',
        quantity: 1,
        declaredValue: { amount, currency },
      })),
    },
  });

describe('the tallies example rule set', () => {
  const policy = itPassesItsOwnCases(EXAMPLE);
  const valueTally = policy.tallies.find((tally) => tally.id === 'declared-value-cny')!;

  it('declares declared-value-cny as a sum tally over 30 days, read on the address', () => {
    // Assess
    expect(valueTally).toMatchObject({ days: 30, distinct: false, sum: true, parties: ['address'] });
  });

  it.each([
    { what: 'its value in CNY', lines: [[200, 'CNY']], amount: 200 },
    {
      what: 'the value of all its lines, exactly',
      lines: [
        [0.1, 'CNY'],
        [0.2, 'CNY'],
      ],
      amount: 0.3,
    },
    {
      what: 'a value converted by the rates table',
      lines: [
        [30, 'USD'],
        [0.000001, 'CNY'],
      ],
      amount: 213.000001,
    },
  ])('marks declared-value-cny of a parcel with $what', ({ lines, amount }) => {
    // Act
    const marks = policy.tallyMarks(declaring(lines as [number, string][]));

    // Assess
    expect(marks.filter((mark) => mark.counter === valueTally.counter)).toEqual([
      { counter: valueTally.counter, amount },
    ]);
  });

  it('marks no declared value for a parcel whose value in CNY is missing', () => {
    // Act
    const marks = policy.tallyMarks(declaring([[30, 'XAU']]));

    // Assess
    expect(marks.map((mark) => mark.counter)).not.toContain(valueTally.counter);
  });

  it("fires on the address's sum with this parcel's value over 20,000 CNY, the sum in its reason", () => {
    // Prepare: decimals as the history store sums them
    const history = (sum: number) => ({ history: { address: { tallies: { 'declared-value-cny': sum } } } });

    // Act
    const over = policy.evaluate(declaring([[199.5, 'CNY']], history(19_800.75)));
    const exactly = policy.evaluate(declaring([[199.25, 'CNY']], history(19_800.75)));

    // Assess
    expect(over.firedRules).toEqual([
      expect.objectContaining({
        ruleId: 'declared-value-to-one-address',
        reason: '19800.75 CNY declared to this address in 30 days before this one, 199.5 CNY in this one',
      }),
    ]);
    expect(exactly.firedRules).toEqual([]);
  });
});
