import type { AuditDraft, AuditEntry } from '../core/audit/audit-chain.js';

/** Port: the append-only audit log, one hash chain per inspection office. */
export interface AuditLog {
  /**
   * Appends the action at the end of its chain, unless an entry with its actionId is already there;
   * returns the stored entry either way. Concurrent appends to one chain are serialized.
   */
  appendOnce(draft: AuditDraft): Promise<AuditEntry>;
  /** Every chain with every entry, for verification. */
  readAll(): Promise<Map<string, AuditEntry[]>>;
}

/** Port: where each chain of the audit log ends, for anchoring. */
export interface AuditChainHeads {
  /** The newest entry of a chain (read consistently), if it has any. */
  headOf(chain: string): Promise<AuditEntry | undefined>;
}
