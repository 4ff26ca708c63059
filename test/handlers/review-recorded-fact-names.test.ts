import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { baselineFacts } from '../../functions/core/rules/cases/index.js';
import { aContext } from '../support/lambda.js';
import { staff, staffEvent, storedReviewItem, useReviewHandler } from '../support/review-api.js';

const ROUTE = 'GET /v1/inspections';
const PARCEL_KEY = 'southwest-freight#SWF7781000123';
const OLD_VALUES = { 'history.consignee.shipments30d': 6 };

const db = mockClient(DynamoDBDocumentClient);

/** The queue listing the officer console reads, as an officer of wuzhou-customs asks for it. */
const listing = (): APIGatewayProxyEventV2 =>
  staffEvent(ROUTE, staff('wuzhou', 'officer', 'wuzhou-customs'), {
    queryStringParameters: { office: 'wuzhou-customs' },
  });

/** A review item and its decision as stored before `shipmentsNd` was renamed `parcelsNd`. */
const firedRules = [{ ruleId: 'busy-consignee', title: 't', score: 60, reason: 'r', values: OLD_VALUES }];
const storedItem = storedReviewItem({
  score: 60,
  lane: 'review',
  firedRules,
  goodsSummary: 'tea',
  partyKeys: { consignee: 'cn_1', shipper: 'sh_1', phone: 'ph_1', address: 'ad_1' },
  priority: '0940800#…',
  version: undefined,
});
const storedDecision = () => {
  const facts = baselineFacts();
  const { parcels7d: _7, parcels30d: _30, parcels90d: _90, ...consignee } = facts.history.consignee;
  return {
    pk: PARCEL_KEY,
    manifestId: storedItem.manifestId,
    ruleSetId: 'default',
    ruleSetVersion: 'v1',
    score: 60,
    lane: 'review',
    firedRules,
    decidedAt: '2026-11-28T09:00:00.000Z',
    facts: {
      ...facts,
      history: {
        ...facts.history,
        consignee: { ...consignee, shipments7d: 2, shipments30d: 6, shipments90d: 9 },
      },
    },
  };
};

describe('review handler, on items and decisions recorded under the old history fact names', () => {
  const handler = useReviewHandler(db, 'error');

  it('lists them with the consignee history and fired rules values under parcelsNd, as the console reads them', async () => {
    // Prepare
    db.reset();
    db.on(QueryCommand, { TableName: 'review-table' }).resolves({ Items: [storedItem] });
    db.on(BatchGetCommand).resolves({ Responses: { 'decisions-table': [storedDecision()] } });

    // Act
    const response = await handler(listing(), aContext('review'));

    // Assess
    expect(response.statusCode).toBe(200);
    const [item] = JSON.parse(response.body!).items;
    expect(item.consigneeHistory).toMatchObject({ parcels7d: 2, parcels30d: 6, parcels90d: 9 });
    expect(item.consigneeHistory).not.toHaveProperty('shipments30d');
    expect(item.decision.firedRules[0].values).toEqual({ 'history.consignee.parcels30d': 6 });
  });
});
