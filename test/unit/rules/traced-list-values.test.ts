import { describe, expect, it } from 'vitest';
import { hashIndicator } from '../../../functions/core/parties/party-keys.js';
import { type ConditionTrace, showExpected } from '../../../functions/core/rules/index.js';
import { compile, facts, list, rule } from './rule-set-factory.js';

/** The `expected` of the one condition of the one rule, as explain's trace holds it. */
const tracedExpected = (when: unknown, lists: Record<string, unknown>[], patch: unknown = {}) => {
  const policy = compile({ lists, rules: [rule('r', when)] });
  const condition = policy.evaluate(facts(patch), { trace: true }).trace!.rules[0]!
    .condition as ConditionTrace;
  return condition.expected;
};

describe("a named list in explain's trace", () => {
  const hs = (size: number) => Array.from({ length: size }, (_, i) => `44${String(i).padStart(2, '0')}`);

  it.each<[number, boolean]>([
    [9, true],
    [10, true],
    [11, false],
  ])('of %i values shows them: %s', (size, shown) => {
    // Prepare
    const when = { fact: 'parcel.route.origin.city', in: { list: 'hs' } };

    // Act
    const expected = tracedExpected(when, [list('hs', hs(size))]);

    // Assess
    expect(expected).toEqual({ list: 'hs', version: 1, size, ...(shown ? { values: hs(size) } : {}) });
  });

  it('of hashed phone keys shows their kind and count, never the keys, however few', () => {
    // Prepare
    const key = hashIndicator('phone', '+8613800000000', 'salt');
    const when = { fact: 'parties.phone', in: { list: 'phones' } };

    // Act
    const expected = tracedExpected(when, [list('phones', [key], { holds: 'phone', hashed: true })], {
      parties: { phone: key },
    });

    // Assess
    expect(expected).toEqual({ list: 'phones', version: 1, size: 1, keys: 'phone' });
    expect(showExpected(expected)).toBe('list phones v1 (1 hashed phone key)');
    expect(JSON.stringify(expected)).not.toContain(key);
  });
});
