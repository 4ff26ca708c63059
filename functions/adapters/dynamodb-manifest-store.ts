import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { manifestKey } from '../core/keys.js';
import { epochSecondsOf, expiredAt, recordExpiresAt } from '../core/retention.js';
import { ConflictError, DeliveryInProgressError } from '../platform/errors.js';
import type { ManifestRecord, ManifestStore } from '../ports/manifest-store.js';
import { awsCall, conditional } from './aws-errors.js';

/** The condition naming one version of a manifest id: its body and the time its record was created. */
const THIS_VERSION = 'bodyHash = :bodyHash AND receivedAt = :receivedAt';

export class DynamoDbManifestStore implements ManifestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * A record expired at this one's `receivedAt` (whether or not TTL has deleted it yet) is replaced as if
   * absent: the manifest id is free again. `<=` is false on a record without `expiresAt`, which stays.
   */
  async createOrGet(
    record: ManifestRecord,
  ): Promise<{ created: true } | { created: false; existing: ManifestRecord }> {
    // A record the put met can be gone before it is read (a refused version's tombstone, replaced by a
    // concurrent delivery): the id is then most likely free, so the put is tried once more.
    for (let attempt = 1; ; attempt++) {
      const stored = await this.tryCreate(record);
      if (stored !== 'vanished') return stored;
      if (attempt === 2)
        throw new DeliveryInProgressError(
          `another delivery of manifest ${record.manifestId} is being handled at this moment; send it again after retry-after`,
        );
    }
  }

  private async tryCreate(
    record: ManifestRecord,
  ): Promise<{ created: true } | { created: false; existing: ManifestRecord } | 'vanished'> {
    const pk = manifestKey(record.partnerId, record.manifestId);
    try {
      await awsCall('store manifest', () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk, ...record, expiresAt: recordExpiresAt(record.receivedAt) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
            ExpressionAttributeValues: { ':now': epochSecondsOf(record.receivedAt) },
          }),
        ),
      );
      return { created: true };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const existing = await this.get(record.partnerId, record.manifestId, record.receivedAt);
      return existing ? { created: false, existing } : 'vanished';
    }
  }

  async startHandOver(record: ManifestRecord): Promise<boolean> {
    return this.transition('start manifest hand-over', record, 'sending', ['received', 'sending']);
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

  async markRefused(record: ManifestRecord, refusedAt: string): Promise<boolean> {
    return this.transition('mark manifest refused', record, 'refused', ['received'], { refusedAt });
  }

  async forget(record: ManifestRecord): Promise<void> {
    await conditional(() =>
      awsCall('forget manifest', () =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: manifestKey(record.partnerId, record.manifestId) },
            ConditionExpression: `${THIS_VERSION} AND #status = :refused`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':bodyHash': record.bodyHash,
              ':receivedAt': record.receivedAt,
              ':refused': 'refused',
            },
          }),
        ),
      ),
    );
  }

  /** One status transition of this version of the record; false when its status is not one of `from`. */
  private transition(
    operation: string,
    record: ManifestRecord,
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
            Key: { pk: manifestKey(record.partnerId, record.manifestId) },
            UpdateExpression: `SET #status = :to${alsoSet.join('')}`,
            ConditionExpression: `${THIS_VERSION} AND #status IN (${Object.keys(fromValues).join(', ')})`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':to': to,
              ':bodyHash': record.bodyHash,
              ':receivedAt': record.receivedAt,
              ...fromValues,
              ...alsoValues,
            },
          }),
        ),
      ),
    );
  }

  async get(partnerId: string, manifestId: string, at?: string): Promise<ManifestRecord | undefined> {
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
    const { pk: _pk, expiresAt, ...record } = result.Item;
    if (at !== undefined && expiredAt(expiresAt, at)) return undefined;
    return record as ManifestRecord;
  }
}
