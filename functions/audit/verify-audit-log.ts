import { checkAgainstAnchors } from '../core/audit/audit-anchor.js';
import { type AuditEntry, type ChainVerdict, verifyChain } from '../core/audit/audit-chain.js';
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
  /** Entries the anchoring should have reached by now and has not: from `seq` on, the oldest made `at`. */
  unanchored?: { seq: number; at: string };
}

export interface AuditVerification {
  ok: boolean;
  chains: ChainReport[];
  /** Objects of the anchor store that are not sound anchors: each fails the verification. */
  anchorProblems: AnchorObjectProblem[];
  /** The first chain, in name order, with an entry that does not hold. */
  firstFailure?: { chain: string; seq: number; problem: string };
}

/**
 * How late anchoring may be: entries made before `now` minus `minutes` must be anchored. Beyond that,
 * the anchoring has stopped, and what it protects is no longer protected.
 */
export interface AnchoringDeadline {
  now: Date;
  minutes: number;
}

const failureOf = (verdict: ChainVerdict): ChainReport['failure'] =>
  verdict.ok ? undefined : { seq: verdict.seq, problem: verdict.problem };

/** The oldest entry after the anchored ones, when it is older than the deadline allows. */
const unanchoredOf = (
  entries: readonly AuditEntry[],
  anchoredSeq: number,
  deadline: AnchoringDeadline | undefined,
): ChainReport['unanchored'] => {
  if (deadline === undefined) return undefined;
  const cutoff = new Date(deadline.now.getTime() - deadline.minutes * 60_000).toISOString();
  let oldest: AuditEntry | undefined;
  for (const entry of entries)
    if (entry.seq > anchoredSeq && (oldest === undefined || entry.seq < oldest.seq)) oldest = entry;
  return oldest !== undefined && oldest.at < cutoff ? { seq: oldest.seq, at: oldest.at } : undefined;
};

/**
 * Recomputes every chain of the audit log from its first entry, and holds it to every anchor: an
 * anchored entry must still be there with the hash it had (core/audit/audit-anchor.ts). With a
 * deadline, entries older than it must be anchored too.
 */
export const makeVerifyAuditLog =
  (
    auditLog: Pick<AuditLog, 'readAll'>,
    auditAnchors: Pick<AuditAnchors, 'readAll'>,
    deadline?: AnchoringDeadline,
  ) =>
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
      const unanchored = unanchoredOf(entries, anchored?.seq ?? 0, deadline);
      return {
        chain,
        ok: failure === undefined && unanchored === undefined,
        entries: entries.length,
        ...(failure === undefined ? {} : { failure }),
        ...(anchored === undefined ? {} : { anchored }),
        ...(unanchored === undefined ? {} : { unanchored }),
      };
    });
    const failed = reports.find((report) => report.failure !== undefined);
    return {
      ok: problems.length === 0 && reports.every((report) => report.ok),
      chains: reports,
      anchorProblems: problems,
      ...(failed === undefined ? {} : { firstFailure: { chain: failed.chain, ...failed.failure! } }),
    };
  };
