import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRuleStatistics } from '../../functions/adapters/dynamodb-rule-statistics.js';
import { shardOf } from '../../functions/core/keys.js';
import {
  aggregateRuleStatistics,
  STATISTICS_SHARDS,
} from '../../functions/core/statistics/rule-statistics.js';
import { TABLES } from '../../infra/definitions.js';
import { countReads, type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';

const hit = (index: number, ruleIds = ['wooden-goods', 'cash-on-delivery'], region = 'yunnan-guangxi') => ({
  parcelKey: `southwest-freight#P${index}`,
  region,
  decidedAt: '2026-11-28T10:00:00.000Z',
  ruleIds,
});

describe('DynamoDbRuleStatistics', () => {
  let dynamo: LocalDynamoDb;
  let statistics: DynamoDbRuleStatistics;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable('rule-statistics', TABLES.ruleStatistics);
    statistics = new DynamoDbRuleStatistics(dynamo.doc, 'rule-statistics');
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('counts hits, inspections and seizures once per parcel however often they are recorded, and follows a correction', async () => {
    // Prepare
    const hits = Array.from({ length: 30 }, (_, index) => hit(index));
    // Act
    await Promise.all([statistics.recordHits(hits), statistics.recordHits(hits)]);
    await statistics.recordHits(hits.slice(0, 5));
    await Promise.all([
      statistics.recordOutcome(hit(1), 'seized'),
      statistics.recordOutcome(hit(1), 'seized'),
    ]);
    await statistics.recordOutcome(hit(2), 'seized');
    await statistics.recordOutcome(hit(3), 'cleared');
    await statistics.recordOutcome(hit(4), 'not-found');
    await statistics.correctOutcome(hit(2), 'seized', 'cleared');
    await statistics.correctOutcome(hit(2), 'seized', 'cleared');
    // Assess
    expect(aggregateRuleStatistics(await statistics.read('yunnan-guangxi'))).toEqual([
      {
        ruleId: 'cash-on-delivery',
        hits: 30,
        inspections: 3,
        seizures: 1,
        precision: 0.3333,
        inspectionRate: 0.1,
      },
      {
        ruleId: 'wooden-goods',
        hits: 30,
        inspections: 3,
        seizures: 1,
        precision: 0.3333,
        inspectionRate: 0.1,
      },
    ]);
    expect(await statistics.read('yunnan-guangxi', { since: '2026-11-29' })).toEqual([]);
    expect(await statistics.read('guangdong')).toEqual([]);
  });

  it("keeps each region's counts to itself, however alike their parcels and days", async () => {
    // Prepare: the same parcel keys and day, fired and seized in Guangdong
    const guangdong = (index: number) => hit(index, ['wooden-goods'], 'guangdong');
    const before = aggregateRuleStatistics(await statistics.read('yunnan-guangxi'));
    // Act
    await statistics.recordHits([guangdong(1), guangdong(50)]);
    await statistics.recordOutcome(guangdong(1), 'seized');
    // Assess
    expect(aggregateRuleStatistics(await statistics.read('guangdong'))).toEqual([
      {
        ruleId: 'wooden-goods',
        hits: 2,
        inspections: 1,
        seizures: 1,
        precision: 1,
        inspectionRate: 0.5,
      },
    ]);
    expect(aggregateRuleStatistics(await statistics.read('yunnan-guangxi'))).toEqual(before);
    expect(await statistics.read('guangdong', { since: '2026-11-29' })).toEqual([]);
    expect(await statistics.read('guangdong', { since: '2026-11-28' })).not.toEqual([]);
  });

  it('takes a corrected seizure back once however often the correction is applied, keeping the other seizures of its item', async () => {
    // Prepare: two parcels seized in Fujian, counted in the same item
    const fujian = (index: number) => hit(index, ['wooden-goods'], 'fujian');
    const shard = shardOf(fujian(1).parcelKey, STATISTICS_SHARDS);
    const sameItem = Array.from({ length: 100 }, (_, index) => index + 2).find(
      (index) => shardOf(fujian(index).parcelKey, STATISTICS_SHARDS) === shard,
    )!;
    await statistics.recordHits([fujian(1), fujian(sameItem)]);
    await statistics.recordOutcome(fujian(1), 'seized');
    await statistics.recordOutcome(fujian(sameItem), 'seized');

    // Act
    await statistics.correctOutcome(fujian(1), 'seized', 'cleared');
    await statistics.correctOutcome(fujian(1), 'seized', 'cleared');

    // Assess
    expect(aggregateRuleStatistics(await statistics.read('fujian'))).toEqual([
      expect.objectContaining({ ruleId: 'wooden-goods', hits: 2, inspections: 2, seizures: 1 }),
    ]);
  });

  it('counts an outcome corrected to seized as a seizure, once however often the correction is applied', async () => {
    // Prepare: a parcel cleared in Zhejiang
    const zhejiang = hit(1, ['wooden-goods'], 'zhejiang');
    await statistics.recordHits([zhejiang]);
    await statistics.recordOutcome(zhejiang, 'cleared');

    // Act
    await statistics.correctOutcome(zhejiang, 'cleared', 'seized');
    await statistics.correctOutcome(zhejiang, 'cleared', 'seized');

    // Assess
    expect(aggregateRuleStatistics(await statistics.read('zhejiang'))).toEqual([
      expect.objectContaining({ ruleId: 'wooden-goods', hits: 1, inspections: 1, seizures: 1 }),
    ]);
  });

  it("reads a region's counters from the day asked, a query per shard, never another region's or an earlier day's", async () => {
    // Prepare: a second day in Guangxi, and a region of its own with many counters
    const reads = countReads(dynamo);
    await statistics.recordHits([{ ...hit(70), decidedAt: '2026-11-29T09:00:00.000Z' }]);
    await statistics.recordHits(
      Array.from({ length: 40 }, (_, index) => hit(100 + index, ['cash'], 'hainan')),
    );
    reads.length = 0;

    // Act
    const counters = await statistics.read('yunnan-guangxi', { since: '2026-11-29' });

    // Assess
    expect(aggregateRuleStatistics(counters)).toEqual([
      expect.objectContaining({ ruleId: 'cash-on-delivery', hits: 1 }),
      expect.objectContaining({ ruleId: 'wooden-goods', hits: 1 }),
    ]);
    expect(reads.map((read) => read.command)).toEqual(Array(STATISTICS_SHARDS).fill('QueryCommand'));
    expect(reads.reduce((total, read) => total + read.scanned, 0)).toBe(counters.length);
  });

  it("reads a region's counters through the day asked, that day included", async () => {
    // Prepare: Guangxi has counters of 2026-11-28 and (from the test above) 2026-11-29

    // Act
    const throughFirst = await statistics.read('yunnan-guangxi', { until: '2026-11-28' });
    const oneDay = await statistics.read('yunnan-guangxi', { since: '2026-11-29', until: '2026-11-29' });
    const before = await statistics.read('yunnan-guangxi', { until: '2026-11-27' });

    // Assess
    expect(aggregateRuleStatistics(throughFirst)).toEqual([
      expect.objectContaining({ ruleId: 'cash-on-delivery', hits: 30 }),
      expect.objectContaining({ ruleId: 'wooden-goods', hits: 30 }),
    ]);
    expect(aggregateRuleStatistics(oneDay)).toEqual([
      expect.objectContaining({ ruleId: 'cash-on-delivery', hits: 1 }),
      expect.objectContaining({ ruleId: 'wooden-goods', hits: 1 }),
    ]);
    expect(before).toEqual([]);
  });

  describe('on a busy day, with items limited to 1 KB', () => {
    let small: LocalDynamoDb;
    let busy: DynamoDbRuleStatistics;

    beforeAll(async () => {
      small = await startLocalDynamoDb({ maxItemSizeKb: 1 });
      await small.createTable('rule-statistics', TABLES.ruleStatistics);
      busy = new DynamoDbRuleStatistics(small.doc, 'rule-statistics');
    });

    afterAll(async () => {
      await small?.stop();
    });

    it('overflows into further slots and still counts every hit once, and outcomes are not held back by full hit items', async () => {
      // Prepare: 800 parcels firing one rule on one day, far more than one 1 KB item per shard holds
      const hits = Array.from({ length: 800 }, (_, index) => ({
        parcelKey: `southwest-freight#SWF-2026-11-27-${String(index).padStart(12, '0')}-CN`,
        region: 'guangdong',
        decidedAt: '2026-11-28T10:00:00.000Z',
        ruleIds: ['new-consignee'],
      }));
      // Act: every hit recorded twice at once, then replayed, then outcomes recorded
      await Promise.all([busy.recordHits(hits), busy.recordHits(hits)]);
      await busy.recordHits(hits.slice(0, 200));
      await busy.recordOutcome(hits[7]!, 'seized');
      await busy.recordOutcome(hits[8]!, 'cleared');
      await busy.recordOutcome(hits[7]!, 'seized');
      // Assess
      expect(aggregateRuleStatistics(await busy.read('guangdong'))).toEqual([
        {
          ruleId: 'new-consignee',
          hits: 800,
          inspections: 2,
          seizures: 1,
          precision: 0.5,
          inspectionRate: 0.0025,
        },
      ]);
      const items = (await small.doc.send(new ScanCommand({ TableName: 'rule-statistics' }))).Items ?? [];
      const overflowSlots = items.filter((item) => /^guangdong#2026-11-28#\d#\d+$/.test(item.counter));
      expect(overflowSlots.length).toBeGreaterThanOrEqual(STATISTICS_SHARDS);
      expect(items.filter((item) => item.counter.endsWith('#outcomes'))).toHaveLength(2);
    });
  });
});
