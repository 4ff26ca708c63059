import { describe, expect, it } from 'vitest';
import { PartnerItemSchema } from '../../functions/adapters/partner-item.js';
import { isLiveSecret } from '../../functions/core/webhooks/secret-validity.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const item = (secret: Record<string, unknown>) => ({
  partnerId: 'pearl-express',
  region: 'yunnan-guangxi',
  secrets: [secret],
});

describe('the partners table item', () => {
  it.each([
    ['a secret without end', { secret: SECRET }],
    [
      'a secret with an end in UTC, as rotation writes it',
      { secret: SECRET, notAfter: '2026-11-30T08:00:00.000Z' },
    ],
    ['an end without milliseconds', { secret: SECRET, notAfter: '2026-11-30T08:00:00Z' }],
  ])('reads %s', (_, secret) => {
    expect(PartnerItemSchema.safeParse(item(secret)).success).toBe(true);
  });

  it.each([
    ['an empty key, which would verify any signature', { secret: 'whsec_' }, /not a webhook secret/],
    ['a secret without whsec_', { secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, /not a webhook secret/],
    [
      'an end with an offset, which text order would misplace',
      { secret: SECRET, notAfter: '2026-11-29T15:00:00+08:00' },
      /notAfter/,
    ],
    ['an end that is no time', { secret: SECRET, notAfter: 'never' }, /notAfter/],
  ])('refuses %s, naming the field', (_, secret, field) => {
    // Act
    const result = PartnerItemSchema.safeParse(item(secret));
    // Assess
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).toMatch(field);
  });
});

describe('isLiveSecret', () => {
  it.each([
    ['2026-11-30T08:00:00Z', '2026-11-30T07:59:59.999Z', true],
    ['2026-11-30T08:00:00Z', '2026-11-30T08:00:00.000Z', false],
    ['2026-11-30T08:00:00Z', '2026-11-30T08:00:00.500Z', false],
  ])('a secret ending %s is live at %s: %s (compared as instants)', (notAfter, now, live) => {
    expect(isLiveSecret({ notAfter }, now)).toBe(live);
  });
});
