import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PastParcel } from '../core/backtest/backtest.js';
import { rulesLaneOf } from '../core/screening/control-sample.js';
import type { DecisionRecord } from '../ports/decision-store.js';
import type { PastParcels } from '../ports/past-parcels.js';
import type { ReviewItem } from '../ports/review-queue.js';
import { batchGetAll, scanPages } from './dynamodb-batch.js';

type Decision = Pick<
  DecisionRecord,
  'decidedAt' | 'ruleSetVersion' | 'lane' | 'controlSample' | 'firedRules' | 'facts'
> & {
  pk: string;
};

/**
 * Past parcels for backtests: the decisions table (one item per parcel, with its fact snapshot), joined
 * with the outcomes of the flagged ones from the review queue, a scan page at a time. A scan, for an
 * analyst's tool, not a function's hot path: it reads (and pays for) the whole table, whatever the
 * period, and keeps one page in memory.
 */
export class DynamoDbPastParcels implements PastParcels {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly decisionsTable: string,
    private readonly reviewQueueTable: string,
  ) {}

  async *decidedBetween(since: string, until: string): AsyncGenerator<PastParcel[]> {
    const pages = scanPages(
      this.db,
      {
        TableName: this.decisionsTable,
        FilterExpression: '#at >= :since AND #at < :until',
        ExpressionAttributeValues: { ':since': since, ':until': until },
        // Names, not words: DynamoDB reserves hundreds of words, and these need not collide with them.
        ProjectionExpression: '#pk, #at, #version, #lane, #sampled, #fired, #facts',
        ExpressionAttributeNames: {
          '#pk': 'pk',
          '#at': 'decidedAt',
          '#version': 'ruleSetVersion',
          '#lane': 'lane',
          '#sampled': 'controlSample',
          '#fired': 'firedRules',
          '#facts': 'facts',
        },
      },
      'scan decisions',
    );
    for await (const page of pages) {
      const decisions = page as unknown as Decision[];
      const flagged = decisions.filter((decision) => decision.lane !== 'release').map(({ pk }) => ({ pk }));
      const reviewed = await batchGetAll(this.db, this.reviewQueueTable, flagged, ['pk', 'outcome']);
      const outcomes = new Map(
        reviewed.flatMap((item) => {
          const outcome = (item as Partial<ReviewItem>).outcome?.finding.outcome;
          return outcome === undefined ? [] : [[item.pk as string, outcome] as const];
        }),
      );
      yield decisions.map((decision) => ({
        parcelKey: decision.pk,
        decidedAt: decision.decidedAt,
        ruleSetVersion: decision.ruleSetVersion,
        // The rules' lane: a control sample was held by chance, and the rules compared released it.
        lane: rulesLaneOf(decision),
        firedRuleIds: decision.firedRules.map((rule) => rule.ruleId),
        facts: decision.facts,
        ...(outcomes.has(decision.pk) ? { outcome: outcomes.get(decision.pk)! } : {}),
      }));
    }
  }
}
