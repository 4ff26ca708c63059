import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isInspection, isSeizure, type Outcome } from '../core/review/outcome.js';
import { counterKeyOf, type RuleCounters } from '../core/statistics/rule-statistics.js';
import type { RuleHits, RuleStatistics } from '../ports/rule-statistics.js';
import { awsCall, conditional } from './aws-errors.js';
import { forEachLimited } from '../platform/concurrency.js';
import { scanAll } from './dynamodb-batch.js';

type Counter = 'hits' | 'inspections' | 'seizures';

/** The string set that marks which parcels a counter already counts: the marker and the count move together. */
const MARKERS: Record<Counter, string> = {
  hits: 'hitParcels',
  inspections: 'inspectedParcels',
  seizures: 'seizedParcels',
};

const CONCURRENCY = 16;

/**
 * Rule statistics in the `ruleStatistics` table: partition `ruleId`, sort `counter` = `<day>#<shard>`.
 * Each count is one UpdateItem that adds the parcel key to the counter's marker set and the count,
 * conditional on the parcel not being in the set yet (or, to take a count back, being in it): exact
 * under redelivery and concurrency, with no transactions.
 */
export class DynamoDbRuleStatistics implements RuleStatistics {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordHits(hits: RuleHits[]): Promise<void> {
    const work = hits.flatMap((hit) => hit.ruleIds.map((ruleId) => ({ hit, ruleId })));
    await forEachLimited(work, CONCURRENCY, ({ hit, ruleId }) => this.count(ruleId, hit, 'hits', +1));
  }

  async recordOutcome(hits: RuleHits, outcome: Outcome): Promise<void> {
    await forEachLimited(hits.ruleIds, CONCURRENCY, async (ruleId) => {
      if (isInspection(outcome)) await this.count(ruleId, hits, 'inspections', +1);
      if (isSeizure(outcome)) await this.count(ruleId, hits, 'seizures', +1);
    });
  }

  async correctOutcome(hits: RuleHits, from: Outcome, to: Outcome): Promise<void> {
    const moves: [Counter, boolean, boolean][] = [
      ['inspections', isInspection(from), isInspection(to)],
      ['seizures', isSeizure(from), isSeizure(to)],
    ];
    await forEachLimited(hits.ruleIds, CONCURRENCY, async (ruleId) => {
      for (const [counter, before, after] of moves) {
        if (before !== after) await this.count(ruleId, hits, counter, after ? +1 : -1);
      }
    });
  }

  async read(sinceDay?: string): Promise<RuleCounters[]> {
    const items = await scanAll(
      this.db,
      {
        TableName: this.tableName,
        ProjectionExpression: '#r, #c, #h, #i, #s',
        ExpressionAttributeNames: {
          '#r': 'ruleId',
          '#c': 'counter',
          '#h': 'hits',
          '#i': 'inspections',
          '#s': 'seizures',
        },
        ...(sinceDay
          ? { FilterExpression: '#c >= :since', ExpressionAttributeValues: { ':since': sinceDay } }
          : {}),
      },
      'scan rule statistics',
    );
    const counters: RuleCounters[] = items.map((item) => ({
      ruleId: String(item.ruleId),
      hits: Number(item.hits ?? 0),
      inspections: Number(item.inspections ?? 0),
      seizures: Number(item.seizures ?? 0),
    }));
    return counters;
  }

  /** Adds (+1) or takes back (-1) one parcel's count; a repeat fails its condition and changes nothing. */
  private async count(ruleId: string, hit: RuleHits, counter: Counter, delta: 1 | -1): Promise<void> {
    const marker = MARKERS[counter];
    await conditional(() =>
      awsCall(`count rule ${counter}`, () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { ruleId, counter: counterKeyOf(hit.decidedAt, hit.parcelKey) },
            UpdateExpression: delta > 0 ? 'ADD #n :one, #m :parcel' : 'ADD #n :one DELETE #m :parcel',
            ConditionExpression: delta > 0 ? 'NOT contains(#m, :key)' : 'contains(#m, :key)',
            ExpressionAttributeNames: { '#n': counter, '#m': marker },
            ExpressionAttributeValues: {
              ':one': delta,
              ':parcel': new Set([hit.parcelKey]),
              ':key': hit.parcelKey,
            },
          }),
        ),
      ),
    );
  }
}
