import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../functions/platform/errors.js';
import { countPartnerRequest } from '../../functions/platform/partner-rate.js';
import type { RateDecision, RateLimiter } from '../../functions/ports/rate-limiter.js';

const NOW = new Date('2026-11-29T08:00:43.000Z');
const REQUESTS = { name: 'requests-per-minute', counted: 'manifest posts' } as const;

const limiterAnswering = (decision: RateDecision): RateLimiter => ({ consume: async () => decision });

describe('countPartnerRequest', () => {
  it('lets a request within the limit through', async () => {
    // Act
    const counted = countPartnerRequest(limiterAnswering({ allowed: true }), 'pearl-express', NOW, REQUESTS);

    // Assess
    await expect(counted).resolves.toBeUndefined();
  });

  it('refuses a request over the limit with the wait the limiter names, the limit and what it counts', async () => {
    // Prepare
    const limiter = limiterAnswering({ allowed: false, limit: 1000, retryAfterSeconds: 17 });

    // Act
    const counted = countPartnerRequest(limiter, 'pearl-express', NOW, REQUESTS);

    // Assess
    const error = await counted.then(
      () => undefined,
      (refusal: unknown) => refusal,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'partner pearl-express is over 1000 manifest posts a minute',
      retryAfterSeconds: 17,
      details: { limit: 'requests-per-minute', max: 1000, retryAfterSeconds: 17 },
    });
  });
});
