import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../functions/core/webhooks/standard-webhooks.js';
import { authenticatePartner } from '../../functions/platform/partner-auth.js';
import type { PartnerDirectory } from '../../functions/ports/partner-directory.js';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const OTHER = `whsec_${Buffer.from('fedcba9876543210fedcba9876543210').toString('base64')}`;
const NOW = 1_795_000_000;

// The log line tells an unknown partner from a bad signature; the answer does not
describe('authenticatePartner', () => {
  it('answers an unknown partner as a bad signature, and logs it as unknown-partner', async () => {
    // Prepare
    const headers = {
      id: 'msg_1',
      timestamp: String(NOW),
      signature: signWebhook(SECRET, 'msg_1', NOW, '{}'),
    };
    const request = { partnerId: 'pearl-express', headers, signed: '{}', payload: '<body>' };
    const directory = (secrets: string[] | undefined) =>
      ({
        find: async (partnerId: string) => (secrets ? { partnerId, region: 'guangxi', secrets } : undefined),
      }) as unknown as PartnerDirectory;

    // Act
    const unknown = await authenticatePartner(directory(undefined), request, NOW, 300).catch((e) => e);
    const wrong = await authenticatePartner(directory([OTHER]), request, NOW, 300).catch((e) => e);

    // Assess
    expect(unknown.message).toBe(wrong.message);
    expect(unknown.logReason).toBe('unknown-partner');
    expect(wrong.logReason).toBe('no-matching-signature');
  });

  it('accepts a signature over any one of the forms the request may be signed in, and no other', async () => {
    // Prepare
    const directory = {
      find: async (partnerId: string) => ({ partnerId, region: 'guangxi', secrets: [SECRET] }),
    } as unknown as PartnerDirectory;
    const signedOver = (payload: string, timestamp = NOW) => ({
      partnerId: 'pearl-express',
      headers: {
        id: 'msg_1',
        timestamp: String(timestamp),
        signature: signWebhook(SECRET, 'msg_1', timestamp, payload),
      },
      signed: ['GET /v1/manifests/PE:1', 'GET /v1/manifests/PE%3A1'] as const,
      payload: 'GET /v1/manifests/<manifestId>',
    });
    const outcome = (payload: string, timestamp?: number) =>
      authenticatePartner(directory, signedOver(payload, timestamp), NOW, 300).then(
        ({ partner }) => partner.partnerId,
        (error: { logReason: string }) => error.logReason,
      );

    // Act
    const results = await Promise.all([
      outcome('GET /v1/manifests/PE:1'),
      outcome('GET /v1/manifests/PE%3A1'),
      outcome('GET /v1/manifests/PE%3A2'),
      outcome('GET /v1/manifests/PE%3A1', NOW - 301),
    ]);

    // Assess: a stale request is stale whichever form it signs
    expect(results).toEqual(['pearl-express', 'pearl-express', 'no-matching-signature', 'stale']);
  });
});
