export type RateDecision = { allowed: true } | { allowed: false; limit: number; retryAfterSeconds: number };

/** Port: how many requests a partner may make per window. */
export interface RateLimiter {
  consume(partnerId: string, now: Date): Promise<RateDecision>;
}
