import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { recordExpiresAt } from '../core/retention.js';
import { ConflictError } from '../platform/errors.js';
import type { DecisionRecord, DecisionStore } from '../ports/decision-store.js';
import { awsCall } from './aws-errors.js';
import { decidedMonthOf } from './decided-month.js';
import { batchGetAll } from './dynamodb-batch.js';

const toRecord = (item: Record<string, unknown>): DecisionRecord => {
  const { pk: _pk, decidedMonth: _month, expiresAt: _expires, ...record } = item;
  return record as unknown as DecisionRecord;
};

export class DynamoDbDecisionStore implements DecisionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getMany(parcelKeys: string[]): Promise<Map<string, DecisionRecord>> {
    const items = await batchGetAll(
      this.db,
      this.tableName,
      parcelKeys.map((pk) => ({ pk })),
    );
    return new Map(items.map((item) => [item.pk as string, toRecord(item)]));
  }

  async createOrGet(record: DecisionRecord): Promise<DecisionRecord> {
    try {
      await awsCall('record decision', () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk: record.parcelKey,
              ...record,
              decidedMonth: decidedMonthOf(record.parcelKey, record.decidedAt),
              expiresAt: recordExpiresAt(record.decidedAt),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return record;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const stored = (await this.getMany([record.parcelKey])).get(record.parcelKey);
      if (!stored) throw error;
      return stored;
    }
  }

  async markEffectsDone(parcelKey: string, at: string): Promise<void> {
    await awsCall('mark decision effects done', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: parcelKey },
          UpdateExpression: 'SET effectsDoneAt = if_not_exists(effectsDoneAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
  }
}
