import { z } from 'zod';
import type { AuditEntry } from './audit-chain.js';

/**
 * Anchors close what a hash chain cannot show on its own (audit-chain.ts): that its newest entries were
 * deleted, or that a writer of the table rewrote an entry and rehashed every entry after it. On a schedule,
 * the head of every chain (its newest entry's sequence number and hash) is copied to storage the writers
 * cannot change or delete (an object-locked bucket). Each entry's hash covers the one before it, so an
 * anchored head fixes its whole chain up to it: the chain must still hold that entry with that hash.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const ChainHeadSchema = z.strictObject({
  chain: z.string().min(1),
  seq: z.number().int().positive(),
  hash: z.string().regex(SHA256_HEX, 'a sha256 in hex'),
});
export type ChainHead = z.infer<typeof ChainHeadSchema>;

export const AuditAnchorSchema = z.strictObject({
  anchoredAt: z.iso.datetime(),
  heads: z.array(ChainHeadSchema),
});
export type AuditAnchor = z.infer<typeof AuditAnchorSchema>;

export const headOf = ({ chain, seq, hash }: Pick<AuditEntry, 'chain' | 'seq' | 'hash'>): ChainHead => ({
  chain,
  seq,
  hash,
});

/** An anchored head the chain no longer holds as anchored. */
export interface AnchorBreak {
  chain: string;
  seq: number;
  anchoredAt: string;
  problem: string;
}

/** How far each chain is anchored: its highest anchored entry and the first anchor that recorded it. */
export type AnchorCoverage = Map<string, { seq: number; anchoredAt: string }>;

/** A loop, not `Math.max(...keys)`: a chain can outgrow the arguments a call may take. */
const lastSeqOf = (entries: ReadonlyMap<number, AuditEntry>): number => {
  let last = 0;
  for (const seq of entries.keys()) if (seq > last) last = seq;
  return last;
};

const byAnchoredAt = (a: AuditAnchor, b: AuditAnchor) =>
  a.anchoredAt < b.anchoredAt ? -1 : a.anchoredAt > b.anchoredAt ? 1 : 0;

/**
 * Every anchored head against the chains as read now: every anchored entry that is gone or is not the
 * entry anchored, once each (named by the earliest anchor that shows it), in chain order, and how far each
 * chain is anchored. An anchor holds the entry to a hash kept outside the table, so it is checked whatever
 * else broke in the chain. A chain gone whole is one break, at its lowest anchored entry. Entries appended
 * after the newest anchor are not covered: the schedule bounds that window.
 */
export const checkAgainstAnchors = (
  chains: ReadonlyMap<string, readonly AuditEntry[]>,
  anchors: readonly AuditAnchor[],
): { breaks: AnchorBreak[]; coverage: AnchorCoverage } => {
  const bySeq = new Map(
    [...chains].map(([chain, entries]) => [chain, new Map(entries.map((entry) => [entry.seq, entry]))]),
  );
  const coverage: AnchorCoverage = new Map();
  /** Per chain, each anchored entry that does not hold, with the earliest anchor that shows it. */
  const broken = new Map<string, Map<number, string>>();
  /** Per chain, the anchored entries still there with an anchored hash. */
  const intact = new Map<string, Set<number>>();
  for (const anchor of [...anchors].sort(byAnchoredAt)) {
    for (const head of anchor.heads) {
      const covered = coverage.get(head.chain);
      if (covered === undefined || head.seq > covered.seq)
        coverage.set(head.chain, { seq: head.seq, anchoredAt: anchor.anchoredAt });
      const entries = bySeq.get(head.chain);
      if (entries !== undefined && entries.get(head.seq)?.hash === head.hash) {
        const seqs = intact.get(head.chain) ?? new Set<number>();
        intact.set(head.chain, seqs.add(head.seq));
        continue;
      }
      const found = broken.get(head.chain) ?? new Map<number, string>();
      if (!found.has(head.seq)) found.set(head.seq, anchor.anchoredAt);
      broken.set(head.chain, found);
    }
  }
  const breaks: AnchorBreak[] = [];
  for (const [chain, found] of [...broken].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const inOrder = [...found].sort(([a], [b]) => a - b);
    const entries = bySeq.get(chain);
    if (entries === undefined) {
      const [seq, anchoredAt] = inOrder[0]!;
      breaks.push({
        chain,
        seq,
        anchoredAt,
        problem: `the chain is gone, though ${anchoredAt} anchored its entry ${seq}`,
      });
      continue;
    }
    const lastSeq = lastSeqOf(entries);
    // A rewrite lies after the newest anchored entry still intact below the break: one pass, in seq order.
    const intactInOrder = [...(intact.get(chain) ?? [])].sort((a, b) => a - b);
    let next = 0;
    let newestIntact = 0;
    for (const [seq, anchoredAt] of inOrder) {
      while (next < intactInOrder.length && intactInOrder[next]! < seq) newestIntact = intactInOrder[next++]!;
      const rewritten =
        newestIntact === 0
          ? `the chain was rewritten at entry ${seq} or before it`
          : `the chain was rewritten after entry ${newestIntact} (anchored and intact), at entry ${seq} or before it`;
      const problem = entries.has(seq)
        ? `entry ${seq} is not the entry anchored at ${anchoredAt}: ${rewritten}`
        : `entry ${seq}, anchored at ${anchoredAt}, is gone: the chain ends at ${lastSeq}`;
      breaks.push({ chain, seq, anchoredAt, problem });
    }
  }
  return { breaks, coverage };
};
