import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECIDED_MONTH_SHARDS, decidedMonthsBetween } from '../../functions/adapters/decided-month.js';
import { DynamoDbDecisionStore } from '../../functions/adapters/dynamodb-decision-store.js';
import { DynamoDbPastParcels } from '../../functions/adapters/dynamodb-past-parcels.js';
import type { PastParcel } from '../../functions/core/backtest/backtest.js';
import type { ScreeningFacts } from '../../functions/core/screening/facts.js';
import type { DecisionRecord } from '../../functions/ports/decision-store.js';
import { TABLES } from '../../infra/definitions.js';
import { countReads, type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';

const decision = (parcelId: string, decidedAt: string, lane: DecisionRecord['lane'] = 'release') =>
  ({
    ruleSetId: 'default',
    ruleSetVersion: 'sha256:recorded',
    score: lane === 'release' ? 0 : 60,
    lane,
    firedRules: [],
    parcelKey: `southwest-freight#${parcelId}`,
    partnerId: 'southwest-freight',
    manifestId: 'M-1',
    parcelId,
    region: 'yunnan-guangxi',
    inspectionOffice: 'wuzhou',
    referralId: `ref_${parcelId}`,
    decidedAt,
    facts: { now: decidedAt } as ScreeningFacts,
  }) satisfies DecisionRecord;

describe('DynamoDbPastParcels', () => {
  let dynamo: LocalDynamoDb;
  let store: DynamoDbDecisionStore;
  let past: DynamoDbPastParcels;
  let reads: { command: string; scanned: number }[];

  const readBetween = async (since: string, until: string): Promise<PastParcel[]> => {
    const parcels: PastParcel[] = [];
    for await (const page of past.decidedBetween(since, until)) parcels.push(...page);
    return parcels.sort((a, b) => (a.parcelKey < b.parcelKey ? -1 : 1));
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable('decisions', TABLES.decisions);
    await dynamo.createTable('review-queue', TABLES.reviewQueue);
    store = new DynamoDbDecisionStore(dynamo.doc, 'decisions');
    past = new DynamoDbPastParcels(dynamo.doc, 'decisions', 'review-queue');
    // A busy October, and November's parcels around its edges.
    const october = Array.from({ length: 120 }, (_, i) =>
      decision(`OCT${i}`, `2026-10-${String(1 + (i % 30)).padStart(2, '0')}T08:00:00.000Z`),
    );
    const edges = [
      decision('LAST-OF-OCTOBER', '2026-10-31T23:59:59.999Z'),
      decision('FIRST-OF-NOVEMBER', '2026-11-01T00:00:00.000Z', 'hold'),
      decision('MID-NOVEMBER', '2026-11-15T12:00:00.000Z', 'review'),
      decision('LAST-OF-NOVEMBER', '2026-11-30T23:59:59.999Z'),
      decision('FIRST-OF-DECEMBER', '2026-12-01T00:00:00.000Z'),
    ];
    for (const record of [...october, ...edges]) await store.createOrGet(record);
    await dynamo.doc.send(
      new PutCommand({
        TableName: 'review-queue',
        Item: {
          pk: 'southwest-freight#FIRST-OF-NOVEMBER',
          flaggedAt: '2026-11-01T00:00:00.000Z',
          outcome: { finding: { outcome: 'seized' } },
        },
      }),
    );
    // The item of an earlier parcel under the id, not yet replaced by this decision's.
    await dynamo.doc.send(
      new PutCommand({
        TableName: 'review-queue',
        Item: {
          pk: 'southwest-freight#MID-NOVEMBER',
          flaggedAt: '2025-10-01T08:00:00.000Z',
          outcome: { finding: { outcome: 'seized' } },
        },
      }),
    );
    reads = countReads(dynamo);
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('reads the decisions of the period, from its first instant to just before its end, with outcomes', async () => {
    // Act
    const november = await readBetween('2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');

    // Assess
    expect(november).toEqual([
      {
        parcelKey: 'southwest-freight#FIRST-OF-NOVEMBER',
        region: 'yunnan-guangxi',
        decidedAt: '2026-11-01T00:00:00.000Z',
        ruleSetVersion: 'sha256:recorded',
        lane: 'hold',
        firedRuleIds: [],
        facts: { now: '2026-11-01T00:00:00.000Z' },
        outcome: 'seized',
      },
      expect.objectContaining({ parcelKey: 'southwest-freight#LAST-OF-NOVEMBER' }),
      expect.objectContaining({ parcelKey: 'southwest-freight#MID-NOVEMBER', lane: 'review' }),
    ]);
    // The earlier parcel's seizure is not this decision's outcome
    expect(november[2]).not.toHaveProperty('outcome');
  });

  it('leaves out decisions whose records have expired, whether or not TTL has deleted them', async () => {
    // Prepare: decided 400 days and a second before now, and 399 days before (no TTL on dynalite)
    const now = '2026-11-29T08:00:00.000Z';
    await store.createOrGet(decision('EXPIRED', '2025-10-25T07:59:59.000Z'));
    await store.createOrGet(decision('LIVE', '2025-10-26T08:00:00.000Z'));
    const asOfNow = new DynamoDbPastParcels(dynamo.doc, 'decisions', 'review-queue', () => new Date(now));

    // Act
    const parcels: PastParcel[] = [];
    for await (const page of asOfNow.decidedBetween('2025-10-01T00:00:00.000Z', '2025-11-01T00:00:00.000Z'))
      parcels.push(...page);

    // Assess
    expect(parcels.map((parcel) => parcel.parcelKey)).toEqual(['southwest-freight#LIVE']);
  });

  it('queries only the months of the period, never scanning the table', async () => {
    // Prepare
    reads.length = 0;

    // Act
    const days = await readBetween('2026-11-15', '2026-11-16');

    // Assess: one query per November shard; October's 121 decisions are never read
    expect(days.map((parcel) => parcel.parcelKey)).toEqual(['southwest-freight#MID-NOVEMBER']);
    const queries = reads.filter((read) => read.command === 'QueryCommand');
    expect(queries).toHaveLength(DECIDED_MONTH_SHARDS);
    expect(reads.filter((read) => read.command === 'ScanCommand')).toEqual([]);
    expect(queries.reduce((total, read) => total + read.scanned, 0)).toBe(1);
  });

  it('reads a period ending within a month up to just before its end', async () => {
    // Act
    const parcels = await readBetween('2026-11-01T00:00:00.000Z', '2026-11-15T12:00:00.000Z');

    // Assess
    expect(parcels.map((parcel) => parcel.parcelKey)).toEqual(['southwest-freight#FIRST-OF-NOVEMBER']);
  });

  it('reads a period written with an offset, or without milliseconds, as the instants it names', async () => {
    // Act: 2026-11-01T08:00+08:00 is November's first instant; a bound without milliseconds is the same
    const withOffset = await readBetween('2026-11-01T07:59:59.999+08:00', '2026-11-15T20:00:00+08:00');
    const wholeSeconds = await readBetween('2026-11-01T00:00:00Z', '2026-11-15T12:00:01Z');

    // Assess
    expect(withOffset.map((parcel) => parcel.parcelKey)).toEqual([
      'southwest-freight#FIRST-OF-NOVEMBER',
      'southwest-freight#LAST-OF-OCTOBER',
    ]);
    expect(wholeSeconds.map((parcel) => parcel.parcelKey)).toEqual([
      'southwest-freight#FIRST-OF-NOVEMBER',
      'southwest-freight#MID-NOVEMBER',
    ]);
  });

  it('reads the outcome of a parcel its rules sent to review', async () => {
    // Prepare: in September, a parcel reviewed and cleared
    await store.createOrGet(decision('REVIEWED', '2026-09-10T08:00:00.000Z', 'review'));
    await dynamo.doc.send(
      new PutCommand({
        TableName: 'review-queue',
        Item: {
          pk: 'southwest-freight#REVIEWED',
          flaggedAt: '2026-09-10T08:00:00.000Z',
          outcome: { finding: { outcome: 'cleared' } },
        },
      }),
    );

    // Act
    const september = await readBetween('2026-09-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z');

    // Assess
    expect(september).toEqual([
      expect.objectContaining({
        parcelKey: 'southwest-freight#REVIEWED',
        lane: 'review',
        outcome: 'cleared',
      }),
    ]);
  });

  it('reads a decision exactly as it was recorded, without the index attribute', async () => {
    // Act
    const stored = await store.getMany(['southwest-freight#MID-NOVEMBER']);

    // Assess
    expect(stored.get('southwest-freight#MID-NOVEMBER')).toEqual(
      decision('MID-NOVEMBER', '2026-11-15T12:00:00.000Z', 'review'),
    );
  });
});

describe('decidedMonthsBetween', () => {
  const monthsOf = (since: string, until: string) => [
    ...new Set(decidedMonthsBetween(since, until).map((partition) => partition.slice(0, 7))),
  ];

  it.each([
    ['within a day', '2026-11-15', '2026-11-16', ['2026-11']],
    ['ending at the first instant of a month', '2026-11-01', '2026-12-01T00:00:00.000Z', ['2026-11']],
    ['ending on the first day of a month, as --until does', '2026-11-01', '2026-12-01', ['2026-11']],
    ['ending just after a month starts', '2026-11-30', '2026-12-01T00:00:00.001Z', ['2026-11', '2026-12']],
    ['across a new year', '2026-12-20', '2027-01-10', ['2026-12', '2027-01']],
    ['empty', '2026-11-16', '2026-11-15', []],
  ])('%s', (_name, since, until, months) => {
    expect(monthsOf(since, until)).toEqual(months);
    expect(decidedMonthsBetween(since, until)).toHaveLength(months.length * DECIDED_MONTH_SHARDS);
  });
});
