import { checkAgainstAnchors } from '../core/audit/audit-anchor.js';
import { type ChainBreak, verifyChain } from '../core/audit/audit-chain.js';
import type { AnchorObjectProblem, AuditAnchors } from '../ports/audit-anchors.js';
import type { AuditLog } from '../ports/audit-log.js';

/** One chain as verified: its entries, every break found in it, and how far it is anchored. */
export interface ChainReport {
  chain: string;
  ok: boolean;
  entries: number;
  /**
   * Every break of the chain itself and of its anchors, in chain order (the chain's own before an
   * anchor's at the same entry); absent when the chain holds. A chain is append-only and cannot be
   * repaired, so a break must not hide any tampering after it.
   */
  failures?: ChainBreak[];
  anchored?: { seq: number; anchoredAt: string };
}

export interface AuditVerification {
  ok: boolean;
  chains: ChainReport[];
  /** Objects of the anchor store that are not sound anchors: each fails the verification. */
  anchorProblems: AnchorObjectProblem[];
  /**
   * When the newest anchor was made: entries after it are not protected yet. Anchoring runs every 15
   * minutes, storing only when a head moved; an alarm fires when it stops running.
   */
  newestAnchorAt?: string;
  /** The first break of the first chain, in name order, that does not hold. */
  firstFailure?: { chain: string; seq: number; problem: string };
}

/**
 * Recomputes every chain of the audit log from its first entry, and holds it to every anchor: an
 * anchored entry must still be there with the hash it had (core/audit/audit-anchor.ts).
 */
export const makeVerifyAuditLog =
  (auditLog: Pick<AuditLog, 'readAll'>, auditAnchors: Pick<AuditAnchors, 'readAll'>) =>
  async (): Promise<AuditVerification> => {
    // Anchors first: one written while the log is read could name entries the read did not reach yet.
    const { anchors, problems } = await auditAnchors.readAll();
    const chains = await auditLog.readAll();
    const { breaks, coverage } = checkAgainstAnchors(chains, anchors);
    const anchorBreaks = Map.groupBy(breaks, (found) => found.chain);
    const names = [...new Set([...chains.keys(), ...coverage.keys()])].sort();
    const reports = names.map((chain): ChainReport => {
      const entries = chains.get(chain) ?? [];
      const verdict = verifyChain(chain, entries);
      // A stable sort: at the same entry, what the chain shows comes before what an anchor shows.
      const failures = [
        ...(verdict.ok ? [] : verdict.breaks),
        ...(anchorBreaks.get(chain) ?? []).map(({ seq, problem }) => ({ seq, problem })),
      ].sort((a, b) => a.seq - b.seq);
      const anchored = coverage.get(chain);
      return {
        chain,
        ok: failures.length === 0,
        entries: entries.length,
        ...(failures.length === 0 ? {} : { failures }),
        ...(anchored === undefined ? {} : { anchored }),
      };
    });
    const failed = reports.find((report) => report.failures !== undefined);
    const newestAnchorAt = anchors.reduce<string | undefined>(
      (newest, anchor) => (newest === undefined || anchor.anchoredAt > newest ? anchor.anchoredAt : newest),
      undefined,
    );
    return {
      ok: problems.length === 0 && reports.every((report) => report.ok),
      chains: reports,
      anchorProblems: problems,
      ...(newestAnchorAt === undefined ? {} : { newestAnchorAt }),
      ...(failed === undefined ? {} : { firstFailure: { chain: failed.chain, ...failed.failures![0]! } }),
    };
  };
