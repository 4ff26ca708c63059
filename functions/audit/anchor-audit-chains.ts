import { type AuditAnchor, ChainHeadSchema, headOf } from '../core/audit/audit-anchor.js';
import { entryProblem } from '../core/audit/audit-chain.js';
import { forEachLimited } from '../platform/concurrency.js';
import { DependencyError } from '../platform/errors.js';
import type { AuditAnchors } from '../ports/audit-anchors.js';
import type { AuditChainHeads } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';

export interface AnchorAuditChainsDeps {
  auditLog: AuditChainHeads;
  anchors: Pick<AuditAnchors, 'put'>;
  clock: Clock;
}

const HEAD_READS = 8;

/**
 * Copies the head of every named chain that has entries into a new anchor. Chains are named, not found
 * by scanning a log that only grows: every inspection office, the rules chain and the operations chain. A chain named nowhere
 * is not anchored, which `npm run audit -- verify` shows. Stores nothing (undefined) when no chain has
 * entries, or when every head is as this instance's last anchor recorded it: quiet hours add no anchors.
 *
 * Each chain on its own: a head that cannot be read, or is not an intact entry (an item written into the
 * table by hand, say, whose content does not match its hash), keeps that chain out of the anchor, never the others, and fails the run once the
 * others are stored, so the function's error alarm names it.
 */
export const makeAnchorAuditChains = (deps: AnchorAuditChainsDeps) => {
  let lastHeads: string | undefined;
  return async (chains: readonly string[]): Promise<AuditAnchor | undefined> => {
    const anchoredAt = deps.clock.now().toISOString();
    const heads: AuditAnchor['heads'] = [];
    const failed: string[] = [];
    await forEachLimited([...new Set(chains)], HEAD_READS, async (chain) => {
      try {
        const head = await deps.auditLog.headOf(chain);
        if (head === undefined) return;
        const parsed = ChainHeadSchema.safeParse(headOf(head));
        // Its own hash too: an item planted as the newest (`{ chain, seq, hash }`) is no entry to pin.
        const problem = parsed.success ? entryProblem(head) : undefined;
        if (parsed.success && parsed.data.chain === chain && problem === undefined) heads.push(parsed.data);
        else
          failed.push(
            `${chain}: its newest item is not an audit entry${problem === undefined ? '' : ` (${problem})`}`,
          );
      } catch (error) {
        failed.push(`${chain}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    heads.sort((a, b) => (a.chain < b.chain ? -1 : 1));
    const seen = JSON.stringify(heads);
    let anchor: AuditAnchor | undefined;
    if (heads.length > 0 && seen !== lastHeads) {
      anchor = { anchoredAt, heads };
      await deps.anchors.put(anchor);
      lastHeads = seen;
    }
    if (failed.length > 0)
      throw new DependencyError(`audit chains not anchored: ${failed.sort().join('; ')}`);
    return anchor;
  };
};
