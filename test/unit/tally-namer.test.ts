import { describe, expect, it } from 'vitest';
import { emptyHistoryFacts, type HistoryFacts } from '../../functions/core/screening/facts.js';
import { type DeclaredTally, namesAlike, tallyNamer } from '../../functions/core/screening/tallies.js';
import { aCountTally, aPhonesTally } from '../support/declared-tallies.js';

const SMALL = '00000000000000aa';
const PHONES = '00000000000000bb';

const small = aCountTally('small', SMALL, 3);
const phones = aPhonesTally(PHONES, 30);

/** History as the store returns it: `counts` by window key on the consignee and the address. */
const storeHistory = (counts: Record<string, number>): HistoryFacts => {
  const history = emptyHistoryFacts();
  return {
    ...history,
    consignee: { ...history.consignee, known: true, parcels30d: 4, tallies: counts },
    address: { ...history.address, tallies: counts },
  };
};

describe('tallyNamer', () => {
  it("names each party's tallies its rules read by id, a window not counted 0, and leaves the rest out", () => {
    // Prepare
    const name = tallyNamer([small, phones]);
    const history = storeHistory({ [`${SMALL}@3`]: 2, [`${SMALL}@7`]: 9 });

    // Act
    const named = name(history);

    // Assess: the summary is kept, with the tallies by id, in the rule set's order
    expect(named.consignee).toEqual({ ...history.consignee, tallies: { small: 2, phones: 0 } });
    expect(JSON.stringify(named.consignee.tallies)).toBe('{"small":2,"phones":0}');
    expect(named.address.tallies).toEqual({ small: 2 });
    expect(named.shipper.tallies).toEqual({});
    expect(named.sharedSeizures).toBe(history.sharedSeizures);
    expect(history.consignee.tallies).toEqual({ [`${SMALL}@3`]: 2, [`${SMALL}@7`]: 9 });
  });

  it('gives history itself to a rule set that reads no tally when the store counted none', () => {
    // Prepare: a tally no rule reads is on no party
    const history = storeHistory({});

    // Act
    const named = tallyNamer([{ ...small, parties: [] }])(history);

    // Assess
    expect(named).toBe(history);
  });

  it("empties the tallies for a rule set that reads none when the store counted another set's", () => {
    // Prepare: counted for the shadow's tallies
    const history = storeHistory({ [`${SMALL}@3`]: 2 });

    // Act
    const named = tallyNamer([])(history);

    // Assess
    expect(named).not.toBe(history);
    expect(named).toEqual({
      ...history,
      consignee: { ...history.consignee, tallies: {} },
      address: { ...history.address, tallies: {} },
    });
  });
});

describe('namesAlike', () => {
  it.each<[string, DeclaredTally[], DeclaredTally[], boolean]>([
    ['the same tallies', [small, phones], [{ ...small }, { ...phones }], true],
    ['no tally, and tallies read on no party', [], [{ ...small, parties: [] }], true],
    ['another window', [small], [{ ...small, days: 4 }], false],
    ['another counter', [small], [{ ...small, counter: PHONES }], false],
    ['another id', [small], [{ ...small, id: 'little' }], false],
    ['other parties', [small], [{ ...small, parties: ['consignee'] }], false],
    ['another order', [small, phones], [phones, small], false],
  ])('says whether two rule sets name history alike: %s', (_, some, others, alike) => {
    // Act and assess
    expect(namesAlike(some, others)).toBe(alike);
  });
});
