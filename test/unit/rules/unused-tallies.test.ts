import { describe, expect, it } from 'vitest';
import { compile, firedIds, type RuleSetParts, rule } from './rule-set-factory.js';

/**
 * A tally no rule reads is still counted (a history write per marked parcel and party):
 * `CompiledRuleSet.unusedTallies` names it, for `rules -- validate` to warn of, as of an unused list.
 */

const tally = (days = 30) => ({
  description: 'parcels from Ruili',
  days,
  when: { fact: 'parcel.route.origin.city', in: ['Ruili'] },
});
const TALLY = 'history.address.tallies.from-ruili';
const READS = { fact: TALLY, gte: 2 };
const ANYTHING = { fact: 'parcel.pieceCount', gte: 1 };

/** A rule set declaring `from-ruili` and `other`, whose rules are `rules`. */
const withTallies = (rules: unknown[], parts: Partial<RuleSetParts> = {}): RuleSetParts => ({
  ...parts,
  rules,
  extra: { tallies: { 'from-ruili': tally(), other: tally(7) } },
});

describe('unused tallies', () => {
  it.each<[string, RuleSetParts, string[]]>([
    ['none read: every one, in file order', withTallies([rule('r', ANYTHING)]), ['from-ruili', 'other']],
    ['one read by a condition', withTallies([rule('r', READS)]), ['other']],
    [
      'one read in a quantifier',
      withTallies([rule('r', { some: { of: 'parcel.goods', as: 'line', where: READS } })]),
      ['other'],
    ],
    [
      'one read in a value expression',
      withTallies([rule('r', { value: { sub: [{ fact: TALLY }, 1] }, gt: 0 })]),
      ['other'],
    ],
    [
      'one only shown in a reason',
      withTallies([rule('r', ANYTHING, { reason: '{history.address.tallies.from-ruili} before' })]),
      ['other'],
    ],
    [
      'one read by a disabled rule (declared ahead of it, as a list)',
      withTallies([rule('r', READS, { enabled: false })]),
      ['other'],
    ],
    [
      'one read through derived facts a rule reads, one computed from the next',
      withTallies([rule('r', { fact: 'derived.outer', gt: 0 })], {
        derived: {
          inner: { description: 'the tally', value: { fact: TALLY } },
          outer: { description: 'the tally, less one', value: { sub: [{ fact: 'derived.inner' }, 1] } },
        },
      }),
      ['other'],
    ],
    [
      'one read only by a derived fact no rule reads',
      withTallies([rule('r', ANYTHING)], {
        derived: { unread: { description: 'the tally', value: { fact: TALLY } } },
      }),
      ['from-ruili', 'other'],
    ],
    [
      'both, read from two parties',
      withTallies([rule('r', { all: [READS, { fact: 'history.phone.tallies.other', gte: 1 }] })]),
      [],
    ],
  ])('names %s', (_name, parts, unused) => {
    // Act
    const policy = compile(parts);

    // Assess
    expect(policy.unusedTallies).toEqual(unused);
  });

  it.each<[string, RuleSetParts, string[], string[]]>([
    [
      'one read only as its mark: unused, its history read by none',
      withTallies([rule('r', { fact: 'marks.from-ruili', eq: 1 })]),
      ['from-ruili', 'other'],
      ['from-ruili'],
    ],
    [
      'one read as its mark through a derived fact a rule reads',
      withTallies([rule('r', { fact: 'derived.mine', eq: 1 })], {
        derived: { mine: { description: 'this parcel counted', value: { fact: 'marks.from-ruili' } } },
      }),
      ['from-ruili', 'other'],
      ['from-ruili'],
    ],
    [
      'one read as its mark and as its history: used',
      withTallies([rule('r', { all: [READS, { fact: 'marks.from-ruili', eq: 1 }] })]),
      ['other'],
      [],
    ],
  ])('names, of the unused, those read as marks: %s', (_name, parts, unused, asMarks) => {
    // Act
    const policy = compile(parts);

    // Assess
    expect(policy.unusedTallies).toEqual(unused);
    expect(policy.unusedTalliesReadAsMarks).toEqual(asMarks);
  });

  it('names none in a rule set without tallies', () => {
    // Act / Assess
    expect(compile({ rules: [rule('r', ANYTHING)] }).unusedTallies).toEqual([]);
  });

  it('leaves evaluation as it is: a rule reading the tally fires on it', () => {
    // Prepare
    const policy = compile(withTallies([rule('r', READS)]));

    // Act
    const fired = firedIds(policy, { history: { address: { tallies: { 'from-ruili': 2 } } } });

    // Assess
    expect(fired).toEqual(['r']);
  });
});
