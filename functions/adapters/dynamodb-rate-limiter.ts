import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision, RateLimiter } from '../ports/rate-limiter.js';
import { awsCall, conditional } from './aws-errors.js';

/** What a limiter counts: each has its own windows in the table. */
export type RateCounter = 'manifest-posts' | 'status-reads';

/**
 * A fixed-window counter per partner and kind of request: one conditional ADD per request on the item
 * of the current window, refused once the window's count reaches the limit. Exact under concurrency
 * (single-item condition), no transaction, and old windows expire by TTL in AWS (they are never read
 * again). A partner id has no `#`, so the counters' keys never meet.
 */
export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly counter: RateCounter,
    private readonly limit: number,
    private readonly windowSeconds = 60,
  ) {}

  async consume(partnerId: string, now: Date): Promise<RateDecision> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % this.windowSeconds);
    const counted = await conditional(() =>
      awsCall(`count partner ${this.counter}`, () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: `${partnerId}#${this.counter}#${windowStart}` },
            UpdateExpression: 'ADD requests :one SET expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': this.limit,
              ':expires': windowStart + 2 * this.windowSeconds,
            },
          }),
        ),
      ),
    );
    if (counted) return { allowed: true };
    return {
      allowed: false,
      limit: this.limit,
      retryAfterSeconds: windowStart + this.windowSeconds - nowSeconds,
    };
  }
}
