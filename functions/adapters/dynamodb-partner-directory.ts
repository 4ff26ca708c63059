import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Partner, PartnerDirectory } from '../ports/partner-directory.js';
import { awsCall } from './aws-errors.js';

const PartnerItemSchema = z.object({
  partnerId: z.string(),
  region: z.string(),
  secrets: z.array(z.object({ secret: z.string(), notAfter: z.string().optional() })).min(1),
  callbackUrl: z.url().optional(),
});

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
      secrets: item.secrets
        .filter((entry) => !entry.notAfter || entry.notAfter > now)
        .map((entry) => entry.secret),
      ...(item.callbackUrl ? { callbackUrl: item.callbackUrl } : {}),
    };
  }
}
