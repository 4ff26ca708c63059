import { resolve } from 'node:path';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AwsStub } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, vi } from 'vitest';
import { anHttpEvent } from './lambda.js';

/** The review function's settings in handler tests, its log at `logLevel` (info shows refusals and reads). */
export const reviewEnv = (logLevel: 'info' | 'error') => ({
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: logLevel,
  REVIEW_QUEUE_TABLE: 'review-table',
  DECISIONS_TABLE: 'decisions-table',
  PARTY_HISTORY_TABLE: 'history-table',
  RULE_STATISTICS_TABLE: 'statistics-table',
  AUDIT_LOG_TABLE: 'audit-table',
  OFFICES_FILE: resolve(import.meta.dirname, '../../rules/reference/offices.yaml'),
  SHARING_AGREEMENTS_FILE: resolve(import.meta.dirname, '../../rules/sharing/agreements.yaml'),
  LEASE_MINUTES: '20',
});

type ReviewHandler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * For a describe: the review function's handler, imported once under reviewEnv(logLevel) (it reads its
 * settings at import), with `db` cleared before each test and answering as an empty queue: every write
 * accepted, every query empty.
 */
export const useReviewHandler = (db: AwsStub<any, any, any>, logLevel: 'info' | 'error'): ReviewHandler => {
  let handler: ReviewHandler;
  beforeAll(async () => {
    for (const [key, value] of Object.entries(reviewEnv(logLevel))) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/review/handler.js')) as unknown as {
      handler: ReviewHandler;
    });
  });
  beforeEach(() => {
    db.reset();
    db.on(PutCommand).resolves({});
    db.on(UpdateCommand).resolves({});
    db.on(QueryCommand).resolves({ Items: [] });
  });
  return (event, context) => handler(event, context);
};

export const PARCEL_ROUTE = '/v1/inspections/{partnerId}/{parcelId}';

/** A staff user's ID-token claims, as the JWT authorizer hands them to the function. */
export const staff = (username: string, group: string, offices: string) => ({
  sub: `sub-${username}`,
  'cognito:username': username,
  token_use: 'id',
  'cognito:groups': `[${group}]`,
  'custom:offices': offices,
});

/** A staff request on `routeKey` (its method and path template), as the gateway hands it to the function. */
export const staffEvent = (
  routeKey: string,
  claims: Record<string, string>,
  extra: Partial<APIGatewayProxyEventV2> = {},
): APIGatewayProxyEventV2 => {
  const [method] = routeKey.split(' ');
  const event = anHttpEvent({ method, routeKey, headers: {} });
  return {
    ...event,
    ...extra,
    requestContext: { ...event.requestContext, routeKey, authorizer: { jwt: { claims, scopes: null } } },
  } as APIGatewayProxyEventV2;
};

/** The review queue item of SWF7781000123 at wuzhou-customs as the table stores it. */
export const storedReviewItem = (extra: Record<string, unknown> = {}) => ({
  pk: 'southwest-freight#SWF7781000123',
  parcelKey: 'southwest-freight#SWF7781000123',
  partnerId: 'southwest-freight',
  manifestId: 'SWF-20261127-0041',
  parcelId: 'SWF7781000123',
  region: 'yunnan-guangxi',
  inspectionOffice: 'wuzhou-customs',
  status: 'open',
  score: 92,
  lane: 'hold',
  firedRules: [{ ruleId: 'wooden-goods', title: 't', score: 30, reason: 'wooden furniture', values: {} }],
  ruleSetVersion: 'v1',
  flaggedAt: '2026-11-28T09:00:00.000Z',
  goodsSummary: 'furniture',
  route: 'Ruili → Wuzhou',
  partyKeys: { consignee: 'cn_1', shipper: 'sh_1', phone: 'ph_1', consigneeName: 'nm_1' },
  officeStatus: 'wuzhou-customs#open',
  priority: '0990800#…',
  version: 1,
  ...extra,
});
