import { describe, expect, it } from 'vitest';
import { retryAfterSeconds } from '../../functions/core/webhooks/retry-after.js';

const NOW = new Date('2026-11-29T08:00:00.000Z');

describe('Retry-After', () => {
  it.each([
    ['delta-seconds', '120', 120],
    ['zero', '0', 0],
    ['an HTTP date 90 s on', 'Sun, 29 Nov 2026 08:01:30 GMT', 90],
    ['an HTTP date in the past', 'Sun, 29 Nov 2026 07:00:00 GMT', 0],
    ['a fraction of a second on, rounded up', 'Sun, 29 Nov 2026 08:00:01 GMT', 1],
    ['negative seconds', '-5', undefined],
    ['a decimal', '1.5', undefined],
    ['a date in another form', '2026-11-29T08:01:30Z', undefined],
    ['nothing', undefined, undefined],
    ['blank', '  ', undefined],
  ])('reads %s', (_name, value, seconds) => {
    expect(retryAfterSeconds(value, NOW)).toBe(seconds);
  });
});
