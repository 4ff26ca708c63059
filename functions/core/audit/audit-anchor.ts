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
 * Every anchored head against the chains as read now: the first break of each chain (lowest sequence
 * number, earliest anchor), and how far each chain is anchored. Entries appended after the newest anchor
 * are not covered: the schedule bounds that window.
 */
export const checkAgainstAnchors = (
  chains: ReadonlyMap<string, readonly AuditEntry[]>,
  anchors: readonly AuditAnchor[],
): { breaks: AnchorBreak[]; coverage: AnchorCoverage } => {
  const bySeq = new Map(
    [...chains].map(([chain, entries]) => [chain, new Map(entries.map((entry) => [entry.seq, entry]))]),
  );
  const firstBreak = new Map<string, AnchorBreak>();
  const coverage: AnchorCoverage = new Map();
  /** A rewrite lies after the newest anchored entry still intact below the break (one pass, no spread). */
  const rewrittenSince = (chain: string, seq: number): string => {
    let newestIntact = 0;
    for (const anchor of anchors)
      for (const head of anchor.heads)
        if (
          head.chain === chain &&
          head.seq < seq &&
          head.seq > newestIntact &&
          bySeq.get(chain)?.get(head.seq)?.hash === head.hash
        )
          newestIntact = head.seq;
    return newestIntact === 0
      ? `the chain was rewritten at entry ${seq} or before it`
      : `the chain was rewritten after entry ${newestIntact} (anchored and intact), at entry ${seq} or before it`;
  };
  for (const anchor of [...anchors].sort(byAnchoredAt)) {
    for (const head of anchor.heads) {
      const covered = coverage.get(head.chain);
      if (covered === undefined || head.seq > covered.seq)
        coverage.set(head.chain, { seq: head.seq, anchoredAt: anchor.anchoredAt });
      const entries = bySeq.get(head.chain);
      const entry = entries?.get(head.seq);
      if (entries !== undefined && entry?.hash === head.hash) continue;
      const known = firstBreak.get(head.chain);
      if (known !== undefined && head.seq >= known.seq) continue;
      // Described only for the lowest break kept (anchors come in time order, so about once a chain).
      const problem =
        entries === undefined
          ? `the chain is gone, though ${anchor.anchoredAt} anchored its entry ${head.seq}`
          : entry === undefined
            ? `entry ${head.seq}, anchored at ${anchor.anchoredAt}, is gone: the chain ends at ${lastSeqOf(entries)}`
            : `entry ${head.seq} is not the entry anchored at ${anchor.anchoredAt}: ${rewrittenSince(head.chain, head.seq)}`;
      firstBreak.set(head.chain, {
        chain: head.chain,
        seq: head.seq,
        anchoredAt: anchor.anchoredAt,
        problem,
      });
    }
  }
  return { breaks: [...firstBreak.values()], coverage };
};
