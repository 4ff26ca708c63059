import { describe, expect, it } from 'vitest';
import { makeAnchorAuditChains } from '../../functions/audit/anchor-audit-chains.js';
import { makeVerifyAuditLog } from '../../functions/audit/verify-audit-log.js';
import { type AuditAnchor, checkAgainstAnchors, headOf } from '../../functions/core/audit/audit-anchor.js';
import { type AuditDraft, type AuditEntry, chainEntry } from '../../functions/core/audit/audit-chain.js';
import { InMemoryAuditAnchors } from '../support/audit-anchors.js';

const draft = (chain: string, index: number, actorName = 'wuzhou'): AuditDraft => ({
  chain,
  actionId: `claim:p${index}:v1`,
  actor: 'sub-1',
  actorName,
  role: 'officer',
  at: `2026-11-28T10:00:${String(index).padStart(2, '0')}.000Z`,
  action: 'claim',
  target: `southwest-freight#P${index}`,
  before: { status: 'open' },
  after: { status: 'open' },
  requestId: `req-${index}`,
});

/** A chain of `length` entries; `rewrite` changes the drafts from that entry on, rehashing every entry after it. */
const chainOf = (
  chain: string,
  length: number,
  rewrite?: { from: number; actorName: string },
): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (let index = 1; index <= length; index += 1) {
    const actorName = rewrite !== undefined && index >= rewrite.from ? rewrite.actorName : 'wuzhou';
    entries.push(chainEntry(draft(chain, index, actorName), entries.at(-1)));
  }
  return entries;
};

const anchorAt = (anchoredAt: string, ...entries: AuditEntry[]): AuditAnchor => ({
  anchoredAt,
  heads: entries.map(headOf),
});

const chainsOf = (...chains: AuditEntry[][]) =>
  new Map(chains.map((entries) => [entries[0]!.chain, entries]));

