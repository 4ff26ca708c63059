import { describe, expect, it } from 'vitest';
import {
  type AuditDraft,
  type AuditEntry,
  auditChainsOf,
  chainEntry,
  GENESIS_HASH,
  hashEntry,
  verifyChain,
} from '../../functions/core/audit/audit-chain.js';
import { canonicalJson } from '../../functions/core/canonical-json.js';

const draft = (index: number): AuditDraft => ({
  chain: 'wuzhou-customs',
  actionId: `claim:p${index}:v1`,
  actor: 'sub-1',
  actorName: 'wuzhou',
  role: 'officer',
  at: `2026-11-28T10:00:0${index}.000Z`,
  action: 'claim',
  target: `southwest-freight#P${index}`,
  before: { status: 'open' },
  after: { status: 'open', lease: { holder: 'sub-1', until: '2026-11-28T10:30:00.000Z' } },
  requestId: `req-${index}`,
});

const chainOf = (length: number): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (let index = 1; index <= length; index += 1) entries.push(chainEntry(draft(index), entries.at(-1)));
  return entries;
};

describe('the audit hash chain', () => {
  it('links every entry to the one before it, from the genesis hash', () => {
    // Act
    const entries = chainOf(3);
    // Assess
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[2]!.prevHash).toBe(entries[1]!.hash);
    expect(verifyChain('wuzhou-customs', entries)).toEqual({ ok: true, chain: 'wuzhou-customs', entries: 3 });
  });

  it.each([
    ['a changed actor', (entry: AuditEntry) => ({ ...entry, actor: 'sub-2' }), [[3, /altered/]]],
    [
      'a changed before/after',
      (entry: AuditEntry) => ({ ...entry, after: { status: 'closed' } }),
      [[3, /altered/]],
    ],
    [
      // Its hash changed with it, so the next entry's link to it breaks too.
      'a rehashed entry',
      (entry: AuditEntry) => ({ ...chainEntry({ ...entry, actor: 'x' }, { seq: 2, hash: 'f'.repeat(64) }) }),
      [
        [3, /prevHash/],
        [4, /prevHash/],
      ],
    ],
    [
      'fields added that the hash does not cover',
      (entry: AuditEntry) => ({ ...entry, approvedBy: 'chief-inspector li.na', outcome: 'cleared' }),
      [[3, /fields its hash does not cover \(approvedBy, outcome\)/]],
    ],
    [
      'a number past 2^53, read as a BigInt',
      (entry: AuditEntry) => ({ ...entry, after: { count: 2n ** 60n } }),
      [[3, /cannot be hashed/]],
    ],
    [
      'a seq read as a BigInt',
      (entry: AuditEntry) => ({ ...entry, seq: 3n as unknown as number }),
      [[3, /seq 3 is not a whole number/]],
    ],
    [
      'a changed before',
      (entry: AuditEntry) => ({ ...entry, before: { status: 'closed' } }),
      [[3, /altered/]],
    ],
  ] as const)('fails at exactly the entry with %s, and nowhere after it', (_name, alter, breaks) => {
    // Prepare
    const entries = chainOf(5);
    entries[2] = alter(entries[2]!);
    // Act
    const verdict = verifyChain('wuzhou-customs', entries);
    // Assess
    expect(verdict).toEqual({
      ok: false,
      chain: 'wuzhou-customs',
      entries: 5,
      breaks: breaks.map(([seq, problem]) => ({ seq, problem: expect.stringMatching(problem) })),
    });
  });

  it('names every entry that does not hold, in chain order, not only the first', () => {
    // Prepare: entry 2 edited, entry 4 given a field its hash does not cover, entry 6 edited
    const entries = chainOf(7);
    entries[1] = { ...entries[1]!, actor: 'sub-2' };
    entries[3] = { ...entries[3]!, approvedBy: 'li.na' } as AuditEntry;
    entries[5] = { ...entries[5]!, after: { status: 'closed' } };
    // Act
    const verdict = verifyChain('wuzhou-customs', entries.reverse());
    // Assess
    expect(verdict).toMatchObject({
      ok: false,
      breaks: [
        { seq: 2, problem: 'content does not match its hash: the entry was altered' },
        {
          seq: 4,
          problem: 'it carries fields its hash does not cover (approvedBy): the entry was altered',
        },
        { seq: 6, problem: 'content does not match its hash: the entry was altered' },
      ],
    });
  });

  it.each([
    [
      'between two entries, at seq 3.5',
      3.5,
      [{ seq: 3.5, problem: 'its seq 3.5 is not a whole number the log writes' }],
    ],
    [
      'before the first entry, at seq 0',
      0,
      [{ seq: 0, problem: 'its seq 0 comes before 1, the next the chain expects: the entry was planted' }],
    ],
    [
      'beside an entry, at its seq 3',
      3,
      [{ seq: 3, problem: 'its seq 3 comes before 4, the next the chain expects: the entry was planted' }],
    ],
  ])('names an entry planted %s, and holds the entries around it to each other', (_where, seq, breaks) => {
    // Prepare: a copy of entry 2 under another seq, its hash recomputed
    const entries = chainOf(5);
    const planted = { ...entries[1]!, seq, actor: 'planted' };
    const { hash: _copied, ...unhashed } = planted;
    entries.push({ ...planted, hash: hashEntry(unhashed) });
    // Act
    const verdict = verifyChain('wuzhou-customs', entries);
    // Assess: the planted entry, and nothing of the intact entries
    expect(verdict).toMatchObject({ ok: false, breaks });
  });

  it('fails where an entry was removed, once, and still checks every entry after the gap', () => {
    // Prepare: entry 2 removed, entry 4 edited
    const entries = chainOf(5).filter((entry) => entry.seq !== 2);
    entries[2] = { ...entries[2]!, actor: 'sub-2' };
    // Act
    const verdict = verifyChain('wuzhou-customs', entries);
    // Assess
    expect(verdict).toMatchObject({
      ok: false,
      breaks: [
        { seq: 3, problem: 'sequence jumps from 1 to 3: entries are missing' },
        { seq: 4, problem: 'content does not match its hash: the entry was altered' },
      ],
    });
  });

  it('fails where an entry was rewritten and rehashed and only the next entry relinked to it', () => {
    // Prepare: entry 3 rewritten with a hash of its own, entry 4 pointed at that hash
    const entries = chainOf(5);
    entries[2] = chainEntry({ ...entries[2]!, actor: 'sub-2' }, entries[1]);
    entries[3] = { ...entries[3]!, prevHash: entries[2]!.hash };

    // Act
    const verdict = verifyChain('wuzhou-customs', entries);

    // Assess
    expect(verdict).toMatchObject({
      ok: false,
      breaks: [{ seq: 4, problem: expect.stringMatching(/altered/) }],
    });
  });

  it('fails at the one link a rewritten and rehashed entry breaks, not at every link after it', () => {
    // Prepare: entry 3 rewritten and rehashed on entry 2, nothing after it touched
    const entries = chainOf(6);
    entries[2] = chainEntry({ ...entries[2]!, actor: 'sub-2' }, entries[1]);

    // Act
    const verdict = verifyChain('wuzhou-customs', entries);

    // Assess
    expect(verdict).toMatchObject({
      ok: false,
      breaks: [{ seq: 4, problem: 'prevHash does not match the previous entry' }],
    });
  });

  it('fails every entry of a chain moved under the name of another chain', () => {
    // Prepare: the wuzhou chain whole and intact, read as the nanning chain
    const entries = chainOf(2);
    // Act
    const verdict = verifyChain('nanning-customs', entries);
    // Assess
    expect(verdict).toMatchObject({
      ok: false,
      breaks: [
        { seq: 1, problem: 'entry names chain wuzhou-customs' },
        { seq: 2, problem: 'entry names chain wuzhou-customs' },
      ],
    });
  });

  it('holds a chain read in any order', () => {
    expect(verifyChain('wuzhou-customs', chainOf(3).reverse())).toEqual({
      ok: true,
      chain: 'wuzhou-customs',
      entries: 3,
    });
  });

  it('names the rules and operations chains among the chains to anchor, after every office', () => {
    expect(auditChainsOf(['wuzhou-customs', 'nanning-customs'])).toEqual([
      'wuzhou-customs',
      'nanning-customs',
      'rules',
      'operations',
    ]);
  });

  it('writes one canonical text whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}',
    );
  });
});
