import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRuleStatistics } from '../../functions/adapters/dynamodb-rule-statistics.js';
import { aggregateRuleStatistics } from '../../functions/core/statistics/rule-statistics.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';

const hit = (index: number, ruleIds = ['wooden-goods', 'cash-on-delivery']) => ({
  parcelKey: `southwest-freight#P${index}`,
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
    expect(aggregateRuleStatistics(await statistics.read())).toEqual([
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
    expect(await statistics.read('2026-11-29')).toEqual([]);
  });
});
