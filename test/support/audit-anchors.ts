import type { AuditAnchor } from '../../functions/core/audit/audit-anchor.js';
import type { AuditAnchors } from '../../functions/ports/audit-anchors.js';

/** Anchors in memory: for tests of the chains alone (none stored) or of the anchoring logic. */
export class InMemoryAuditAnchors implements AuditAnchors {
  readonly stored: AuditAnchor[] = [];

  async put(anchor: AuditAnchor): Promise<void> {
    this.stored.push(structuredClone(anchor));
  }

  async readAll() {
    return { anchors: structuredClone(this.stored), problems: [] };
  }
}
