import { type AnchorCoverage, checkAgainstAnchors } from '../core/audit/audit-anchor.js';
import { type ChainVerdict, verifyChain } from '../core/audit/audit-chain.js';
import type { AuditAnchors, UnreadableAnchor } from '../ports/audit-anchors.js';
import type { AuditLog } from '../ports/audit-log.js';

/** One chain as verified: its entries, the first entry that does not hold, and how far it is anchored. */
export interface ChainReport {
  chain: string;
  ok: boolean;
  entries: number;
  /** The first entry that breaks the chain itself, or an anchor of it. */
  failure?: { seq: number; problem: string };
  anchored?: { seq: number; anchoredAt: string };
}

export interface AuditVerification {
  ok: boolean;
  chains: ChainReport[];
  /** Anchor objects that are not anchors: each fails the verification. */
  unreadableAnchors: UnreadableAnchor[];
  /** The first chain, in name order, with an entry that does not hold. */
  firstFailure?: { chain: string; seq: number; problem: string };
}

const failureOf = (verdict: ChainVerdict): ChainReport['failure'] =>
  verdict.ok ? undefined : { seq: verdict.seq, problem: verdict.problem };

/**
 * Recomputes every chain of the audit log from its first entry, and holds it to every anchor: an
 * anchored entry must still be there with the hash it had (core/audit/audit-anchor.ts).
 */
export const makeVerifyAuditLog =
  (auditLog: Pick<AuditLog, 'readAll'>, auditAnchors: Pick<AuditAnchors, 'readAll'>) =>
  async (): Promise<AuditVerification> => {
    // Anchors first: one written while the log is read could name entries the read did not reach yet.
    const { anchors, unreadable } = await auditAnchors.readAll();
    const chains = await auditLog.readAll();
    const { breaks, coverage } = checkAgainstAnchors(chains, anchors);
    const names = [...new Set([...chains.keys(), ...coverage.keys()])].sort();
    const reports = names.map((chain): ChainReport => {
      const entries = chains.get(chain) ?? [];
      const broken = breaks.find((candidate) => candidate.chain === chain);
      const failures = [
        failureOf(verifyChain(chain, entries)),
        broken && { seq: broken.seq, problem: broken.problem },
      ].filter((failure) => failure !== undefined);
      const failure = failures.sort((a, b) => a.seq - b.seq)[0];
      return {
        chain,
        ok: failure === undefined,
        entries: entries.length,
        ...(failure === undefined ? {} : { failure }),
        ...anchoredOf(coverage, chain),
      };
    });
    const failed = reports.find((report) => report.failure !== undefined);
    return {
      ok: unreadable.length === 0 && failed === undefined,
      chains: reports,
      unreadableAnchors: unreadable,
      ...(failed === undefined ? {} : { firstFailure: { chain: failed.chain, ...failed.failure! } }),
    };
  };

const anchoredOf = (coverage: AnchorCoverage, chain: string): Pick<ChainReport, 'anchored'> => {
  const anchored = coverage.get(chain);
  return anchored === undefined ? {} : { anchored };
};
