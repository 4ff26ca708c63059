import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision, RateLimiter } from '../ports/rate-limiter.js';
import { awsCall, conditional } from './aws-errors.js';

/**
 * A fixed-window counter per partner: one conditional ADD per request on the item of the current
 * window, refused once the window's count reaches the limit. Exact under concurrency (single-item
 * condition), no transaction, and old windows expire by TTL in AWS (they are never read again).
 */
export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly limit: number,
    private readonly windowSeconds = 60,
  ) {}

  async consume(partnerId: string, now: Date): Promise<RateDecision> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % this.windowSeconds);
    const counted = await conditional(() =>
      awsCall('count partner request', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: `${partnerId}#${windowStart}` },
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
