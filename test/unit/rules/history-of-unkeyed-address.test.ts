import { describe, expect, it } from 'vitest';
import { checkFactsInput, factsFromInput } from '../../../functions/core/rules/cases/index.js';

// A consignee address that names no street gets no key, so screening gives it the empty history (H9).
// A case that writes it a known history anyway is told so, and the facts it runs on still agree with
// themselves: the fields it leaves out follow what it writes, as for an address that is keyed.
describe('case facts writing a history for an address that names no street', () => {
  const roomOnly = { country: 'CN', region: 'Guangxi', city: 'Wuzhou', line: 'Room 1' };
  const street = { country: 'CN', region: 'Guangxi', city: 'Wuzhou', line: '18 Xijiang Road' };
  const withAddress = (address: object, history: object) => ({
    parcel: { consignee: { address } },
    history: { address: history },
  });

  it.each<[string, Record<string, unknown>]>([
    ['known', { known: true }],
    ['a last-seen time', { lastSeen: '2026-05-01T00:00:00Z' }],
  ])('writing %s fills the rest as for a keyed address, and names the address', (_name, history) => {
    // Prepare
    const unkeyed = withAddress(roomOnly, history);

    // Act
    const facts = factsFromInput(unkeyed);
    const { problems } = checkFactsInput(unkeyed, facts);

    // Assess
    expect(facts.history.address).toEqual(factsFromInput(withAddress(street, history)).history.address);
    expect(facts.history.address.known).toBe(true);
    expect(problems).toEqual([expect.stringMatching(/but the consignee address names no street/)]);
  });
});
