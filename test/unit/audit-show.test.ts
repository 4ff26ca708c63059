import { describe, expect, it } from 'vitest';
import type { AuditDraft, AuditEntry } from '../../functions/core/audit/audit-chain.js';
import {
  entryJsonLine,
  entryLine,
  listingFooter,
  parseShowCommand,
} from '../../functions/tools/audit-show.js';
import { auditEntry } from '../support/audit-entries.js';

/** What a terminal would act on, printed raw: C0 and C1 controls, line and bidirectional marks. */
const RAW = new RegExp(`[${['\\u0000-\\u001f', '\\u007f-\\u009f', '\\u2028\\u202e\\u2066'].join('')}]`);

describe('parseShowCommand', () => {
  it('reads every filter and --json', () => {
    // Act
    const command = parseShowCommand([
      '--chain',
      'wuzhou-customs',
      '--parcel=SWF7781000123',
      '--actor',
      'sub-wuzhou',
      '--since',
      '2026-11-29T00:00:00Z',
      '--until',
      '2026-11-30',
      '--json',
    ]);
    // Assess
    expect(command).toEqual({
      filter: {
        chain: 'wuzhou-customs',
        parcel: 'SWF7781000123',
        actor: 'sub-wuzhou',
        since: Date.parse('2026-11-29T00:00:00Z'),
        until: Date.parse('2026-12-01T00:00:00Z'),
      },
      json: true,
    });
  });

  it.each([
    [['--since', 'last-week'], /^--since last-week is not an instant/],
    [['--until', '2026-11-29 10:00'], /^--until 2026-11-29 10:00 is not an instant/],
    [['--parcel', 'A', '--parcel', 'B'], /^--parcel is given 2 times: give it once$/],
    [['--office', 'nanning'], /'--office'/],
    [['SWF7781000123'], /'SWF7781000123'/],
    [['--actor'], /'--actor <value>' argument missing/],
  ])('refuses %j, naming the argument', (args, problem) => {
    // Act
    const command = parseShowCommand(args);
    // Assess
    expect(command).toBeInstanceOf(Error);
    expect((command as Error).message).toMatch(problem);
  });
});

describe('entryLine', () => {
  it('shows seq, time, chain, actor (name, role), action, target, before → after and the request id', () => {
    // Act
    const line = entryLine({ entry: auditEntry(), problems: [] });
    // Assess
    expect(line).toBe(
      'ok       #1 2026-11-29T10:00:00.000Z wuzhou-customs sub-wuzhou (wuzhou, officer) claim southwest-freight#SWF7781000123 {"status":"open"} → {"status":"claimed"} request req-1',
    );
  });

  it('marks an altered entry, with what its chain shows at it', () => {
    // Act
    const line = entryLine({ entry: auditEntry(), problems: ['one', 'two'] });
    // Assess
    expect(line).toMatch(
      /^ALTERED {2}#1 2026-11-29T10:00:00\.000Z wuzhou-customs .* request req-1 \(one; two\)$/,
    );
  });

  it.each([
    ['an escape sequence in the actor name', { actorName: '\r\u001b[2Kok' }, '(\\u{d}\\u{1b}[2Kok, officer)'],
    ['a right-to-left override in the target', { target: 'p#\u202eSWF' }, ' p#\\u{202e}SWF '],
    ['a line separator in a state', { after: { notes: 'a\u2028b\nc' } }, '{"notes":"a\\u{2028}b\\nc"}'],
    ['a C1 control character in a state', { before: { x: '\u0085' } }, '{"x":"\\u{85}"}'],
  ])('escapes %s as verify does, so stored text cannot rewrite the terminal', (_, overrides, escaped) => {
    // Act
    const line = entryLine({ entry: auditEntry(overrides), problems: ['problem \u001b[8m'] });
    // Assess
    expect(line).not.toMatch(RAW);
    expect(line).toContain(escaped);
    expect(line).toContain('(problem \\u{1b}[8m)');
  });

  // An intact entry holds what an actor wrote (a name, a note in a state): it is escaped as an altered
  // entry is, or a name with a terminal escape would rewrite the listing an investigator reads.
  it.each<[string, Partial<AuditDraft>, string]>([
    ['an escape sequence in the actor name', { actorName: 'li\u001b[2Jna' }, '(li\\u{1b}[2Jna, officer)'],
    ['a new line in a state', { after: { notes: 'a\nb' } }, '{"notes":"a\\nb"}'],
    ['a right-to-left override in the target', { target: 'p#\u202eSWF' }, ' p#\\u{202e}SWF '],
  ])('escapes %s in an intact entry too', (_name, overrides, escaped) => {
    // Act
    const line = entryLine({ entry: auditEntry(overrides), problems: [] });

    // Assess
    expect(line.startsWith('ok ')).toBe(true);
    expect(line).not.toMatch(RAW);
    expect(line).toContain(escaped);
  });

  it('shows an altered entry whose fields are no text without failing', () => {
    // Prepare
    const odd = {
      ...auditEntry(),
      seq: { storedNumber: '1e400' },
      actor: 7,
      before: undefined,
    } as unknown as AuditEntry;
    // Act
    const line = entryLine({ entry: odd, problems: ['altered'] });
    // Assess
    expect(line).toMatch(
      /^ALTERED {2}#\{"storedNumber":"1e400"\} \S+ wuzhou-customs 7 \(wuzhou, officer\) .* - → /,
    );
  });
});

