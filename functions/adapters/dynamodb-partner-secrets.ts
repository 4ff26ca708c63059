import { isDeepStrictEqual } from 'node:util';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../platform/errors.js';
import type { PartnerItem, PartnerRegistry } from '../ports/partner-registry.js';
import type { PartnerSecret, PartnerSecretStore, PartnerSecrets } from '../ports/partner-secrets.js';
import { awsCall, conditional } from './aws-errors.js';
import { PartnerItemSchema } from './partner-item.js';

const SecretsItemSchema = PartnerItemSchema.pick({ partnerId: true, secrets: true, secretsVersion: true });

/** A partner that is not in the table, as a read of its callback URL finds it. */
const NO_PARTNER = Symbol('no partner');

/** Reads and conditional writes a callback URL change tries while other writers change it. */
const CALLBACK_ATTEMPTS = 3;

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

  /**
   * Reads the URL it replaces, then writes on the condition that it is still that one, so the URL
   * returned is the one the write replaced: never the value a retried write of ours (its first answer
   * lost) finds in place. A write that finds another URL meanwhile reads again, a few times.
   */
  async setCallbackUrl(
    partnerId: string,
    callbackUrl: string | undefined,
  ): Promise<{ previous: string | undefined } | undefined> {
    for (let attempt = 1; attempt <= CALLBACK_ATTEMPTS; attempt += 1) {
      const previous = await this.callbackUrlOf(partnerId);
      if (previous === NO_PARTNER) return undefined;
      if (await this.setCallbackUrlIf(partnerId, previous, callbackUrl)) return { previous };
      // Our own write, its answer lost, or an identical one: the URL it replaced is the one read.
      const now = await this.callbackUrlOf(partnerId);
      if (now === NO_PARTNER) return undefined;
      if (now === callbackUrl) return { previous };
    }
    throw new ConflictError(
      `the callback URL of ${partnerId} kept changing under this write: nothing changed, run it again`,
    );
  }

  private async callbackUrlOf(partnerId: string): Promise<string | undefined | typeof NO_PARTNER> {
    const result = await awsCall('read partner callback URL', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { partnerId },
          ConsistentRead: true,
          ProjectionExpression: 'partnerId, callbackUrl',
        }),
      ),
    );
    if (!result.Item) return NO_PARTNER;
    const url: unknown = result.Item.callbackUrl;
    return typeof url === 'string' ? url : undefined;
  }

  /** Sets or removes the URL where the partner's is still `expected`; false when it is not (or no partner). */
  private setCallbackUrlIf(
    partnerId: string,
    expected: string | undefined,
    callbackUrl: string | undefined,
  ): Promise<boolean> {
    const unchanged =
      expected === undefined
        ? { condition: 'attribute_not_exists(callbackUrl)', values: {} }
        : { condition: 'callbackUrl = :expected', values: { ':expected': expected } };
    const values = { ...unchanged.values, ...(callbackUrl === undefined ? {} : { ':url': callbackUrl }) };
    return conditional(() =>
      awsCall('set partner callback URL', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { partnerId },
            UpdateExpression: callbackUrl === undefined ? 'REMOVE callbackUrl' : 'SET callbackUrl = :url',
            ConditionExpression: `attribute_exists(partnerId) AND ${unchanged.condition}`,
            ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
          }),
        ),
      ),
    );
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
