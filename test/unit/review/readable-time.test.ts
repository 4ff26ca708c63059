import { describe, expect, it } from 'vitest';
import { readableUtc } from '../../../functions/core/review/readable-time.js';

describe('readableUtc', () => {
  it.each([
    ['a whole minute', '2026-12-01T03:15:00.000Z', '03:15 UTC, 1 Dec 2026'],
    ['seconds, kept', '2026-12-01T03:15:42.250Z', '03:15:42 UTC, 1 Dec 2026'],
    ['milliseconds only, left out', '2026-12-01T03:15:00.999Z', '03:15 UTC, 1 Dec 2026'],
    ['midnight, a two-digit day', '2027-01-31T00:00:00Z', '00:00 UTC, 31 Jan 2027'],
    ['an instant with an offset, in UTC', '2026-12-01T08:05:09+08:00', '00:05:09 UTC, 1 Dec 2026'],
  ])('writes %s as an officer reads it', (_name, instant, text) => {
    // Act / Assess
    expect(readableUtc(instant)).toBe(text);
  });

  it('returns text that is no instant as it is', () => {
    // Act / Assess
    expect(readableUtc('soon')).toBe('soon');
  });
});
