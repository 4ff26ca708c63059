import { type ChainVerdict, verifyChain } from '../core/audit/audit-chain.js';
import type { AuditLog } from '../ports/audit-log.js';

export interface AuditVerification {
  ok: boolean;
  chains: ChainVerdict[];
  /** The first entry that does not hold, in chain order, if any. */
  firstFailure?: Extract<ChainVerdict, { ok: false }>;
}

/** Recomputes every chain of the audit log from its first entry. */
export const makeVerifyAuditLog = (auditLog: AuditLog) => async (): Promise<AuditVerification> => {
  const chains = [...(await auditLog.readAll()).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([chain, entries]) => verifyChain(chain, entries));
  const firstFailure = chains.find((verdict): verdict is Extract<ChainVerdict, { ok: false }> => !verdict.ok);
  return { ok: firstFailure === undefined, chains, ...(firstFailure ? { firstFailure } : {}) };
};
