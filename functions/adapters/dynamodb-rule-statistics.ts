import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../infra/definitions.js';
import { isInspection, isSeizure, type Outcome } from '../core/review/outcome.js';
import {
  type DayRange,
  hitCounterKeyOf,
  outcomeCounterKeyOf,
  type RuleCounters,
  regionCountersFrom,
  regionCountersThrough,
  regionShardOf,
  regionShardOfPlace,
  STATISTICS_SHARDS,
} from '../core/statistics/rule-statistics.js';
import { forEachLimited } from '../platform/concurrency.js';
import { AppError } from '../platform/errors.js';
import type { RuleHits, RuleStatistics } from '../ports/rule-statistics.js';
import { awsCall, conditional } from './aws-errors.js';
import { queryPages } from './dynamodb-batch.js';
import { addToGrowingItem, firstSlotTaking } from './growing-items.js';
import { parcelDigest } from './parcel-digest.js';

type OutcomeCounter = 'inspections' | 'seizures';

/** The string set that marks which parcels a counter already counts: the marker and the count move together. */
const MARKERS: Record<OutcomeCounter, string> = {
  inspections: 'inspectedParcels',
  seizures: 'seizedParcels',
};

const CONCURRENCY = 16;
/** The counts without the marker sets, by region and shard (infra/definitions.ts). */
const COUNTS_BY_REGION = TABLES.ruleStatistics.indexes[0].indexName;
/** Overflow slots of one rule, region, day and shard: about 33,000 digests an item, 27 million hits a rule, region and day. */
const MAX_HIT_SLOTS = 100;

/**
 * Rule statistics in the `ruleStatistics` table: partition `ruleId`, sort `counter` (`<region>#<day>#<shard>…`).
 * Every counter also carries `regionShard` (`<region>#<shard>`), the partition of the `countsByRegion`
 * index, so a region's statistics are a query per shard from the first day asked, never a scan of every
 * region's counters. Each count is one
 * UpdateItem that adds the parcel to the counter's marker set and the count, conditional on the parcel
 * not being in the set yet (or, to take a count back, being in it): exact under redelivery and
 * concurrency, with no transactions.
 *
 * Hits (`…#<day>#<shard>`) mark parcels by digest and only ever grow: when the item reaches DynamoDB's
 * 400 KB limit, a hit goes to the first overflow slot `…#<day>#<shard>#1`, `#2`… that holds it or takes it
 * (growing-items.ts, as party history's day buckets do). Inspections
 * and seizures (`…#<day>#<shard>#outcomes`) mark parcels by key and shrink when a correction takes a count
 * back; they are staff actions, a few thousand a day at most, far from the limit.
 */
export class DynamoDbRuleStatistics implements RuleStatistics {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordHits(hits: RuleHits[]): Promise<void> {
    const work = hits.flatMap((hit) => hit.ruleIds.map((ruleId) => ({ hit, ruleId })));
    await forEachLimited(work, CONCURRENCY, ({ hit, ruleId }) => this.countHit(ruleId, hit));
  }

  async recordOutcome(hits: RuleHits, outcome: Outcome): Promise<void> {
    await forEachLimited(hits.ruleIds, CONCURRENCY, async (ruleId) => {
      if (isInspection(outcome)) await this.count(ruleId, hits, 'inspections', +1);
      if (isSeizure(outcome)) await this.count(ruleId, hits, 'seizures', +1);
    });
  }

  async correctOutcome(hits: RuleHits, from: Outcome, to: Outcome): Promise<void> {
    const moves: [OutcomeCounter, boolean, boolean][] = [
      ['inspections', isInspection(from), isInspection(to)],
      ['seizures', isSeizure(from), isSeizure(to)],
    ];
    await forEachLimited(hits.ruleIds, CONCURRENCY, async (ruleId) => {
      for (const [counter, before, after] of moves) {
        if (before !== after) await this.count(ruleId, hits, counter, after ? +1 : -1);
      }
    });
  }

  /** The region's counters of the days asked for, its shards read side by side. */
  async read(region: string, days: DayRange = {}): Promise<RuleCounters[]> {
    const shards = Array.from({ length: STATISTICS_SHARDS }, (_, shard) =>
      this.readShard(region, shard, days),
    );
    return (await Promise.all(shards)).flat();
  }

  private async readShard(region: string, shard: number, days: DayRange): Promise<RuleCounters[]> {
    const pages = queryPages(
      this.db,
      {
        TableName: this.tableName,
        IndexName: COUNTS_BY_REGION,
        KeyConditionExpression: '#p = :p AND #c BETWEEN :since AND :until',
        ProjectionExpression: '#r, #h, #i, #s',
        ExpressionAttributeNames: {
          '#p': 'regionShard',
          '#c': 'counter',
          '#r': 'ruleId',
          '#h': 'hits',
          '#i': 'inspections',
          '#s': 'seizures',
        },
        ExpressionAttributeValues: {
          ':p': regionShardOf(region, shard),
          ':since': regionCountersFrom(region, days.since),
          ':until': regionCountersThrough(region, days.until),
        },
      },
      'query rule statistics',
    );
    const counters: RuleCounters[] = [];
    for await (const page of pages) {
      for (const item of page)
        counters.push({
          ruleId: String(item.ruleId),
          hits: Number(item.hits ?? 0),
          inspections: Number(item.inspections ?? 0),
          seizures: Number(item.seizures ?? 0),
        });
    }
    return counters;
  }

  /** Counts one parcel's hit of a rule in the first slot that holds it or has room for it. */
  private async countHit(ruleId: string, hit: RuleHits): Promise<void> {
    const digest = parcelDigest(hit.parcelKey);
    const slot = await firstSlotTaking(0, MAX_HIT_SLOTS, (candidate) =>
      addToGrowingItem(() =>
        awsCall('count rule hits', () =>
          this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { ruleId, counter: hitCounterKeyOf(hit, candidate) },
              UpdateExpression: 'ADD hits :one, hitParcels :parcel SET regionShard = :shard',
              ConditionExpression: 'NOT contains(hitParcels, :digest)',
              ExpressionAttributeValues: {
                ':one': 1,
                ':parcel': new Set([digest]),
                ':digest': digest,
                ':shard': regionShardOfPlace(hit),
              },
            }),
          ),
        ),
      ),
    );
    if (slot !== undefined) return;
    throw new AppError(
      'RULE_HITS_FULL',
      `rule statistics: ${MAX_HIT_SLOTS} overflow slots of ${ruleId} in ${hit.region} on ${hit.decidedAt.slice(0, 10)} are full`,
    );
  }

  /** Adds (+1) or takes back (-1) one parcel's outcome; a repeat fails its condition and changes nothing. */
  private async count(ruleId: string, hit: RuleHits, counter: OutcomeCounter, delta: 1 | -1): Promise<void> {
    const marker = MARKERS[counter];
    await conditional(() =>
      awsCall(`count rule ${counter}`, () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { ruleId, counter: outcomeCounterKeyOf(hit) },
            UpdateExpression: `${delta > 0 ? 'ADD #n :one, #m :parcel' : 'ADD #n :one DELETE #m :parcel'} SET regionShard = :shard`,
            ConditionExpression: delta > 0 ? 'NOT contains(#m, :key)' : 'contains(#m, :key)',
            ExpressionAttributeNames: { '#n': counter, '#m': marker },
            ExpressionAttributeValues: {
              ':one': delta,
              ':parcel': new Set([hit.parcelKey]),
              ':key': hit.parcelKey,
              ':shard': regionShardOfPlace(hit),
            },
          }),
        ),
      ),
    );
  }
}
