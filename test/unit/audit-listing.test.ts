import { describe, expect, it } from 'vitest';
import { type AuditDraft, type AuditEntry, chainEntry } from '../../functions/core/audit/audit-chain.js';
import {
  type AuditEntryFilter,
  listAuditEntries,
  readAuditEntryFilter,
  selectsEntry,
} from '../../functions/core/audit/audit-listing.js';
import { auditDraft, auditEntry } from '../support/audit-entries.js';

/** A chain of the drafts, each linked to the one before it. */
const chainOf = (...drafts: AuditDraft[]): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (const next of drafts) entries.push(chainEntry(next, entries.at(-1)));
  return entries;
};

/** The audit log of the chains, each by its name. */
const log = (...chains: AuditEntry[][]) => new Map(chains.map((entries) => [entries[0]!.chain, entries]));
/** The listed entries, each as its chain and seq. */
const named = (listing: ReturnType<typeof listAuditEntries>) =>
  listing.listed.map(({ entry: { chain, seq } }) => `${chain} #${seq}`);
const ms = (instant: string) => Date.parse(instant);

describe('readAuditEntryFilter', () => {
  it.each<[string, Record<string, string>, AuditEntryFilter]>([
    ['nothing, as every entry', {}, {}],
    [
      'the chain, parcel and actor as given',
      { chain: 'rules', parcel: 'SWF7781000123', actor: 'sub-1' },
      { chain: 'rules', parcel: 'SWF7781000123', actor: 'sub-1' },
    ],
    [
      'instants with an offset',
      { since: '2026-11-29T08:00:00+08:00', until: '2026-11-29T01:00:00.500Z' },
      { since: ms('2026-11-29T00:00:00Z'), until: ms('2026-11-29T01:00:00.500Z') },
    ],
    [
      'a day given to --until through its end, to --since from its start',
      { since: '2026-11-22', until: '2026-11-28' },
      { since: ms('2026-11-22T00:00:00Z'), until: ms('2026-11-29T00:00:00Z') },
    ],
  ])('reads %s', (_, written, filter) => {
    // Act
    const reading = readAuditEntryFilter(written);
    // Assess
    expect(reading).toEqual({ ok: true, filter });
  });

  it.each([
    [
      { since: 'yesterday' },
      /^--since yesterday is not an instant: a day \(2026-11-01, UTC\) or an ISO 8601/,
    ],
    // Without an offset its zone is unknown; 30 February is no day.
    [{ until: '2026-11-29T10:00:00' }, /^--until 2026-11-29T10:00:00 is not an instant/],
    [{ since: '2026-02-30' }, /^--since 2026-02-30 is not an instant/],
    [{ parcel: '' }, /^--parcel is empty/],
    [{ since: '2026-11-29T10:00:00Z', until: '2026-11-29T10:00:00Z' }, /^--since \S+ is not before --until/],
    [
      { since: '2026-11-29T10:00:00Z', until: '2026-11-28' },
      /^--since \S+ is not before --until 2026-11-28 \(through the end of that day\)$/,
    ],
  ])('refuses %j, naming the option and its value', (written, problem) => {
    // Act
    const reading = readAuditEntryFilter(written);
    // Assess
    expect(reading.ok).toBe(false);
    expect(reading.ok ? '' : reading.problem).toMatch(problem);
  });
});