describe('entryJsonLine', () => {
  it('is the entry as stored with altered: false, on one line that parses back', () => {
    // Prepare
    const stored = auditEntry({ after: { notes: 'line\nbreak' } });
    // Act
    const line = entryJsonLine({ entry: stored, problems: [] });
    // Assess
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ ...stored, altered: false });
  });

  it('says an entry is altered and why, whatever field the entry carries', () => {
    // Prepare: a planted field claiming the entry intact
    const planted = { ...auditEntry(), altered: false } as AuditEntry;
    // Act
    const parsed = JSON.parse(entryJsonLine({ entry: planted, problems: ['uncovered field'] }));
    // Assess
    expect(parsed).toMatchObject({ altered: true, problems: ['uncovered field'] });
  });

  it('escapes bidirectional and C1 characters as JSON escapes, and keeps the value', () => {
    // Prepare
    const stored = auditEntry({ target: 'p#\u202eSWF\u0085\u2066' });
    // Act
    const line = entryJsonLine({ entry: stored, problems: [] });
    // Assess
    expect(line).not.toMatch(RAW);
    expect(line).toContain('p#\\u202eSWF\\u0085\\u2066');
    expect(JSON.parse(line).target).toBe(stored.target);
  });
});

describe('listingFooter', () => {
  const listed = (problems: string[]) => ({ entry: auditEntry(), problems });

  it.each([
    // Nothing matched: how many entries were read, none called intact, and why a filter may match nothing.
    [
      { listed: [], read: 9, altered: 0, unlistedBreaks: [] },
      /^audit show: 0 of 9 entries matched \(filters match exactly, case included: a chain is an office id such as wuzhou-customs, rules or operations; .* an actor a staff id or user name; a day is a UTC day, so give an offset for a local one: --since 2026-11-30T00:00:00\+08:00\)$/,
    ],
    [
      { listed: [listed([]), listed([])], read: 9, altered: 0, unlistedBreaks: [] },
      /^audit show: 2 of 9 entries matched, each intact in its chain/,
    ],
    [
      { listed: [listed([]), listed(['x'])], read: 9, altered: 1, unlistedBreaks: [] },
      /^audit show FAILED: 2 of 9 entries matched, 1 ALTERED/,
    ],
    // Every listed entry intact, but the log breaks where the filters did not look: no pass.
    [
      { listed: [listed([])], read: 9, altered: 0, unlistedBreaks: [{ chain: 'wuzhou-customs', seq: 2 }] },
      /^audit show FAILED: 1 of 9 entries matched, 0 ALTERED; the log also breaks at 1 entry the filters left out \(wuzhou-customs #2\), so what is listed may not be all there was/,
    ],
  ])('counts the entries matched, and the altered: %j', (listing, footer) => {
    // Act
    const text = listingFooter(listing);
    // Assess
    expect(text).toMatch(footer);
  });
});
