import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalInstant, epochSecondsOf, expiredAt, recordExpiresAt } from '../core/retention.js';
import { upgradeFiredRules, upgradeRecordedFacts } from '../core/screening/recorded-facts.js';
import { ConflictError } from '../platform/errors.js';
import type {
  DecidedLane,
  DecidedLanes,
  DecisionRecord,
  DecisionStore,
  ScreeningOf,
} from '../ports/decision-store.js';
import { awsCall } from './aws-errors.js';
import { decidedMonthOf } from './decided-month.js';
import { batchGetAll } from './dynamodb-batch.js';

/** A stored decision as the code reads it: facts recorded under names since renamed read as they are now. */
const toRecord = (item: Record<string, unknown>): DecisionRecord => {
  const { pk: _pk, decidedMonth: _month, expiresAt: _expires, receivedAt: _received, ...stored } = item;
  const record = stored as unknown as DecisionRecord;
  return {
    ...record,
    ...(record.facts === undefined ? {} : { facts: upgradeRecordedFacts(record.facts) }),
    ...(record.firedRules === undefined ? {} : { firedRules: upgradeFiredRules(record.firedRules) }),
  };
};

/**
 * Whether a stored decision counts for a screening at `at` of the delivery of `manifestId` received at
 * `receivedAt` (ScreeningOf): the read twin of the condition createOrGet writes under. A decision stored
 * before decisions had `expiresAt` never expires; one stored before they recorded `receivedAt` belongs to
 * a delivery of its own manifest decided after that delivery was received (a manifest id reused once its
 * record expired is another delivery).
 */
const countsFor = (
  item: Record<string, unknown>,
  at: string,
  delivery: { manifestId: string; receivedAt: string } | undefined,
): boolean => {
  if (expiredAt(item.expiresAt, at)) return false;
  if (delivery === undefined) return true;
  const receivedAt = canonicalInstant(delivery.receivedAt);
  return typeof item.receivedAt === 'string'
    ? item.receivedAt >= receivedAt
    : item.manifestId === delivery.manifestId &&
        typeof item.decidedAt === 'string' &&
        item.decidedAt >= receivedAt;
};

/** What lanesOf reads of a decision: what it answers with, and what countsFor judges. */
const LANE_ATTRIBUTES = [
  'pk',
  'lane',
  'referralId',
  'manifestId',
  'receivedAt',
  'decidedAt',
  'expiresAt',
] as const;

export class DynamoDbDecisionStore implements DecisionStore, DecidedLanes {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async lanesOf(parcelKeys: string[], screening: ScreeningOf): Promise<Map<string, DecidedLane>> {
    const items = await this.stored(parcelKeys, screening, LANE_ATTRIBUTES);
    return new Map(
      items.map((item) => [
        item.pk as string,
        {
          lane: item.lane as DecidedLane['lane'],
          referralId: item.referralId as string,
          manifestId: item.manifestId as string,
        },
      ]),
    );
  }

  async getMany(parcelKeys: string[], screening?: ScreeningOf): Promise<Map<string, DecisionRecord>> {
    const items = await this.stored(parcelKeys, screening);
    return new Map(items.map((item) => [item.pk as string, toRecord(item)]));
  }

  /**
   * The stored decisions of these parcels (only `attributes` of each, when given); with `screening`,
   * only those that count for it.
   */
  private async stored(
    parcelKeys: string[],
    screening: ScreeningOf | undefined,
    attributes?: readonly string[],
  ): Promise<Record<string, unknown>[]> {
    const items = await batchGetAll(
      this.db,
      this.tableName,
      parcelKeys.map((pk) => ({ pk })),
      attributes,
    );
    return items.filter((item) => screening === undefined || countsFor(item, screening.at, screening));
  }

  /**
   * A decision stored under the parcel id is kept unless it no longer counts: expired at this decision's
   * time, or decided for a delivery received before this one (the id was free again: its parcel's
   * record had expired). Both are false for a decision without the attribute (`<=` and `<` on a missing
   * attribute): one stored before `expiresAt` existed is kept, and one stored before `receivedAt` existed
   * is kept for a delivery of its own manifest received before it was decided.
   */
  async createOrGet(record: DecisionRecord, receivedAt?: string): Promise<DecisionRecord> {
    const delivery =
      receivedAt === undefined
        ? undefined
        : { manifestId: record.manifestId, receivedAt: canonicalInstant(receivedAt) };
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
              ...(delivery === undefined ? {} : { receivedAt: delivery.receivedAt }),
            },
            ConditionExpression:
              delivery === undefined
                ? 'attribute_not_exists(pk) OR expiresAt <= :now'
                : 'attribute_not_exists(pk) OR expiresAt <= :now OR receivedAt < :receivedAt OR (attribute_not_exists(receivedAt) AND (manifestId <> :manifestId OR decidedAt < :receivedAt))',
            ExpressionAttributeValues: {
              ':now': epochSecondsOf(record.decidedAt),
              ...(delivery === undefined
                ? {}
                : { ':receivedAt': delivery.receivedAt, ':manifestId': delivery.manifestId }),
            },
          }),
        ),
      );
      return record;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const [stored] = (await batchGetAll(this.db, this.tableName, [{ pk: record.parcelKey }])).filter(
        (item) => countsFor(item, record.decidedAt, delivery),
      );
      if (!stored) throw error;
      return toRecord(stored);
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