describe('selectsEntry', () => {
  const claim = auditEntry();

  it.each<[string, AuditEntryFilter, AuditEntry, boolean]>([
    ['any entry with no filter', {}, claim, true],
    ['its chain', { chain: 'wuzhou-customs' }, claim, true],
    ['not another chain', { chain: 'rules' }, claim, false],
    [
      'one of the chains under a city',
      { chains: new Set(['wuzhou-customs', 'wuzhou-port-checkpoint']) },
      claim,
      true,
    ],
    ['none of the chains under another city', { chains: new Set(['nanning-customs']) }, claim, false],
    ['its parcel key', { parcel: 'southwest-freight#SWF7781000123' }, claim, true],
    ['its house document number alone', { parcel: 'SWF7781000123' }, claim, true],
    ['not another partner’s key of the same number', { parcel: 'other#SWF7781000123' }, claim, false],
    ['not a number it merely ends with', { parcel: '1000123' }, claim, false],
    [
      'not a list’s entry by a parcel id',
      { parcel: 'origins' },
      auditEntry({ target: 'list/origins' }),
      false,
    ],
    [
      'a list’s entry by its whole target',
      { parcel: 'list/origins' },
      auditEntry({ target: 'list/origins' }),
      true,
    ],
    ['its actor', { actor: 'sub-wuzhou' }, claim, true],
    ['by the actor’s user name, as the console shows it', { actor: 'wuzhou' }, claim, true],
    ['not by another user name', { actor: 'wuzhou-2' }, claim, false],
    ['not by a user name in another case', { actor: 'Wuzhou' }, claim, false],
    ['made at --since', { since: ms('2026-11-29T10:00:00Z') }, claim, true],
    ['not made before --since', { since: ms('2026-11-29T10:00:00.001Z') }, claim, false],
    ['made before --until', { until: ms('2026-11-29T10:00:00.001Z') }, claim, true],
    ['not made at --until', { until: ms('2026-11-29T10:00:00Z') }, claim, false],
    ['in a period, by an offset time', { since: ms('2026-11-29T17:59:00+08:00') }, claim, true],
    ['not in any period when its time is no instant', { since: 0 }, auditEntry({ at: 'garbage' }), false],
    [
      'with every condition holding',
      { chain: 'wuzhou-customs', parcel: 'SWF7781000123', actor: 'sub-wuzhou', since: 0 },
      claim,
      true,
    ],
    [
      'not when one condition fails',
      { chain: 'wuzhou-customs', parcel: 'SWF7781000123', actor: 'sub-other' },
      claim,
      false,
    ],
    ['not a target that is no text', { parcel: '1' }, { ...claim, target: 1 as unknown as string }, false],
  ])('selects %s: %j', (_, filter, candidate, selected) => {
    // Act
    const selects = selectsEntry(filter, candidate);
    // Assess
    expect(selects).toBe(selected);
  });
});

