import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidedMonthOf } from '../../functions/adapters/decided-month.js';
import { DynamoDbDecisionStore } from '../../functions/adapters/dynamodb-decision-store.js';
import { DynamoDbPastParcels } from '../../functions/adapters/dynamodb-past-parcels.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { type PastParcel, startBacktest } from '../../functions/core/backtest/backtest.js';
import { baselineFacts } from '../../functions/core/rules/cases/index.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { compile, rule } from '../unit/rules/rule-set-factory.js';

const PARCEL_KEY = 'southwest-freight#OLD-NAMES';
const DECIDED_AT = '2026-11-02T08:00:00.000Z';

/** The consignee's history as decisions recorded it before `shipmentsNd` was renamed `parcelsNd`. */
const recordedConsignee = () => {
  const { parcels7d, parcels30d, parcels90d, ...rest } = baselineFacts().history.consignee;
  return { ...rest, shipments7d: 2, shipments30d: 6, shipments90d: 9 };
};

/** A rule's values as recorded then (`matched(…)`: what its `in` matched, for a reason's `{matched}`), and as read now. */
const OLD_VALUES = {
  'history.consignee.shipments30d': 6,
  'matched(history.consignee.shipments30d)': 6,
  'parcel.pieceCount': 1,
};
const NEW_VALUES = {
  'history.consignee.parcels30d': 6,
  'matched(history.consignee.parcels30d)': 6,
  'parcel.pieceCount': 1,
};

/** A decision and its review item, stored as they were before the rename: attribute for attribute. */
const storedDecision = () => {
  const facts = baselineFacts();
  return {
    pk: PARCEL_KEY,
    parcelKey: PARCEL_KEY,
    ruleSetId: 'default',
    ruleSetVersion: 'sha256:recorded',
    score: 60,
    lane: 'review',
    firedRules: [{ ruleId: 'busy-consignee', title: 't', score: 60, reason: 'r', values: OLD_VALUES }],
    partnerId: 'southwest-freight',
    manifestId: 'M-1',
    parcelId: 'OLD-NAMES',
    region: 'yunnan-guangxi',
    inspectionOffice: 'wuzhou-customs',
    referralId: 'ref_1',
    decidedAt: DECIDED_AT,
    decidedMonth: decidedMonthOf(PARCEL_KEY, DECIDED_AT),
    facts: { ...facts, now: DECIDED_AT, history: { ...facts.history, consignee: recordedConsignee() } },
  };
};

describe('decisions and review items recorded under the old history fact names', () => {
  let dynamo: LocalDynamoDb;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable('decisions', TABLES.decisions);
    await dynamo.createTable('review-queue', TABLES.reviewQueue);
    await dynamo.doc.send(new PutCommand({ TableName: 'decisions', Item: storedDecision() }));
    const review = new DynamoDbReviewQueue(dynamo.doc, 'review-queue');
    await review.enqueue({
      parcelKey: PARCEL_KEY,
      partnerId: 'southwest-freight',
      manifestId: 'M-1',
      parcelId: 'OLD-NAMES',
      region: 'yunnan-guangxi',
      inspectionOffice: 'wuzhou-customs',
      status: 'open',
      score: 60,
      lane: 'review',
      firedRules: [{ ruleId: 'busy-consignee', title: 't', score: 60, reason: 'r', values: OLD_VALUES }],
      ruleSetVersion: 'sha256:recorded',
      flaggedAt: DECIDED_AT,
      goodsSummary: 'tea',
      route: 'Ruili → Wuzhou',
      partyKeys: { consignee: 'cn_1', shipper: 'sh_1', phone: 'ph_1', address: 'ad_1' },
    });
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('reads a past parcel back under parcelsNd, so a backtest rule on parcels30d reads it', async () => {
    // Prepare
    const past = new DynamoDbPastParcels(dynamo.doc, 'decisions', 'review-queue');
    const candidate = compile({
      rules: [rule('busy-consignee', { fact: 'history.consignee.parcels30d', gte: 5 }, { score: 60 })],
    });

    // Act
    const parcels: PastParcel[] = [];
    for await (const page of past.decidedBetween('2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'))
      parcels.push(...page);
    const backtest = startBacktest(candidate);
    for (const parcel of parcels) backtest.add(parcel);
    const report = backtest.finish();

    // Assess
    expect(parcels).toHaveLength(1);
    const { consignee } = parcels[0]!.facts.history;
    expect(consignee).toMatchObject({ parcels7d: 2, parcels30d: 6, parcels90d: 9 });
    expect(consignee).not.toHaveProperty('shipments30d');
    expect(report.rules).toContainEqual(
      expect.objectContaining({ ruleId: 'busy-consignee', candidateHits: 1 }),
    );
  });

  it('reads a decision back with its facts and fired rules under the current names', async () => {
    // Prepare
    const decisions = new DynamoDbDecisionStore(dynamo.doc, 'decisions');

    // Act
    const decision = (await decisions.getMany([PARCEL_KEY])).get(PARCEL_KEY)!;

    // Assess
    expect(decision.facts.history.consignee).toMatchObject({ parcels7d: 2, parcels30d: 6, parcels90d: 9 });
    expect(decision.facts.history.consignee).not.toHaveProperty('shipments30d');
    expect(decision.facts.history.shipper).toEqual(baselineFacts().history.shipper);
    expect(decision.firedRules[0]!.values).toEqual(NEW_VALUES);
  });

  it('reads a review item back with its fired rules values under the current names', async () => {
    // Prepare
    const review = new DynamoDbReviewQueue(dynamo.doc, 'review-queue');

    // Act
    const listed = await review.list('wuzhou-customs', 'open', { now: '2026-11-29T08:00:00.000Z' });
    const got = await review.get(PARCEL_KEY);

    // Assess
    expect(listed.items.map((item) => item.firedRules[0]!.values)).toEqual([NEW_VALUES]);
    expect(got!.firedRules[0]!.values).toEqual(NEW_VALUES);
  });
});
