import { type AuditAnchor, headOf } from '../core/audit/audit-anchor.js';
import { forEachLimited } from '../platform/concurrency.js';
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
 * by scanning a log that only grows: every inspection office and the rules chain. A chain named nowhere
 * is not anchored, which `npm run audit -- verify` shows. Stores nothing (undefined) when no chain has
 * entries, or when every head is as this instance's last anchor recorded it: quiet hours add no anchors.
 */
export const makeAnchorAuditChains = (deps: AnchorAuditChainsDeps) => {
  let lastHeads: string | undefined;
  return async (chains: readonly string[]): Promise<AuditAnchor | undefined> => {
    const anchoredAt = deps.clock.now().toISOString();
    const heads: AuditAnchor['heads'] = [];
    await forEachLimited([...new Set(chains)], HEAD_READS, async (chain) => {
      const head = await deps.auditLog.headOf(chain);
      if (head !== undefined) heads.push(headOf(head));
    });
    heads.sort((a, b) => (a.chain < b.chain ? -1 : 1));
    const unchanged = JSON.stringify(heads) === lastHeads;
    if (heads.length === 0 || unchanged) return undefined;
    const anchor = { anchoredAt, heads };
    await deps.anchors.put(anchor);
    lastHeads = JSON.stringify(heads);
    return anchor;
  };
};
