import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliverySighting, WebhookDeliveryLog } from '../ports/webhook-delivery-log.js';
import { awsCall, conditional } from './aws-errors.js';

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * One item per partner and webhook id. DynamoDB TTL deletes old items in AWS; the write's condition
 * treats an item past `expiresAt` as absent, so expiry holds where TTL does not run (the embedded stack).
 */
export class DynamoDbWebhookDeliveryLog implements WebhookDeliveryLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async remember(delivery: {
    partnerId: string;
    webhookId: string;
    bodyHash: string;
    now: Date;
    keepUntil: Date;
  }): Promise<DeliverySighting> {
    const pk = `${delivery.partnerId}#${delivery.webhookId}`;
    const first = await conditional(() =>
      awsCall('remember webhook delivery', () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk, bodyHash: delivery.bodyHash, expiresAt: epochSeconds(delivery.keepUntil) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': epochSeconds(delivery.now) },
          }),
        ),
      ),
    );
    if (first) return 'first';
    const seen = await awsCall('read webhook delivery', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true })),
    );
    return seen.Item?.bodyHash === delivery.bodyHash ? 'same-body' : 'other-body';
  }
}
