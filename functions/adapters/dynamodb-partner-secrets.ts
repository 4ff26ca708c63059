import { isDeepStrictEqual } from 'node:util';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../platform/errors.js';
import type { PartnerItem, PartnerRegistry } from '../ports/partner-registry.js';
import type { PartnerSecret, PartnerSecretStore, PartnerSecrets } from '../ports/partner-secrets.js';
import { awsCall, conditional } from './aws-errors.js';
import { PartnerItemSchema } from './partner-item.js';

const SecretsItemSchema = PartnerItemSchema.pick({ partnerId: true, secrets: true, secretsVersion: true });

/**
 * A partner's secrets in the partners table (the item DynamoDbPartnerDirectory reads), replaced with
 * optimistic locking on `secretsVersion` so two operators rotating at once cannot lose a secret. A new
 * partner's item is written only where none is, so adding never overwrites a partner's secrets.
 */
export class DynamoDbPartnerSecrets implements PartnerSecretStore, PartnerRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(partnerId: string): Promise<PartnerSecrets | undefined> {
    const result = await awsCall('read partner secrets', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { partnerId }, ConsistentRead: true })),
    );
    if (!result.Item) return undefined;
    const item = SecretsItemSchema.parse(result.Item);
    return { partnerId: item.partnerId, secrets: item.secrets, version: item.secretsVersion ?? 0 };
  }

  async add(item: PartnerItem): Promise<boolean> {
    const added = await conditional(() =>
      awsCall('add partner', () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(partnerId)',
          }),
        ),
      ),
    );
    // The SDK retries a write whose answer was lost: the retry then finds the partner this one stored.
    return added || (await this.holds(item.partnerId, item.secrets, 0));
  }

  async setCallbackUrl(
    partnerId: string,
    callbackUrl: string | undefined,
  ): Promise<{ previous: string | undefined } | undefined> {
    let previous: unknown;
    const set = await conditional(async () => {
      const output = await awsCall('set partner callback URL', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { partnerId },
            ...(callbackUrl === undefined
              ? { UpdateExpression: 'REMOVE callbackUrl' }
              : {
                  UpdateExpression: 'SET callbackUrl = :url',
                  ExpressionAttributeValues: { ':url': callbackUrl },
                }),
            ConditionExpression: 'attribute_exists(partnerId)',
            ReturnValues: 'UPDATED_OLD',
          }),
        ),
      );
      previous = output.Attributes?.callbackUrl;
    });
    return set ? { previous: typeof previous === 'string' ? previous : undefined } : undefined;
  }

  async replace(partnerId: string, secrets: PartnerSecret[], expectedVersion: number): Promise<void> {
    try {
      await this.replaceOnce(partnerId, secrets, expectedVersion);
    } catch (error) {
      // A retry of this very write, whose first answer was lost, fails its own condition.
      if (error instanceof ConflictError && (await this.holds(partnerId, secrets, expectedVersion + 1)))
        return;
      throw error;
    }
  }

  /**
   * Whether the stored secrets are exactly `secrets` at `version` (0: a partner never rotated): a
   * write of ours that took effect, since each carries a new random secret nobody else could write.
   */
  private async holds(partnerId: string, secrets: PartnerSecret[], version: number): Promise<boolean> {
    const stored = await this.read(partnerId);
    return (
      stored !== undefined &&
      stored.version === version &&
      isDeepStrictEqual(
        stored.secrets.map(({ secret, notAfter }) => ({ secret, notAfter })),
        secrets.map(({ secret, notAfter }) => ({ secret, notAfter })),
      )
    );
  }

  private async replaceOnce(partnerId: string, secrets: PartnerSecret[], expectedVersion: number) {
    await awsCall('replace partner secrets', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { partnerId },
          UpdateExpression: 'SET secrets = :secrets, secretsVersion = :next',
          ConditionExpression:
            expectedVersion === 0
              ? 'attribute_exists(partnerId) AND (attribute_not_exists(secretsVersion) OR secretsVersion = :expected)'
              : 'attribute_exists(partnerId) AND secretsVersion = :expected',
          ExpressionAttributeValues: {
            ':secrets': secrets,
            ':next': expectedVersion + 1,
            ':expected': expectedVersion,
          },
        }),
      ),
    );
  }
}
