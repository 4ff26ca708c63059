import type { RateLimiter } from '../ports/rate-limiter.js';
import { RateLimitedError } from './errors.js';

/** A per-partner limit as a 429 names it: `limit` in the problem, and what is counted, in its detail. */
export interface PartnerLimit {
  name: 'requests-per-minute' | 'status-reads-per-minute';
  counted: string;
}

/** Counts one request of the partner; over its limit, a 429 naming the limit and when to come back. */
export const countPartnerRequest = async (
  limiter: RateLimiter,
  partnerId: string,
  now: Date,
  limit: PartnerLimit,
): Promise<void> => {
  const rate = await limiter.consume(partnerId, now);
  if (rate.allowed) return;
  throw new RateLimitedError(`partner ${partnerId} is over ${rate.limit} ${limit.counted} a minute`, {
    limit: limit.name,
    max: rate.limit,
    retryAfterSeconds: rate.retryAfterSeconds,
  });
};
