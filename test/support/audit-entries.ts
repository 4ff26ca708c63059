import { type AuditDraft, type AuditEntry, chainEntry } from '../../functions/core/audit/audit-chain.js';

/** The Wuzhou officer's claim of a Southwest Freight parcel, as the review API drafts it; overrides win. */
export const auditDraft = (overrides: Partial<AuditDraft> = {}): AuditDraft => ({
  chain: 'wuzhou-customs',
  actionId: 'claim:southwest-freight#SWF7781000123:v1',
  actor: 'sub-wuzhou',
  actorName: 'wuzhou',
  role: 'officer',
  at: '2026-11-29T10:00:00.000Z',
  action: 'claim',
  target: 'southwest-freight#SWF7781000123',
  before: { status: 'open' },
  after: { status: 'claimed' },
  requestId: 'req-1',
  ...overrides,
});

/** The draft as the first entry of its chain, hashed. */
export const auditEntry = (overrides: Partial<AuditDraft> = {}): AuditEntry =>
  chainEntry(auditDraft(overrides), undefined);
