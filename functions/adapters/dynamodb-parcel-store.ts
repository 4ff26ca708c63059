import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parcelKey } from '../core/keys.js';
import { epochSecondsOf, expiredAt, recordExpiresAt } from '../core/retention.js';
import { forEachLimited } from '../platform/concurrency.js';
import { ConflictError } from '../platform/errors.js';
import type { ManifestVersion } from '../ports/manifest-store.js';
import type { ParcelRecord, ParcelStore } from '../ports/parcel-store.js';
import { awsCall, conditional } from './aws-errors.js';
import { batchGetAll } from './dynamodb-batch.js';

const WRITE_CONCURRENCY = 16;

export class DynamoDbParcelStore implements ParcelStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One conditional put per parcel (a batch write cannot carry a condition): a parcel id another manifest
   * holds is never overwritten, even by a manifest delivered at the same moment, and is reported as a
   * ConflictError naming the ids. Rewriting a parcel of the same manifest (a replay) is harmless. A parcel
   * expired at this one's `receivedAt` holds its id no more (`<=` is false on a parcel without
   * `expiresAt`, which holds it for ever).
   */
  async putAll(records: ParcelRecord[]): Promise<void> {
    const taken: string[] = [];
    await forEachLimited(records, WRITE_CONCURRENCY, async (record) => {
      const stored = await conditional(() =>
        awsCall('put parcel', () =>
          this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item: {
                pk: parcelKey(record.partnerId, record.parcel.parcelId),
                parcelId: record.parcel.parcelId,
                ...record,
                expiresAt: recordExpiresAt(record.receivedAt),
              },
              ConditionExpression:
                'attribute_not_exists(pk) OR manifestId = :manifestId OR expiresAt <= :now',
              ExpressionAttributeValues: {
                ':manifestId': record.manifestId,
                ':now': epochSecondsOf(record.receivedAt),
              },
            }),
          ),
        ),
      );
      if (!stored) taken.push(record.parcel.parcelId);
    });
    if (taken.length > 0) {
      throw new ConflictError(
        `${taken.length} parcel id(s) were delivered in another manifest at the same time; a parcel id names one parcel, so send new parcels under new ids`,
        { details: { reusedParcels: taken.sort().map((parcelId) => ({ parcelId })) } },
      );
    }
  }

  async removeAll(version: ManifestVersion, parcelIds: string[]): Promise<void> {
    await forEachLimited(parcelIds, WRITE_CONCURRENCY, async (parcelId) => {
      await conditional(() =>
        awsCall('remove parcel', () =>
          this.db.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: { pk: parcelKey(version.partnerId, parcelId) },
              ConditionExpression: 'manifestId = :manifestId AND receivedAt = :receivedAt',
              ExpressionAttributeValues: {
                ':manifestId': version.manifestId,
                ':receivedAt': version.receivedAt,
              },
            }),
          ),
        ),
      );
    });
  }

  async manifestsOf(partnerId: string, parcelIds: string[], at: string): Promise<Map<string, string>> {
    const keys = [...new Set(parcelIds)].map((parcelId) => ({ pk: parcelKey(partnerId, parcelId) }));
    const items = await batchGetAll(this.db, this.tableName, keys);
    return new Map(
      items
        .filter((item) => !expiredAt(item.expiresAt, at))
        .map((item) => [String(item.parcelId), String(item.manifestId)]),
    );
  }
}
