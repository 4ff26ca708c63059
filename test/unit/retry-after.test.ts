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
    ['an RFC 850 date an hour on', 'Sunday, 29-Nov-26 09:00:00 GMT', 3600],
    ['an asctime date an hour on', 'Sun Nov 29 09:00:00 2026', 3600],
    ['an asctime date with a one-digit day', 'Tue Dec  1 08:00:00 2026', 172_800],
    // Two digits more than 50 years ahead are the century before: 77 is 1977, long past; 75 is 2075.
    ['an RFC 850 date whose year reads as the past century', 'Sunday, 29-Nov-77 09:00:00 GMT', 0],
    ['an RFC 850 date late in 2076, more than 50 years ahead', 'Thursday, 31-Dec-76 23:00:00 GMT', 0],
    [
      'an RFC 850 date 49 years on',
      'Sunday, 29-Nov-75 08:00:00 GMT',
      (Date.UTC(2075, 10, 29, 8) - NOW.getTime()) / 1000,
    ],
    ['a day that does not exist', 'Tue, 31 Feb 2026 08:00:00 GMT', undefined],
    ['an hour past 23', 'Sun, 29 Nov 2026 24:00:00 GMT', undefined],
    ['a minute past 59', 'Sun, 29 Nov 2026 08:60:00 GMT', undefined],
    ['an RFC 850 date with a short day name', 'Sun, 29-Nov-26 09:00:00 GMT', undefined],
    ['a date not in GMT', 'Sun, 29 Nov 2026 09:00:00 +0100', undefined],
    ['negative seconds', '-5', undefined],
    ['a decimal', '1.5', undefined],
    ['a date in another form', '2026-11-29T08:01:30Z', undefined],
    ['nothing', undefined, undefined],
    ['blank', '  ', undefined],
  ])('reads %s', (_name, value, seconds) => {
    expect(retryAfterSeconds(value, NOW)).toBe(seconds);
  });
});
