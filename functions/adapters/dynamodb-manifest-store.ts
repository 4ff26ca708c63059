import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { manifestKey } from '../core/keys.js';
import { ConflictError } from '../platform/errors.js';
import type { ManifestRecord, ManifestStore } from '../ports/manifest-store.js';
import { awsCall, conditional } from './aws-errors.js';

export class DynamoDbManifestStore implements ManifestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createOrGet(
    record: ManifestRecord,
  ): Promise<{ created: true } | { created: false; existing: ManifestRecord }> {
    const pk = manifestKey(record.partnerId, record.manifestId);
    try {
      await awsCall('store manifest', () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk, ...record },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return { created: true };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const existing = await this.get(record.partnerId, record.manifestId);
      if (!existing) throw error;
      return { created: false, existing };
    }
  }

  async startHandOver(partnerId: string, manifestId: string, bodyHash: string): Promise<boolean> {
    return this.setStatus('start manifest hand-over', partnerId, manifestId, bodyHash, 'sending', [
      'received',
      'sending',
    ]);
  }

  async markQueued(partnerId: string, manifestId: string): Promise<void> {
    await awsCall('mark manifest queued', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: manifestKey(partnerId, manifestId) },
          UpdateExpression: 'SET #status = :queued',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':queued': 'queued' },
        }),
      ),
    );
  }

  async markRefused(
    partnerId: string,
    manifestId: string,
    bodyHash: string,
    refusedAt: string,
  ): Promise<boolean> {
    return this.setStatus('mark manifest refused', partnerId, manifestId, bodyHash, 'refused', ['received'], {
      refusedAt,
    });
  }

  async forget(partnerId: string, manifestId: string, bodyHash: string): Promise<void> {
    await conditional(() =>
      awsCall('forget manifest', () =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: manifestKey(partnerId, manifestId) },
            ConditionExpression: 'bodyHash = :bodyHash AND #status = :refused',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':bodyHash': bodyHash, ':refused': 'refused' },
          }),
        ),
      ),
    );
  }

  /** One status transition of the version with this body hash; false when its status is not one of `from`. */
  private setStatus(
    operation: string,
    partnerId: string,
    manifestId: string,
    bodyHash: string,
    to: ManifestRecord['status'],
    from: readonly ManifestRecord['status'][],
    also: { refusedAt?: string } = {},
  ): Promise<boolean> {
    const fromValues = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
    const alsoSet = Object.keys(also).map((name) => `, ${name} = :${name}`);
    const alsoValues = Object.fromEntries(Object.entries(also).map(([name, value]) => [`:${name}`, value]));
    return conditional(() =>
      awsCall(operation, () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: manifestKey(partnerId, manifestId) },
            UpdateExpression: `SET #status = :to${alsoSet.join('')}`,
            ConditionExpression: `bodyHash = :bodyHash AND #status IN (${Object.keys(fromValues).join(', ')})`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':to': to, ':bodyHash': bodyHash, ...fromValues, ...alsoValues },
          }),
        ),
      ),
    );
  }

  async get(partnerId: string, manifestId: string): Promise<ManifestRecord | undefined> {
    const result = await awsCall('read manifest', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: manifestKey(partnerId, manifestId) },
          ConsistentRead: true,
        }),
      ),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, ...record } = result.Item;
    return record as ManifestRecord;
  }
}
