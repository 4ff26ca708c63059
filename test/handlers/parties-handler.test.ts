import { resolve } from 'node:path';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashIndicator } from '../../functions/core/parties/party-keys.js';
import { aContext, anHttpEvent } from '../support/lambda.js';

const ENV = {
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'error',
  PARTY_HISTORY_TABLE: 'history-table',
  OFFICES_FILE: resolve(import.meta.dirname, '../../rules/reference/offices.yaml'),
  LINKS_MAX_NODES: '10',
  LINKS_MAX_PER_NODE: '5',
};
const ROUTE = 'GET /v1/parties/{key}/links';
const PHONE = hashIndicator('phone', '+8613900000001', 'handler-test-salt-0001');
const CONSIGNEE = hashIndicator('consignee', '+8613900000001', 'handler-test-salt-0001');
const NAME = hashIndicator('name', '张伟', 'handler-test-salt-0001');

const db = mockClient(DynamoDBDocumentClient);
let handler: (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

const staff = (group: string, offices: string) => ({
  sub: `sub-${group}`,
  'cognito:username': group,
  token_use: 'id',
  'cognito:groups': `[${group}]`,
  'custom:offices': offices,
});

const linksEvent = (
  claims: Record<string, string> | undefined,
  key: string,
  query?: Record<string, string>,
): APIGatewayProxyEventV2 => {
  const event = anHttpEvent({ method: 'GET', routeKey: ROUTE, headers: {} });
  return {
    ...event,
    rawPath: `/v1/parties/${key}/links`,
    pathParameters: { key },
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      ...event.requestContext,
      routeKey: ROUTE,
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
  } as APIGatewayProxyEventV2;
};

/** One phone seen today with one consignee (and a name, never returned), in `region` only. */
const historyOf = (region: string) => {
  const today = new Date().toISOString().slice(0, 10);
  const items = [
    {
      pk: `H#${region}#${PHONE}`,
      sk: 'PROFILE',
      firstSeen: `${today}T00:00:00.000Z`,
      days: new Set([today]),
    },
    {
      pk: `H#${region}#${PHONE}`,
      sk: `D#${today}`,
      shipments: 2,
      flags: 1,
      links: new Set([CONSIGNEE, NAME]),
    },
    {
      pk: `H#${region}#${CONSIGNEE}`,
      sk: 'PROFILE',
      firstSeen: `${today}T00:00:00.000Z`,
      days: new Set([today]),
    },
    {
      pk: `H#${region}#${CONSIGNEE}`,
      sk: `D#${today}`,
      shipments: 2,
      flags: 1,
      links: new Set([PHONE, NAME]),
    },
  ];
  return (input: { RequestItems: Record<string, { Keys: { pk: string; sk: string }[] }> }) => {
    const keys = input.RequestItems['history-table']!.Keys;
    return {
      Responses: {
        'history-table': items.filter((item) => keys.some((key) => key.pk === item.pk && key.sk === item.sk)),
      },
    };
  };
};

describe('parties handler', () => {
  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/parties/handler.js')) as never);
  });

  beforeEach(() => {
    db.reset();
  });

  it.each([
    {
      who: 'an officer of wuzhou-customs, no region named',
      claims: staff('officer', 'wuzhou-customs'),
      query: undefined,
      region: 'yunnan-guangxi',
    },
    {
      who: 'an analyst naming guangdong',
      claims: staff('analyst', 'yunnan-guangxi,guangdong'),
      query: { region: 'guangdong' },
      region: 'guangdong',
    },
  ])('answers $who with the neighbourhood in $region', async ({ claims, query, region }) => {
    // Prepare
    db.on(BatchGetCommand).callsFake(historyOf(region));

    // Act
    const response = await handler(linksEvent(claims, PHONE, query), aContext('parties'));

    // Assess
    expect(response.statusCode).toBe(200);
    const graph = JSON.parse(response.body!);
    expect(graph).toMatchObject({ root: PHONE, region, truncated: false });
    expect(graph.nodes).toEqual([
      { key: PHONE, kind: 'phone', hop: 0, parcels90d: 2, flags: 1, inspections: 0, seizures: 0 },
      { key: CONSIGNEE, kind: 'consignee', hop: 1, parcels90d: 2, flags: 1, inspections: 0, seizures: 0 },
    ]);
    expect(graph.edges).toEqual([{ from: PHONE, to: CONSIGNEE }]);
    const requested = db
      .commandCalls(BatchGetCommand)
      .flatMap((call) => call.args[0].input.RequestItems!['history-table']!.Keys!)
      .map((key) => String(key.pk));
    expect(requested.every((pk) => pk.startsWith(`H#${region}#`))).toBe(true);
  });

  it('answers within the configured limits: 5 links a node, 10 nodes, and says it was truncated', async () => {
    // Prepare: the phone seen with 8 consignees, each at 8 addresses of its own
    const salt = 'handler-test-salt-0001';
    const today = new Date().toISOString().slice(0, 10);
    const consignees = Array.from({ length: 8 }, (_, i) => hashIndicator('consignee', `c${i}`, salt));
    const addressesOf = (i: number) =>
      Array.from({ length: 8 }, (_, j) => hashIndicator('address', `a${i}-${j}`, salt));
    const seen = (key: string, links: string[]) => [
      {
        pk: `H#yunnan-guangxi#${key}`,
        sk: 'PROFILE',
        firstSeen: `${today}T00:00:00.000Z`,
        days: new Set([today]),
      },
      { pk: `H#yunnan-guangxi#${key}`, sk: `D#${today}`, shipments: 8, flags: 0, links: new Set(links) },
    ];
    const items = [
      ...seen(PHONE, consignees),
      ...consignees.flatMap((key, i) => seen(key, [PHONE, ...addressesOf(i)])),
    ];
    db.on(BatchGetCommand).callsFake(
      (input: { RequestItems: Record<string, { Keys: { pk: string; sk: string }[] }> }) => {
        const keys = input.RequestItems['history-table']!.Keys;
        return {
          Responses: {
            'history-table': items.filter((item) =>
              keys.some((key) => key.pk === item.pk && key.sk === item.sk),
            ),
          },
        };
      },
    );

    // Act
    const response = await handler(
      linksEvent(staff('officer', 'wuzhou-customs'), PHONE),
      aContext('parties'),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    const graph = JSON.parse(response.body!) as { nodes: { hop: number }[]; truncated: boolean };
    expect(graph.nodes).toHaveLength(10);
    expect(graph.nodes.filter((node) => node.hop === 1)).toHaveLength(5);
    expect(graph.truncated).toBe(true);
  });

  it.each([
    {
      why: 'an officer names another region',
      claims: staff('officer', 'wuzhou-customs'),
      key: PHONE,
      query: { region: 'guangdong' },
      status: 403,
      code: 'FORBIDDEN',
    },
    {
      why: 'an admin is not an analyst or officer',
      claims: staff('admin', 'yunnan-guangxi'),
      key: PHONE,
      query: undefined,
      status: 403,
      code: 'FORBIDDEN',
    },
    {
      why: 'an analyst of two regions names none',
      claims: staff('analyst', 'yunnan-guangxi,guangdong'),
      key: PHONE,
      query: undefined,
      status: 422,
      code: 'VALIDATION_FAILED',
    },
    {
      why: 'the key is a name key',
      claims: staff('officer', 'wuzhou-customs'),
      key: NAME,
      query: undefined,
      status: 422,
      code: 'VALIDATION_FAILED',
    },
    {
      why: 'the key is not a party key',
      claims: staff('officer', 'wuzhou-customs'),
      key: '13900000001',
      query: undefined,
      status: 422,
      code: 'VALIDATION_FAILED',
    },
    {
      why: 'the query has an unknown parameter',
      claims: staff('officer', 'wuzhou-customs'),
      key: PHONE,
      query: { depth: '3' } as Record<string, string>,
      status: 422,
      code: 'VALIDATION_FAILED',
    },
    {
      why: 'the region parameter is empty',
      claims: staff('officer', 'wuzhou-customs'),
      key: PHONE,
      query: { region: '' },
      status: 422,
      code: 'VALIDATION_FAILED',
    },
    {
      why: 'the request carries no verified token',
      claims: undefined,
      key: PHONE,
      query: undefined,
      status: 401,
      code: 'UNAUTHORIZED',
    },
  ])('refuses with $status when $why, reading nothing', async ({ claims, key, query, status, code }) => {
    // Act
    const response = await handler(linksEvent(claims, key, query), aContext('parties'));

    // Assess
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body!)).toMatchObject({ code });
    expect(db.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
  it('names the region asked for that the access does not cover', async () => {
    // Act
    const response = await handler(
      linksEvent(staff('officer', 'wuzhou-customs'), PHONE, { region: 'guangdong' }),
      aContext('parties'),
    );

    // Assess
    expect(JSON.parse(response.body!)).toMatchObject({
      status: 403,
      detail: 'your access does not cover region guangdong',
    });
  });

  it('refuses with 403 a reader whose grants lie in no region', async () => {
    // Act
    const response = await handler(linksEvent(staff('officer', 'nowhere'), PHONE), aContext('parties'));

    // Assess
    expect(JSON.parse(response.body!)).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      detail: 'your access covers no region',
    });
    expect(db.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('asks a reader of several regions to name one, listing the regions to choose from', async () => {
    // Act
    const response = await handler(
      linksEvent(staff('analyst', 'yunnan-guangxi,guangdong'), PHONE),
      aContext('parties'),
    );

    // Assess
    expect(JSON.parse(response.body!)).toMatchObject({
      status: 422,
      detail: 'name the region to read',
      errors: [{ path: 'region', message: 'your access covers several regions: guangdong, yunnan-guangxi' }],
    });
  });
});