describe('checkAgainstAnchors', () => {
  const wuzhou = chainOf('wuzhou-customs', 6);
  const rules = chainOf('rules', 2);
  const anchors = [
    anchorAt('2026-11-28T11:00:00.000Z', wuzhou[2]!, rules[1]!),
    anchorAt('2026-11-28T12:00:00.000Z', wuzhou[4]!, rules[1]!),
  ];

  it('holds chains that still have every anchored entry, with entries appended since', () => {
    // Act
    const result = checkAgainstAnchors(chainsOf(wuzhou, rules), anchors);
    // Assess
    expect(result.breaks).toEqual([]);
    expect(result.coverage).toEqual(
      new Map([
        ['wuzhou-customs', { seq: 5, anchoredAt: '2026-11-28T12:00:00.000Z' }],
        ['rules', { seq: 2, anchoredAt: '2026-11-28T11:00:00.000Z' }],
      ]),
    );
  });

  it.each([
    [
      // Every anchored entry after the rewrite was rehashed with it: each is named.
      'a chain rewritten from entry 2 and rehashed to its end',
      chainOf('wuzhou-customs', 6, { from: 2, actorName: 'someone' }),
      [
        {
          seq: 3,
          anchoredAt: '2026-11-28T11:00:00.000Z',
          problem:
            'entry 3 is not the entry anchored at 2026-11-28T11:00:00.000Z: the chain was rewritten at entry 3 or before it',
        },
        {
          seq: 5,
          anchoredAt: '2026-11-28T12:00:00.000Z',
          problem:
            'entry 5 is not the entry anchored at 2026-11-28T12:00:00.000Z: the chain was rewritten at entry 5 or before it',
        },
      ],
    ],
    [
      'a chain rewritten after the first anchor only',
      chainOf('wuzhou-customs', 6, { from: 4, actorName: 'someone' }),
      [
        {
          seq: 5,
          anchoredAt: '2026-11-28T12:00:00.000Z',
          // The rewrite lies between the anchored entries, not at the one that shows it.
          problem:
            'entry 5 is not the entry anchored at 2026-11-28T12:00:00.000Z: the chain was rewritten after entry 3 (anchored and intact), at entry 5 or before it',
        },
      ],
    ],
    [
      'a chain whose newest entries were deleted',
      wuzhou.slice(0, 4),
      [
        {
          seq: 5,
          anchoredAt: '2026-11-28T12:00:00.000Z',
          problem: 'entry 5, anchored at 2026-11-28T12:00:00.000Z, is gone: the chain ends at 4',
        },
      ],
    ],
    [
      'a chain whose anchored entries were all deleted',
      wuzhou.slice(0, 2),
      [
        {
          seq: 3,
          anchoredAt: '2026-11-28T11:00:00.000Z',
          problem: 'entry 3, anchored at 2026-11-28T11:00:00.000Z, is gone: the chain ends at 2',
        },
        {
          seq: 5,
          anchoredAt: '2026-11-28T12:00:00.000Z',
          problem: 'entry 5, anchored at 2026-11-28T12:00:00.000Z, is gone: the chain ends at 2',
        },
      ],
    ],
  ])('finds %s', (_name, altered, expected) => {
    // Act
    const { breaks } = checkAgainstAnchors(chainsOf(altered, rules), anchors);
    // Assess
    expect(breaks).toEqual(expected.map((found) => ({ chain: 'wuzhou-customs', ...found })));
  });

  it('names an anchored entry gone once, by the earliest anchor, however many anchors name it', () => {
    // Prepare: entry 5 anchored three times, then deleted
    const named = [
      anchorAt('2026-11-28T13:00:00.000Z', wuzhou[4]!),
      anchorAt('2026-11-28T11:00:00.000Z', wuzhou[4]!),
      anchorAt('2026-11-28T12:00:00.000Z', wuzhou[4]!),
    ];

    // Act
    const { breaks } = checkAgainstAnchors(chainsOf(wuzhou.slice(0, 4)), named);

    // Assess
    expect(breaks.map((found) => found.problem)).toEqual([
      'entry 5, anchored at 2026-11-28T11:00:00.000Z, is gone: the chain ends at 4',
    ]);
  });

  it('finds the same break and coverage whatever order the anchor store lists the anchors in', () => {
    // Prepare: three anchors, listed newest first, of a chain rewritten from entry 4
    const rewritten = chainOf('wuzhou-customs', 6, { from: 4, actorName: 'someone' });
    const listed = [
      anchorAt('2026-11-28T12:00:00.000Z', wuzhou[4]!, rules[1]!),
      anchorAt('2026-11-28T11:00:00.000Z', wuzhou[2]!, rules[1]!),
      anchorAt('2026-11-28T10:00:00.000Z', wuzhou[1]!),
    ];

    // Act
    const result = checkAgainstAnchors(chainsOf(rewritten, rules), listed);

    // Assess
    expect(result.breaks).toEqual([
      {
        chain: 'wuzhou-customs',
        seq: 5,
        anchoredAt: '2026-11-28T12:00:00.000Z',
        problem:
          'entry 5 is not the entry anchored at 2026-11-28T12:00:00.000Z: the chain was rewritten after entry 3 (anchored and intact), at entry 5 or before it',
      },
    ]);
    expect(result.coverage.get('rules')).toEqual({ seq: 2, anchoredAt: '2026-11-28T11:00:00.000Z' });
  });

  it('finds the newest entries of a long chain deleted', () => {
    // Prepare: 300,000 entries (hashes do not matter here), anchored at the last, then cut at 250,000
    const long = Array.from({ length: 300_000 }, (_, i) => ({
      chain: 'wuzhou-customs',
      seq: i + 1,
      hash: 'h',
    }));
    const anchored = { anchoredAt: '2026-11-28T11:00:00.000Z', heads: [long.at(-1)!] };

    // Act
    const cut = new Map([['wuzhou-customs', long.slice(0, 250_000) as unknown as AuditEntry[]]]);
    const { breaks } = checkAgainstAnchors(cut, [anchored]);

    // Assess
    expect(breaks.map((found) => found.problem)).toEqual([
      'entry 300000, anchored at 2026-11-28T11:00:00.000Z, is gone: the chain ends at 250000',
    ]);
  });

  it('says where a chain read out of order ends', () => {
    // Act
    const { breaks } = checkAgainstAnchors(chainsOf(wuzhou.slice(0, 4).reverse()), [
      anchorAt('2026-11-28T12:00:00.000Z', wuzhou[4]!),
    ]);

    // Assess
    expect(breaks.map((found) => found.problem)).toEqual([
      'entry 5, anchored at 2026-11-28T12:00:00.000Z, is gone: the chain ends at 4',
    ]);
  });

  it('finds a chain deleted whole', () => {
    // Act
    const { breaks } = checkAgainstAnchors(chainsOf(wuzhou), anchors);
    // Assess
    expect(breaks).toEqual([
      {
        chain: 'rules',
        seq: 2,
        anchoredAt: '2026-11-28T11:00:00.000Z',
        problem: 'the chain is gone, though 2026-11-28T11:00:00.000Z anchored its entry 2',
      },
    ]);
  });

  it('names a chain gone whole at its lowest anchored entry, by the anchor that recorded it', () => {
    // Prepare: the wuzhou chain anchored at entries 3 and 5, then deleted whole
    const named = [
      anchorAt('2026-11-28T11:00:00.000Z', wuzhou[2]!),
      anchorAt('2026-11-28T12:00:00.000Z', wuzhou[4]!),
    ];

    // Act
    const { breaks } = checkAgainstAnchors(chainsOf(rules), named);

    // Assess
    expect(breaks).toEqual([
      {
        chain: 'wuzhou-customs',
        seq: 3,
        anchoredAt: '2026-11-28T11:00:00.000Z',
        problem: 'the chain is gone, though 2026-11-28T11:00:00.000Z anchored its entry 3',
      },
    ]);
  });

  it('places a rewrite after the newest entry intact below the break, not at an entry anchored since', () => {
    // Prepare: entries 3 and 5 anchored, the chain rewritten from entry 4, and its new entry 5 anchored too
    const rewritten = chainOf('wuzhou-customs', 6, { from: 4, actorName: 'someone' });
    const named = [
      anchorAt('2026-11-28T11:00:00.000Z', wuzhou[2]!),
      anchorAt('2026-11-28T12:00:00.000Z', wuzhou[4]!),
      anchorAt('2026-11-28T13:00:00.000Z', rewritten[4]!),
    ];

    // Act
    const { breaks } = checkAgainstAnchors(chainsOf(rewritten), named);

    // Assess
    expect(breaks.map((found) => found.problem)).toEqual([
      'entry 5 is not the entry anchored at 2026-11-28T12:00:00.000Z: the chain was rewritten after entry 3 (anchored and intact), at entry 5 or before it',
    ]);
  });
});

