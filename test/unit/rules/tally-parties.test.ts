import { describe, expect, it } from 'vitest';
import { tallyWindows } from '../../../functions/core/screening/tallies.js';
import { compile, issuesOf, RULE_SET_FILE, type RuleSetParts, rule } from './rule-set-factory.js';

/**
 * The parties a tally is read on (DeclaredTally.parties): those whose `history.<party>.tallies.<id>` the
 * enabled rules read, directly or through derived facts, so the history store counts a tally only for
 * the keys of those parties. Every parcel still marks it on every party.
 */

const tally = (days = 30) => ({
  description: 'parcels from Ruili',
  days,
  when: { fact: 'parcel.route.origin.city', in: ['Ruili'] },
});
const reads = (party: string, id = 'from-ruili') => ({ fact: `history.${party}.tallies.${id}`, gte: 2 });
const ANYTHING = { fact: 'parcel.pieceCount', gte: 1 };

/** A rule set declaring `from-ruili` and `other`, whose rules are `rules`. */
const withTallies = (rules: unknown[], parts: Partial<RuleSetParts> = {}): RuleSetParts => ({
  ...parts,
  rules,
  extra: { tallies: { 'from-ruili': tally(), other: tally(7) } },
});

const partiesOf = (parts: RuleSetParts) =>
  Object.fromEntries(compile(parts).tallies.map((declared) => [declared.id, declared.parties]));

describe('the parties a tally is read on', () => {
  it.each<[string, RuleSetParts, Record<string, string[]>]>([
    ['none read: none', withTallies([rule('r', ANYTHING)]), { 'from-ruili': [], other: [] }],
    [
      'read on the address only: the address',
      withTallies([rule('r', reads('address'))]),
      { 'from-ruili': ['address'], other: [] },
    ],
    [
      'read on several parties by several rules, in the order of the history parties',
      withTallies([
        rule('r', reads('idDocument')),
        rule('s', { any: [reads('address'), reads('consignee'), reads('phone', 'other')] }),
      ]),
      { 'from-ruili': ['consignee', 'address', 'idDocument'], other: ['phone'] },
    ],
    [
      'read in a reason only',
      withTallies([rule('r', ANYTHING, { reason: '{history.shipper.tallies.from-ruili} before' })]),
      { 'from-ruili': ['shipper'], other: [] },
    ],
    [
      'read through derived facts a rule reads, one computed from the next',
      withTallies([rule('r', { fact: 'derived.outer', gt: 0 })], {
        derived: {
          inner: { description: 'the tally', value: { fact: 'history.shipper.tallies.from-ruili' } },
          outer: { description: 'the tally, less one', value: { sub: [{ fact: 'derived.inner' }, 1] } },
        },
      }),
      { 'from-ruili': ['shipper'], other: [] },
    ],
    [
      'read only by a derived fact no rule reads: none',
      withTallies([rule('r', ANYTHING)], {
        derived: {
          unread: { description: 'the tally', value: { fact: 'history.shipper.tallies.from-ruili' } },
        },
      }),
      { 'from-ruili': [], other: [] },
    ],
    [
      'read by a disabled rule only: none (nothing summarized for it), though not unused',
      withTallies([rule('r', reads('address'), { enabled: false }), rule('s', reads('phone', 'other'))]),
      { 'from-ruili': [], other: ['phone'] },
    ],
  ])('%s', (_name, parts, expected) => {
    // Act / Assess
    expect(partiesOf(parts)).toEqual(expected);
  });

  it('keeps a tally read by a disabled rule out of unusedTallies, and out of the windows asked for', () => {
    // Prepare
    const policy = compile(withTallies([rule('r', reads('address'), { enabled: false })]));

    // Act
    const windows = tallyWindows(policy.tallies);

    // Assess
    expect(policy.unusedTallies).toEqual(['other']);
    expect(windows).toEqual([]);
  });

  it('asks once for a window two tallies share, for every party either is read on, in the order of the history parties', () => {
    // Prepare: `again` counts what `from-ruili` counts over the same days (one counter, one window);
    // the first read on the address, the second on the consignee, which comes first among the parties
    const policy = compile({
      rules: [rule('r', reads('address')), rule('s', reads('consignee', 'again'))],
      extra: { tallies: { 'from-ruili': tally(), again: tally(), other: tally(7) } },
    });

    // Act
    const windows = tallyWindows(policy.tallies);

    // Assess
    expect(windows).toEqual([
      { counter: policy.tallies[0]!.counter, days: 30, distinct: false, parties: ['consignee', 'address'] },
    ]);
  });

  it('exposes frozen tallies and parties', () => {
    // Act
    const [declared] = compile(withTallies([rule('r', reads('address'))])).tallies;

    // Assess
    expect(Object.isFrozen(declared)).toBe(true);
    expect(Object.isFrozen(declared!.parties)).toBe(true);
  });
});

describe('the number of tallies a rule set declares', () => {
  const declaring = (count: number): RuleSetParts => ({
    rules: [rule('r', ANYTHING)],
    extra: { tallies: Object.fromEntries(Array.from({ length: count }, (_, i) => [`t-${i}`, tally()])) },
  });

  it('takes 50', () => {
    // Act / Assess
    expect(compile(declaring(50)).tallies).toHaveLength(50);
  });

  it('refuses 51, saying why', () => {
    // Act
    const issues = issuesOf(() => compile(declaring(51)));

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: RULE_SET_FILE, path: 'tallies' });
    expect(issues[0]!.reason).toBe(
      'at most 50 tallies, not 51: every tally a parcel marks adds to the one DynamoDB update that counts the parcel for each of its parties, whose expression is limited to 4 KB',
    );
  });
});
