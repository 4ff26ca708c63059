import { checkAgainstAnchors } from '../core/audit/audit-anchor.js';
import { type ChainVerdict, verifyChain } from '../core/audit/audit-chain.js';
import type { AnchorObjectProblem, AuditAnchors } from '../ports/audit-anchors.js';
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
  /** Objects of the anchor store that are not sound anchors: each fails the verification. */
  anchorProblems: AnchorObjectProblem[];
  /**
   * When the newest anchor was made: entries after it are not protected yet. Anchoring runs every 15
   * minutes, storing only when a head moved; an alarm fires when it stops running.
   */
  newestAnchorAt?: string;
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
    const { anchors, problems } = await auditAnchors.readAll();
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
      const anchored = coverage.get(chain);
      return {
        chain,
        ok: failure === undefined,
        entries: entries.length,
        ...(failure === undefined ? {} : { failure }),
        ...(anchored === undefined ? {} : { anchored }),
      };
    });
    const failed = reports.find((report) => report.failure !== undefined);
    const newestAnchorAt = anchors.reduce<string | undefined>(
      (newest, anchor) => (newest === undefined || anchor.anchoredAt > newest ? anchor.anchoredAt : newest),
      undefined,
    );
    return {
      ok: problems.length === 0 && reports.every((report) => report.ok),
      chains: reports,
      anchorProblems: problems,
      ...(newestAnchorAt === undefined ? {} : { newestAnchorAt }),
      ...(failed === undefined ? {} : { firstFailure: { chain: failed.chain, ...failed.failure! } }),
    };
  };