describe('anchoring and verifying', () => {
  const clockAt = (...times: string[]) => ({
    now: () => new Date(times.shift() ?? '2026-11-28T23:00:00.000Z'),
  });
  const logOf = (chains: Map<string, AuditEntry[]>) => ({
    headOf: async (chain: string) => chains.get(chain)?.at(-1),
    readAll: async () => chains,
  });

  it('anchors the heads of the named chains that have entries, and nothing when none moved', async () => {
    // Prepare
    const chains = chainsOf(chainOf('wuzhou-customs', 3), chainOf('rules', 1));
    const anchors = new InMemoryAuditAnchors();
    const anchor = makeAnchorAuditChains({
      auditLog: logOf(chains),
      anchors,
      clock: clockAt('2026-11-28T11:00:00.000Z', '2026-11-28T11:15:00.000Z', '2026-11-28T11:30:00.000Z'),
    });
    const named = ['wuzhou-customs', 'nanning-customs', 'rules'];

    // Act
    const first = await anchor(named);
    const quiet = await anchor(named);
    chains.get('rules')!.push(chainEntry(draft('rules', 2), chains.get('rules')![0]));
    const moved = await anchor(named);

    // Assess
    expect(first).toEqual({
      anchoredAt: '2026-11-28T11:00:00.000Z',
      heads: [headOf(chains.get('rules')![0]!), headOf(chains.get('wuzhou-customs')![2]!)],
    });
    expect(quiet).toBeUndefined();
    expect(moved?.heads.map((head) => [head.chain, head.seq])).toEqual([
      ['rules', 2],
      ['wuzhou-customs', 3],
    ]);
    expect(anchors.stored.map((stored) => stored.anchoredAt)).toEqual([
      '2026-11-28T11:00:00.000Z',
      '2026-11-28T11:30:00.000Z',
    ]);
  });

  it('fails a verification that the chains alone pass, once an anchor saw the chain as it was', async () => {
    // Prepare: the chain anchored, then rewritten from its first entry with every hash recomputed
    const anchors = new InMemoryAuditAnchors();
    const honest = chainsOf(chainOf('wuzhou-customs', 4));
    await makeAnchorAuditChains({ auditLog: logOf(honest), anchors, clock: clockAt() })(['wuzhou-customs']);
    const rewritten = logOf(chainsOf(chainOf('wuzhou-customs', 5, { from: 1, actorName: 'someone' })));

    // Act
    const unanchored = await makeVerifyAuditLog(rewritten, new InMemoryAuditAnchors())();
    const anchored = await makeVerifyAuditLog(rewritten, anchors)();

    // Assess
    expect(unanchored.ok).toBe(true);
    expect(anchored).toMatchObject({
      ok: false,
      firstFailure: { chain: 'wuzhou-customs', seq: 4, problem: expect.stringMatching(/rewritten/) },
      chains: [{ chain: 'wuzhou-customs', ok: false, entries: 5, anchored: { seq: 4 } }],
    });
  });

  it('raises no alarm for entries appended and anchored while it reads', async () => {
    // Prepare: each time the anchors are read, an officer acts and the anchoring runs, as in production
    const chains = chainsOf(chainOf('wuzhou-customs', 2));
    const stored = new InMemoryAuditAnchors();
    const anchorNow = makeAnchorAuditChains({ auditLog: logOf(chains), anchors: stored, clock: clockAt() });
    const busyAnchors = {
      readAll: async () => {
        const entries = chains.get('wuzhou-customs')!;
        entries.push(chainEntry(draft('wuzhou-customs', entries.length + 1), entries.at(-1)));
        await anchorNow(['wuzhou-customs']);
        return stored.readAll();
      },
    };
    const snapshotLog = {
      readAll: async () => new Map([...chains].map(([chain, entries]) => [chain, [...entries]])),
    };

    // Act
    const result = await makeVerifyAuditLog(snapshotLog, busyAnchors)();

    // Assess
    expect(result.ok).toBe(true);
  });

  it('says when the newest anchor was made', async () => {
    // Prepare
    const entries = chainOf('wuzhou-customs', 3);
    const anchors = new InMemoryAuditAnchors();
    await anchors.put(anchorAt('2026-11-28T10:15:00.000Z', entries[1]!));
    await anchors.put(anchorAt('2026-11-28T10:30:00.000Z', entries[2]!));

    // Act
    const result = await makeVerifyAuditLog(logOf(chainsOf(entries)), anchors)();

    // Assess
    expect(result).toMatchObject({ ok: true, newestAnchorAt: '2026-11-28T10:30:00.000Z' });
  });

  it('anchors every other chain when one head cannot be read or is no entry, then fails the run', async () => {
    // Prepare: a forged item at the head of one chain, and a chain whose read fails
    const wuzhou = chainOf('wuzhou-customs', 2);
    const forged = { ...chainOf('nanning-customs', 1)[0]!, hash: 'not a hash' };
    const heads: Record<string, () => Promise<AuditEntry | undefined>> = {
      'wuzhou-customs': async () => wuzhou[1],
      'nanning-customs': async () => forged,
      rules: async () => {
        throw new Error('throttled');
      },
    };
    const anchors = new InMemoryAuditAnchors();
    const anchor = makeAnchorAuditChains({
      auditLog: { headOf: (chain) => heads[chain]!() },
      anchors,
      clock: clockAt(),
    });

    // Act
    const run = anchor(Object.keys(heads));

    // Assess
    await expect(run).rejects.toThrow(
      'audit chains not anchored: nanning-customs: its newest item is not an audit entry; rules: throttled',
    );
    expect(anchors.stored.map((stored) => stored.heads)).toEqual([[headOf(wuzhou[1]!)]]);
  });

  it.each([
    [
      'an item holding only a chain, a seq and a hash',
      { chain: 'wuzhou-customs', seq: 1_000_000, hash: 'a'.repeat(64) },
    ],
    [
      'an entry whose content was changed under its hash',
      { ...chainOf('wuzhou-customs', 1)[0]!, actorName: 'someone' },
    ],
  ])(
    'anchors no head that is %s planted at the top of a chain, and fails the run',
    async (_name, planted) => {
      // Prepare
      const anchors = new InMemoryAuditAnchors();
      const anchor = makeAnchorAuditChains({
        auditLog: { headOf: async () => planted as AuditEntry },
        anchors,
        clock: clockAt(),
      });

      // Act
      const run = anchor(['wuzhou-customs']);

      // Assess: nothing pinned to it, and the error alarm's run failure says why
      await expect(run).rejects.toThrow(
        /^audit chains not anchored: wuzhou-customs: its newest item is not an audit entry \(.*the entry was altered\)$/,
      );
      expect(anchors.stored).toEqual([]);
    },
  );

  it('fails a verification when an anchored chain is gone from the log whole', async () => {
    // Prepare: the rules chain anchored, then every entry of it deleted
    const wuzhou = chainOf('wuzhou-customs', 2);
    const anchors = new InMemoryAuditAnchors();
    await anchors.put(anchorAt('2026-11-28T10:15:00.000Z', wuzhou[1]!, chainOf('rules', 2)[1]!));

    // Act
    const result = await makeVerifyAuditLog(logOf(chainsOf(wuzhou)), anchors)();

    // Assess
    expect(result).toMatchObject({
      ok: false,
      firstFailure: { chain: 'rules', seq: 2, problem: expect.stringMatching(/the chain is gone/) },
      chains: [
        { chain: 'rules', ok: false, entries: 0, anchored: { seq: 2 } },
        { chain: 'wuzhou-customs', ok: true, entries: 2 },
      ],
    });
  });

  it('names an anchored entry deleted and an earlier entry edited, each in chain order', async () => {
    // Prepare: entries 4 and 6 anchored, entry 6 then deleted, and entry 2 edited (as an operator review did)
    const entries = chainOf('wuzhou-customs', 6);
    const anchors = new InMemoryAuditAnchors();
    await anchors.put(anchorAt('2026-11-28T10:15:00.000Z', entries[3]!));
    await anchors.put(anchorAt('2026-11-28T10:30:00.000Z', entries[5]!));
    const altered = [entries[0]!, { ...entries[1]!, actorName: 'someone' }, ...entries.slice(2, 5)];

    // Act
    const result = await makeVerifyAuditLog(logOf(chainsOf(altered)), anchors)();

    // Assess
    expect(result).toMatchObject({
      ok: false,
      firstFailure: { chain: 'wuzhou-customs', seq: 2, problem: expect.stringMatching(/altered/) },
      chains: [
        {
          chain: 'wuzhou-customs',
          ok: false,
          entries: 5,
          failures: [
            { seq: 2, problem: 'content does not match its hash: the entry was altered' },
            {
              seq: 6,
              problem: 'entry 6, anchored at 2026-11-28T10:30:00.000Z, is gone: the chain ends at 5',
            },
          ],
        },
      ],
    });
  });

  it('names an anchored entry deleted from the middle of a chain after an earlier entry was edited', async () => {
    // Prepare: entry 6 of 8 anchored, then deleted, and entry 2 edited
    const entries = chainOf('wuzhou-customs', 8);
    const anchors = new InMemoryAuditAnchors();
    await anchors.put(anchorAt('2026-11-28T10:15:00.000Z', entries[5]!));
    const altered = entries.filter((entry) => entry.seq !== 6);
    altered[1] = { ...altered[1]!, actorName: 'someone' };

    // Act
    const result = await makeVerifyAuditLog(logOf(chainsOf(altered)), anchors)();

    // Assess
    expect(result.chains[0]!.failures).toEqual([
      { seq: 2, problem: 'content does not match its hash: the entry was altered' },
      { seq: 6, problem: 'entry 6, anchored at 2026-11-28T10:15:00.000Z, is gone: the chain ends at 8' },
      { seq: 7, problem: 'sequence jumps from 5 to 7: entries are missing' },
    ]);
  });

  it.each([
    ['one entry edited', [2], [2]],
    ['two entries edited', [2, 5], [2, 5]],
    ['an anchored entry edited and an earlier one', [2, 4], [2, 4]],
  ])('names %s, each once, and no entry after them', async (_name, edited, failing) => {
    // Prepare: a chain of 7 anchored at entries 4 and 7, then edited in place
    const entries = chainOf('wuzhou-customs', 7);
    const anchors = new InMemoryAuditAnchors();
    await anchors.put(anchorAt('2026-11-28T10:15:00.000Z', entries[3]!));
    await anchors.put(anchorAt('2026-11-28T10:30:00.000Z', entries[6]!));
    const altered = entries.map((entry) =>
      edited.includes(entry.seq) ? { ...entry, actorName: 'someone' } : entry,
    );

    // Act
    const result = await makeVerifyAuditLog(logOf(chainsOf(altered)), anchors)();

    // Assess
    expect(result.ok).toBe(false);
    expect(result.chains[0]!.failures).toEqual(
      failing.map((seq) => ({ seq, problem: 'content does not match its hash: the entry was altered' })),
    );
  });

  it('names what the chain and what an anchor show at one entry, the chain first', async () => {
    // Prepare: entry 4 anchored, then rewritten and rehashed on a forged link
    const entries = chainOf('wuzhou-customs', 5);
    const anchors = new InMemoryAuditAnchors();
    await anchors.put(anchorAt('2026-11-28T10:15:00.000Z', entries[3]!));
    const altered = [...entries];
    altered[3] = chainEntry(draft('wuzhou-customs', 4, 'someone'), { seq: 3, hash: 'f'.repeat(64) });

    // Act
    const result = await makeVerifyAuditLog(logOf(chainsOf(altered)), anchors)();

    // Assess
    expect(result.chains[0]!.failures).toEqual([
      { seq: 4, problem: 'prevHash does not match the previous entry' },
      {
        seq: 4,
        problem:
          'entry 4 is not the entry anchored at 2026-11-28T10:15:00.000Z: the chain was rewritten at entry 4 or before it',
      },
      { seq: 5, problem: 'prevHash does not match the previous entry' },
    ]);
  });

  it('names every anchored entry a rewrite reached, not only the first', async () => {
    // Prepare: a chain of 6 anchored at entries 2 and 4, then rewritten from entry 2 and rehashed to its end
    const entries = chainOf('wuzhou-customs', 6);
    const anchors = new InMemoryAuditAnchors();
    await anchors.put(anchorAt('2026-11-28T11:00:00.000Z', entries[1]!));
    await anchors.put(anchorAt('2026-11-28T12:00:00.000Z', entries[3]!));
    const rewritten = chainOf('wuzhou-customs', 6, { from: 2, actorName: 'someone' });

    // Act
    const result = await makeVerifyAuditLog(logOf(chainsOf(rewritten)), anchors)();

    // Assess
    expect(result.ok).toBe(false);
    expect(result.chains[0]!.failures).toEqual([
      {
        seq: 2,
        problem:
          'entry 2 is not the entry anchored at 2026-11-28T11:00:00.000Z: the chain was rewritten at entry 2 or before it',
      },
      {
        seq: 4,
        problem:
          'entry 4 is not the entry anchored at 2026-11-28T12:00:00.000Z: the chain was rewritten at entry 4 or before it',
      },
    ]);
  });

  it('names the first chain, in name order, that does not hold', async () => {
    // Prepare: an entry edited in each of two chains
    const rules = chainOf('rules', 2);
    const wuzhou = chainOf('wuzhou-customs', 2);
    const log = logOf(
      chainsOf(
        [rules[0]!, { ...rules[1]!, actorName: 'someone' }],
        [{ ...wuzhou[0]!, actorName: 'someone' }, wuzhou[1]!],
      ),
    );

    // Act
    const result = await makeVerifyAuditLog(log, new InMemoryAuditAnchors())();

    // Assess
    expect(result.firstFailure).toMatchObject({ chain: 'rules', seq: 2 });
  });

  it('anchors the same heads on the next run when storing the anchor failed', async () => {
    // Prepare: the anchor store refuses the first anchor
    const chains = chainsOf(chainOf('wuzhou-customs', 2));
    const stored = new InMemoryAuditAnchors();
    let refusals = 1;
    const flaky = {
      put: async (anchor: AuditAnchor) => {
        if (refusals-- > 0) throw new Error('throttled');
        await stored.put(anchor);
      },
    };
    const anchor = makeAnchorAuditChains({ auditLog: logOf(chains), anchors: flaky, clock: clockAt() });

    // Act
    const failed = anchor(['wuzhou-customs']);
    await expect(failed).rejects.toThrow('throttled');
    const retried = await anchor(['wuzhou-customs']);

    // Assess
    expect(retried?.heads).toEqual([headOf(chains.get('wuzhou-customs')![1]!)]);
    expect(stored.stored).toHaveLength(1);
  });

  it('stores no anchor while no named chain has entries', async () => {
    // Prepare
    const anchors = new InMemoryAuditAnchors();
    const anchor = makeAnchorAuditChains({ auditLog: logOf(new Map()), anchors, clock: clockAt() });

    // Act
    const first = await anchor(['wuzhou-customs', 'rules']);

    // Assess
    expect(first).toBeUndefined();
    expect(anchors.stored).toEqual([]);
  });

  it('fails a verification when an anchor cannot be read', async () => {
    // Prepare
    const unreadable = { key: 'anchors/x.json', problem: 'not JSON' };
    const anchors = { readAll: async () => ({ anchors: [], problems: [unreadable] }) };

    // Act
    const result = await makeVerifyAuditLog(logOf(chainsOf(chainOf('rules', 1))), anchors)();

    // Assess
    expect(result).toMatchObject({ ok: false, anchorProblems: [unreadable] });
    expect(result.firstFailure).toBeUndefined();
  });
});
