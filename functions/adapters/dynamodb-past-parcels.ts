import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PastParcel } from '../core/backtest/backtest.js';
import type { DecisionRecord } from '../ports/decision-store.js';
import type { PastParcels } from '../ports/past-parcels.js';
import type { ReviewItem } from '../ports/review-queue.js';
import { batchGetAll, scanAll } from './dynamodb-batch.js';

/**
 * Past parcels for backtests: the decisions table (one item per parcel, with its fact snapshot), joined
 * with the outcomes of the flagged ones from the review queue. A scan, for an analyst's tool, not a
 * function's hot path: a backtest reads every decision of its period once.
 */
export class DynamoDbPastParcels implements PastParcels {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly decisionsTable: string,
    private readonly reviewQueueTable: string,
  ) {}

  async decidedBetween(since: string, until: string): Promise<PastParcel[]> {
    const decisions = (await scanAll(
      this.db,
      {
        TableName: this.decisionsTable,
        FilterExpression: '#at >= :since AND #at < :until',
        ExpressionAttributeValues: { ':since': since, ':until': until },
        // Names, not words: DynamoDB reserves hundreds of words, and these need not collide with them.
        ProjectionExpression: '#pk, #at, #version, #lane, #fired, #facts',
        ExpressionAttributeNames: {
          '#pk': 'pk',
          '#at': 'decidedAt',
          '#version': 'ruleSetVersion',
          '#lane': 'lane',
          '#fired': 'firedRules',
          '#facts': 'facts',
        },
      },
      'scan decisions',
    )) as unknown as (Pick<
      DecisionRecord,
      'decidedAt' | 'ruleSetVersion' | 'lane' | 'firedRules' | 'facts'
    > & {
      pk: string;
    })[];
    const flagged = decisions.filter((decision) => decision.lane !== 'release').map(({ pk }) => ({ pk }));
    const reviewed = await batchGetAll(this.db, this.reviewQueueTable, flagged);
    const outcomes = new Map(
      reviewed.flatMap((item) => {
        const outcome = (item as Partial<ReviewItem>).outcome?.finding.outcome;
        return outcome === undefined ? [] : [[item.pk as string, outcome] as const];
      }),
    );
    return decisions
      .map((decision) => ({
        parcelKey: decision.pk,
        decidedAt: decision.decidedAt,
        ruleSetVersion: decision.ruleSetVersion,
        lane: decision.lane,
        firedRuleIds: decision.firedRules.map((rule) => rule.ruleId),
        facts: decision.facts,
        ...(outcomes.has(decision.pk) ? { outcome: outcomes.get(decision.pk)! } : {}),
      }))
      .sort((a, b) => (a.decidedAt < b.decidedAt ? -1 : a.decidedAt > b.decidedAt ? 1 : 0));
  }
}
