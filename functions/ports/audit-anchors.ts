import type { AuditAnchor } from '../core/audit/audit-anchor.js';

/** An anchor object that could not be read as an anchor: named, never skipped in silence. */
export interface UnreadableAnchor {
  key: string;
  reason: string;
}

/** Port: chain heads copied where the audit log's writers cannot change or delete them. */
export interface AuditAnchors {
  /** Stores one anchor; an anchor is never replaced. */
  put(anchor: AuditAnchor): Promise<void>;
  /** Every anchor ever stored, and any stored object that is not one. */
  readAll(): Promise<{ anchors: AuditAnchor[]; unreadable: UnreadableAnchor[] }>;
}
