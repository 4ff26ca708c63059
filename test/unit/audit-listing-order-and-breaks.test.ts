import { describe, expect, it } from 'vitest';
import { type AuditDraft, type AuditEntry, chainEntry } from '../../functions/core/audit/audit-chain.js';
import { listAuditEntries } from '../../functions/core/audit/audit-listing.js';

const draft = (overrides: Partial<AuditDraft> = {}): AuditDraft => ({
  chain: 'wuzhou-customs',
  actionId: 'claim:southwest-freight#SWF7781000123:v1',
  actor: 'sub-wuzhou',
  actorName: 'wuzhou',
  role: 'officer',
  at: '2026-11-29T10:00:00.000Z',
  action: 'claim',
  target: 'southwest-freight#SWF7781000123',
  before: { status: 'open' },
  after: { status: 'open', lease: { heldBy: 'wuzhou' } },
  requestId: 'req-1',
  ...overrides,
});
const chainOf = (...drafts: AuditDraft[]): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (const next of drafts) entries.push(chainEntry(next, entries.at(-1)));
  return entries;
};
const log = (...chains: AuditEntry[][]) => new Map(chains.map((entries) => [entries[0]!.chain, entries]));
const order = (chains: AuditEntry[][]) =>
  listAuditEntries(log(...chains), {}).listed.map(({ entry: { chain, seq } }) => `${chain} #${seq}`);

const wuzhou = chainOf(
  draft(),
  draft({ actionId: 'release:1', action: 'release', at: '2026-11-29T10:05:00.000Z', requestId: 'req-2' }),
);
const rulesAt = (at: string) =>
  chainOf(
    draft({ chain: 'rules', actionId: 'publish:origins:v2', action: 'publish', target: 'list/origins', at }),
  );

describe('listAuditEntries order', () => {
  it('lists entries made at the same time by chain name', () => {
    // Act
    const listed = order([wuzhou, rulesAt('2026-11-29T10:00:00.000Z')]);

    // Assess
    expect(listed).toEqual(['rules #1', 'wuzhou-customs #1', 'wuzhou-customs #2']);
  });

  it('lists an entry whose time is no instant (only an altered one has such) last', () => {
    // Prepare
    const altered = wuzhou.map((e) => (e.seq === 1 ? { ...e, at: 'yesterday' } : e));

    // Act
    const listing = listAuditEntries(log(altered, rulesAt('2026-11-29T10:02:00.000Z')), {});

    // Assess
    expect(listing.listed.map(({ entry: { chain, seq } }) => `${chain} #${seq}`)).toEqual([
      'rules #1',
      'wuzhou-customs #2',
      'wuzhou-customs #1',
    ]);
    expect(listing.listed.at(-1)!.problems).not.toEqual([]);
  });
});

describe('listAuditEntries on an entry with several breaks', () => {
  it('gives every break its chain shows at it', () => {
    // Prepare: entry 1 rewritten and rehashed (so entry 2's link breaks), and entry 2 edited too
    const broken = wuzhou.map((e) =>
      e.seq === 1
        ? chainEntry({ ...draft(), actorName: 'someone else' }, undefined)
        : { ...e, actorName: 'someone else' },
    );

    // Act
    const listing = listAuditEntries(log(broken), {});

    // Assess
    const second = listing.listed.find(({ entry }) => entry.seq === 2)!;
    expect(second.problems).toEqual([
      'prevHash does not match the previous entry',
      expect.stringMatching(/^content does not match its hash/),
    ]);
    expect(listing.altered).toBe(1);
  });
});
