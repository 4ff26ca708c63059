import type { AuditAnchor } from '../core/audit/audit-anchor.js';

/**
 * An object of the anchor store that is not one sound anchor: unreadable, replaced by a later version,
 * hidden by a delete marker, or stored under another time than it names. Nobody writes such an object
 * but someone tampering, so each fails a verification.
 */
export interface AnchorObjectProblem {
  key: string;
  problem: string;
}

/** Port: chain heads copied where the audit log's writers cannot change or delete them. */
export interface AuditAnchors {
  /** Stores one anchor; an anchor is never replaced. */
  put(anchor: AuditAnchor): Promise<void>;
  /** Every anchor ever stored, every version of it included, and every object that is not a sound anchor. */
  readAll(): Promise<{ anchors: AuditAnchor[]; problems: AnchorObjectProblem[] }>;
}
