import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../infra/definitions.js';
import { manifestKey, parcelKey } from '../core/keys.js';
import type { ParcelRecord, ParcelStore } from '../ports/parcel-store.js';
import { awsCall } from './aws-errors.js';
import { batchGetAll, batchPutAll } from './dynamodb-batch.js';

export class DynamoDbParcelStore implements ParcelStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  putAll(records: ParcelRecord[]): Promise<void> {
    // A parcel's item is written whole and only from its manifest, so rewriting it on a replay is harmless.
    return batchPutAll(
      this.db,
      this.tableName,
      records.map((record) => ({
        pk: parcelKey(record.partnerId, record.parcel.parcelId),
        manifestPk: manifestKey(record.partnerId, record.manifestId),
        parcelId: record.parcel.parcelId,
        ...record,
      })),
    );
  }

  async manifestsOf(partnerId: string, parcelIds: string[]): Promise<Map<string, string>> {
    const keys = [...new Set(parcelIds)].map((parcelId) => ({ pk: parcelKey(partnerId, parcelId) }));
    const items = await batchGetAll(this.db, this.tableName, keys);
    return new Map(items.map((item) => [String(item.parcelId), String(item.manifestId)]));
  }

  async listByManifest(partnerId: string, manifestId: string): Promise<ParcelRecord[]> {
    const records: ParcelRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await awsCall('query parcels by manifest', () =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: TABLES.parcels.indexes[0].indexName,
            KeyConditionExpression: 'manifestPk = :m',
            ExpressionAttributeValues: { ':m': manifestKey(partnerId, manifestId) },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const { pk: _pk, manifestPk: _m, parcelId: _p, ...record } = item;
        records.push(record as ParcelRecord);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }
}
