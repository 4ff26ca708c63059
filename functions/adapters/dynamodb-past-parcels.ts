import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PastParcel } from '../core/backtest/backtest.js';
import { canonicalInstant, expiredAt } from '../core/retention.js';
import { rulesLaneOf } from '../core/screening/control-sample.js';
import { upgradeRecordedFacts } from '../core/screening/recorded-facts.js';
import type { DecisionRecord } from '../ports/decision-store.js';
import type { PastParcels } from '../ports/past-parcels.js';
import type { ReviewItem } from '../ports/review-queue.js';
import { BY_DECIDED_MONTH, decidedMonthsBetween } from './decided-month.js';
import { batchGetAll, queryPages } from './dynamodb-batch.js';

type Decision = Pick<
  DecisionRecord,
  'region' | 'decidedAt' | 'ruleSetVersion' | 'lane' | 'controlSample' | 'firedRules' | 'facts' | 'shadow'
> & {
  pk: string;
  expiresAt?: number;
};

/** What a backtest reads of a decision. */
const DECISION_ATTRIBUTES = [
  'pk',
  'region',
  'decidedAt',
  'ruleSetVersion',
  'lane',
  'controlSample',
  'firedRules',
  'facts',
  'shadow',
  'expiresAt',
] as const;

/** Decisions read at a time: each holds its fact snapshot, so a page of them stays a few MB. */
const PAGE = 500;

/**
 * Stored instants are UTC with milliseconds and compare as text, so the period's bounds take that
 * spelling too (`…T08:00:00+08:00` is `…T00:00:00.000Z`); unreadable text stays as it is and reads nothing.
 */
const oneSpelling = (at: string): string => (Number.isNaN(Date.parse(at)) ? at : canonicalInstant(at));

/**
 * Past parcels for backtests: the decisions of the period, found through the decisions table's
 * `byDecidedMonth` index (keys only, a query per month and shard: not a scan of every decision ever
 * made), read a page at a time with their fact snapshots, and joined with the outcomes of the flagged
 * ones from the review queue. A decision whose record has expired (`now` past its `expiresAt`) counts as
 * gone, as everywhere, whether or not TTL has deleted it yet. An analyst's tool, not a function's hot path.
 */
export class DynamoDbPastParcels implements PastParcels {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly decisionsTable: string,
    private readonly reviewQueueTable: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async *decidedBetween(from: string, to: string): AsyncGenerator<PastParcel[]> {
    const since = oneSpelling(from);
    const until = oneSpelling(to);
    for (const decidedMonth of decidedMonthsBetween(since, until)) {
      const pages = queryPages(
        this.db,
        {
          TableName: this.decisionsTable,
          IndexName: BY_DECIDED_MONTH,
          // BETWEEN includes `until`, which the period excludes: dropped below.
          KeyConditionExpression: '#month = :month AND #at BETWEEN :since AND :until',
          ExpressionAttributeNames: { '#month': 'decidedMonth', '#at': 'decidedAt' },
          ExpressionAttributeValues: { ':month': decidedMonth, ':since': since, ':until': until },
          Limit: PAGE,
        },
        'query decisions by month',
      );
      for await (const page of pages) {
        const keys = page.filter((item) => String(item.decidedAt) < until).map(({ pk }) => ({ pk }));
        if (keys.length > 0) yield await this.pastParcels(keys);
      }
    }
  }

  private async pastParcels(keys: { pk: unknown }[]): Promise<PastParcel[]> {
    const at = this.now().toISOString();
    const decisions = (
      (await batchGetAll(this.db, this.decisionsTable, keys, DECISION_ATTRIBUTES)) as unknown as Decision[]
    ).filter((decision) => !expiredAt(decision.expiresAt, at));
    const flagged = decisions.filter((decision) => decision.lane !== 'release').map(({ pk }) => ({ pk }));
    const reviewed = await batchGetAll(this.db, this.reviewQueueTable, flagged, [
      'pk',
      'outcome',
      'flaggedAt',
    ]);
    // An item is flagged at its decision's time: under a parcel id used again after 400 days, the item
    // read may still be the earlier parcel's, whose outcome is not this decision's.
    const decidedAt = new Map(decisions.map((decision) => [decision.pk, decision.decidedAt]));
    const outcomes = new Map(
      reviewed.flatMap((stored) => {
        const item = stored as Partial<ReviewItem> & { pk: string };
        const outcome = item.outcome?.finding.outcome;
        return outcome === undefined || item.flaggedAt !== decidedAt.get(item.pk)
          ? []
          : [[item.pk, outcome] as const];
      }),
    );
    return decisions.map((decision) => ({
      parcelKey: decision.pk,
      // Tallies are recounted per region, as each region's history keeps them (startTallyRecount).
      region: decision.region,
      decidedAt: decision.decidedAt,
      ruleSetVersion: decision.ruleSetVersion,
      // The rules' lane: a control sample was held by chance, and the rules compared released it.
      lane: rulesLaneOf(decision),
      firedRuleIds: decision.firedRules.map((rule) => rule.ruleId),
      // Recorded under the fact names of its day: read under today's, as the candidate's rules name them.
      facts: upgradeRecordedFacts(decision.facts),
      ...(outcomes.has(decision.pk) ? { outcome: outcomes.get(decision.pk)! } : {}),
      ...(decision.shadow === undefined ? {} : { shadow: decision.shadow }),
    }));
  }
}