describe('listAuditEntries', () => {
  const wuzhou = chainOf(
    auditDraft(),
    auditDraft({
      actionId: 'release:1',
      action: 'release',
      at: '2026-11-29T10:05:00.000Z',
      requestId: 'req-2',
    }),
    auditDraft({
      actionId: 'claim:2',
      target: 'southwest-freight#SWF7781000999',
      at: '2026-11-29T10:06:00.000Z',
      requestId: 'req-3',
    }),
  );
  const rules = chainOf(
    auditDraft({
      chain: 'rules',
      actionId: 'publish:origins:v2',
      actor: 'li.na',
      actorName: 'li.na',
      role: 'analyst',
      action: 'publish',
      target: 'list/origins',
      at: '2026-11-29T10:02:00.000Z',
    }),
  );

  it('lists the selected entries of every chain oldest first, each intact, and counts every entry read', () => {
    // Act
    const listing = listAuditEntries(log(wuzhou, rules), {});
    // Assess
    expect(named(listing)).toEqual([
      'wuzhou-customs #1',
      'rules #1',
      'wuzhou-customs #2',
      'wuzhou-customs #3',
    ]);
    expect(listing.listed.every(({ problems }) => problems.length === 0)).toBe(true);
    expect(listing).toMatchObject({ read: 4, altered: 0 });
  });

  it.each<[string, (entries: AuditEntry[]) => AuditEntry[], number, RegExp]>([
    [
      'an entry edited, by its own hash',
      (entries) => entries.map((e) => (e.seq === 2 ? { ...e, actorName: 'someone else' } : e)),
      2,
      /^content does not match its hash/,
    ],
    [
      'the entry after one rehashed, by its link',
      (entries) =>
        entries.map((e) =>
          e.seq === 1 ? chainEntry({ ...auditDraft(), actorName: 'someone else' }, undefined) : e,
        ),
      2,
      /^prevHash does not match the previous entry$/,
    ],
    [
      'the entry after a gap',
      (entries) => entries.filter((e) => e.seq !== 2),
      3,
      /^sequence jumps from 1 to 3: entries are missing$/,
    ],
    [
      'an entry with a field its hash does not cover',
      (entries) => entries.map((e) => (e.seq === 2 ? { ...e, note: 'planted' } : e)),
      2,
      /fields its hash does not cover \(note\)/,
    ],
  ])('marks %s, checked in its whole chain though the filter selects one entry', (_, alter, seq, problem) => {
    // Prepare
    const altered = alter(wuzhou);
    const target = altered.find((e) => e.seq === seq)!.target;
    // Act
    const listing = listAuditEntries(log(altered, rules), {
      chain: 'wuzhou-customs',
      parcel: target,
      since: ms('2026-11-29T10:04:00Z'),
    });
    // Assess
    expect(listing.listed).toEqual([
      { entry: altered.find((e) => e.seq === seq), problems: [expect.stringMatching(problem)] },
    ]);
    expect(listing.altered).toBe(1);
  });

  it('marks an entry whose seq no append writes, and still lists the others intact', () => {
    // Prepare: a number past 2^53 as the adapter reads it back
    const planted = { ...rules[0]!, seq: { storedNumber: '1e400' } as unknown as number };
    // Act
    const listing = listAuditEntries(log(wuzhou, [rules[0]!, planted]), { actor: 'li.na' });
    // Assess
    expect(listing.listed.map(({ problems }) => problems.length > 0)).toEqual([false, true]);
    expect(listing.altered).toBe(1);
  });

  it('lists nothing when the filter selects nothing, and finds the intact log intact', () => {
    // Act
    const listing = listAuditEntries(log(wuzhou, rules), { actor: 'nobody' });
    // Assess
    expect(listing).toEqual({ listed: [], read: 4, altered: 0, unlistedBreaks: [] });
  });

  describe('on a log that breaks where the filter does not look', () => {
    it('counts a break at an entry moved off the selection (its target changed), where the selection alone holds', () => {
      // Prepare: the release's target changed, no rehash: a parcel's listing would lose it unseen
      const moved = claimAndRelease.map((e) =>
        e.seq === 2 ? { ...e, target: 'southwest-freight#OTHER' } : e,
      );

      // Act
      const listing = listAuditEntries(log(moved), { parcel: 'SWF7781000123' });

      // Assess
      expect(named(listing)).toEqual(['wuzhou-customs #1']);
      expect(listing.altered).toBe(0);
      expect(listing.unlistedBreaks).toEqual([{ chain: 'wuzhou-customs', seq: 2 }]);
    });

    it('counts breaks in a chain the filter selects nothing of', () => {
      // Prepare
      const edited = claimAndRelease.map((e) => (e.seq === 2 ? { ...e, actorName: 'someone else' } : e));

      // Act
      const listing = listAuditEntries(log(edited, rulesAt('2026-11-29T10:00:00.000Z')), { chain: 'rules' });

      // Assess
      expect(named(listing)).toEqual(['rules #1']);
      expect(listing.unlistedBreaks).toEqual([{ chain: 'wuzhou-customs', seq: 2 }]);
    });
  });

  /** The claim and its release, five minutes apart; and a rules chain of one entry made at a time. */
  const claimAndRelease = wuzhou.slice(0, 2);
  const rulesAt = (at: string) =>
    chainOf(
      auditDraft({
        chain: 'rules',
        actionId: 'publish:origins:v2',
        action: 'publish',
        target: 'list/origins',
        at,
      }),
    );

  describe('order', () => {
    it('lists entries made at the same time by chain name', () => {
      // Act
      const listed = named(listAuditEntries(log(claimAndRelease, rulesAt('2026-11-29T10:00:00.000Z')), {}));

      // Assess
      expect(listed).toEqual(['rules #1', 'wuzhou-customs #1', 'wuzhou-customs #2']);
    });

    it('lists an entry whose time is no instant (only an altered one has such) last', () => {
      // Prepare
      const altered = claimAndRelease.map((e) => (e.seq === 1 ? { ...e, at: 'yesterday' } : e));

      // Act
      const listing = listAuditEntries(log(altered, rulesAt('2026-11-29T10:02:00.000Z')), {});

      // Assess
      expect(named(listing)).toEqual(['rules #1', 'wuzhou-customs #2', 'wuzhou-customs #1']);
      expect(listing.listed.at(-1)!.problems).not.toEqual([]);
    });
  });

  describe('on an entry with several breaks', () => {
    it('gives every break its chain shows at it', () => {
      // Prepare: entry 1 rewritten and rehashed (so entry 2's link breaks), and entry 2 edited too
      const broken = claimAndRelease.map((e) =>
        e.seq === 1
          ? chainEntry({ ...auditDraft(), actorName: 'someone else' }, undefined)
          : { ...e, actorName: 'someone else' },
      );

      // Act
      const listing = listAuditEntries(log(broken), {});

      // Assess
      const [first, second] = [1, 2].map((seq) => listing.listed.find(({ entry }) => entry.seq === seq)!);
      expect(second!.problems).toEqual([
        'prevHash does not match the previous entry',
        expect.stringMatching(/^content does not match its hash/),
      ]);
      // Rewritten and rehashed, entry 1 hashes as written: only the link after it shows it
      expect(first!.problems).toEqual([
        'entry 2 does not link to it: it may have been rewritten and rehashed',
      ]);
      expect(listing.altered).toBe(2);
    });
  });
});
