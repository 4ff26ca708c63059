import { describe, expect, it } from 'vitest';
import { type AuditDraft, type AuditEntry, chainEntry } from '../../functions/core/audit/audit-chain.js';
import { entryLine, listingFooter } from '../../functions/tools/audit-show.js';

const draft = (overrides: Partial<AuditDraft> = {}): AuditDraft => ({
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
const entry = (overrides: Partial<AuditDraft> = {}): AuditEntry => chainEntry(draft(overrides), undefined);

/** What a terminal would act on, printed raw: C0 and C1 controls, line and bidirectional marks. */
const RAW = new RegExp(`[${['\\u0000-\\u001f', '\\u007f-\\u009f', '\\u2028\\u202e\\u2066'].join('')}]`);

// An intact entry holds what an actor wrote (a name, a note in a state): it is escaped as an altered
// entry is, or a name with a terminal escape would rewrite the listing an investigator reads.
describe('entryLine of an intact entry', () => {
  it.each<[string, Partial<AuditDraft>, string]>([
    ['an escape sequence in the actor name', { actorName: 'li\u001b[2Jna' }, '(li\\u{1b}[2Jna, officer)'],
    ['a new line in a state', { after: { notes: 'a\nb' } }, '{"notes":"a\\nb"}'],
    ['a right-to-left override in the target', { target: 'p#\u202eSWF' }, ' p#\\u{202e}SWF '],
  ])('escapes %s', (_name, overrides, escaped) => {
    // Act
    const line = entryLine({ entry: entry(overrides), problems: [] });

    // Assess
    expect(line.startsWith('ok ')).toBe(true);
    expect(line).not.toMatch(RAW);
    expect(line).toContain(escaped);
  });
});

describe('listingFooter when nothing matched', () => {
  it('says only how many entries were read, and calls none intact', () => {
    // Act
    const footer = listingFooter({ listed: [], read: 9, altered: 0 });

    // Assess
    expect(footer).toBe('audit show: 0 of 9 entries matched');
  });
});
