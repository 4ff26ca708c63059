import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { isLiveSecret } from '../core/webhooks/secret-validity.js';
import type { Partner, PartnerDirectory } from '../ports/partner-directory.js';
import { awsCall } from './aws-errors.js';
import { PartnerItemSchema } from './partner-item.js';

/**
 * Partners and their signing secrets. The table is encrypted with a customer-managed KMS key in
 * AWS; a secret with `notAfter` in the past (the old key after a rotation's overlap) no longer verifies.
 */
export class DynamoDbPartnerDirectory implements PartnerDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date,
  ) {}

  async find(partnerId: string): Promise<Partner | undefined> {
    const result = await awsCall('read partner', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { partnerId } })),
    );
    if (!result.Item) return undefined;
    const item = PartnerItemSchema.parse(result.Item);
    const now = this.now().toISOString();
    return {
      partnerId: item.partnerId,
      region: item.region,
      secrets: item.secrets.filter((entry) => isLiveSecret(entry, now)).map((entry) => entry.secret),
      ...(item.callbackUrl ? { callbackUrl: item.callbackUrl } : {}),
    };
  }
}
