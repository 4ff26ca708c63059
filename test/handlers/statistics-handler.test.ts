import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { aContext, anHttpEvent } from '../support/lambda.js';
import { retiredRow, uncountedRow } from '../support/rule-statistics.js';

const REPO = resolve(import.meta.dirname, '../..');
const ENV = {
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'error',
  RULE_STATISTICS_TABLE: 'statistics-table',
  OFFICES_FILE: resolve(REPO, 'rules/reference/offices.yaml'),
  RULES_DIR: resolve(REPO, 'rules/default'),
};
const ROUTE = 'GET /v1/rules/statistics';
/** The bundled rule set's rule ids, as written: the answer names each of them. */
const DEFAULT_RULE_IDS = (
  parse(readFileSync(resolve(REPO, 'rules/default/rule-set.yaml'), 'utf8')) as { rules: { id: string }[] }
).rules.map((rule) => rule.id);

/** A small rule set with a switched-off rule and a list it names but does not ship (never compiled here). */
const SMALL_RULE_SET = `id: small
label: small-7
description: a rule set for the statistics handler
owner: tests
lists: [not-shipped]
rules:
  - id: zz-switched-off
    title: Switched off
    owner: tests
    severity: low
    enabled: false
    reason: fired
    when: { fact: parcel.route.origin.city, in: { list: not-shipped } }
  - id: aa-on
    title: Switched on
    owner: tests
    severity: low
    reason: fired
    when: { fact: parcel.weightKg, gt: 1 }
lanes:
  bands: [{ from: 0, lane: release }]
`;

const db = mockClient(DynamoDBDocumentClient);
type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

const coldStart = async (env: Record<string, string> = {}): Promise<Handler> => {
  vi.resetModules();
  for (const [key, value] of Object.entries({ ...ENV, ...env })) vi.stubEnv(key, value);
  return ((await import('../../functions/statistics/handler.js')) as unknown as { handler: Handler }).handler;
};

const statisticsEvent = (query: Record<string, string>): APIGatewayProxyEventV2 => {
  const event = anHttpEvent({ method: 'GET', routeKey: ROUTE, headers: {} });
  return {
    ...event,
    rawPath: '/v1/rules/statistics',
    queryStringParameters: query,
    requestContext: {
      ...event.requestContext,
      routeKey: ROUTE,
      authorizer: {
        jwt: {
          claims: {
            sub: 'sub-analyst',
            'cognito:username': 'analyst',
            token_use: 'id',
            'cognito:groups': '[analyst]',
            'custom:offices': 'yunnan-guangxi',
          },
          scopes: null,
        },
      },
    },
  } as APIGatewayProxyEventV2;
};

/** Counter items on shard 0 of the region asked for, none on the others. */
const countersOnShardZero = (items: Record<string, unknown>[]) =>
  db.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({
    Items: input.ExpressionAttributeValues[':p'] === 'yunnan-guangxi#0' ? items : [],
  }));

describe('statistics handler', () => {
  const directories: string[] = [];

  beforeEach(() => {
    db.reset();
  });

  afterAll(() => {
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
    vi.unstubAllEnvs();
  });

  it('answers every rule of the bundled rule set, counted or not, and a retired rule as not in it', async () => {
    // Prepare
    const handler = await coldStart();
    countersOnShardZero([
      { ruleId: 'wooden-goods-hs', hits: 4, inspections: 2, seizures: 1 },
      { ruleId: 'retired-rule', hits: 3, inspections: 0, seizures: 0 },
    ]);
    // Act
    const response = await handler(statisticsEvent({ region: 'yunnan-guangxi' }), aContext('statistics'));
    // Assess
    expect(response.statusCode).toBe(200);
    const answer = JSON.parse(response.body!);
    expect(answer).toMatchObject({
      region: 'yunnan-guangxi',
      since: null,
      until: null,
      ruleSetId: 'default',
      label: '2026.11-1',
    });
    const ids = answer.rules.map((rule: { ruleId: string }) => rule.ruleId);
    expect(ids).toEqual([...DEFAULT_RULE_IDS, 'retired-rule'].sort());
    const row = (id: string) => answer.rules.find((rule: { ruleId: string }) => rule.ruleId === id);
    expect(row('wooden-goods-hs')).toEqual({
      ruleId: 'wooden-goods-hs',
      hits: 4,
      inspections: 2,
      seizures: 1,
      precision: 0.5,
      inspectionRate: 0.5,
      inRuleSet: true,
      title: expect.any(String),
      enabled: true,
    });
    expect(row('new-consignee')).toEqual(uncountedRow('new-consignee', expect.any(String)));
    expect(row('retired-rule')).toEqual(retiredRow('retired-rule', 3));
  });

  it('reads the rule set RULES_DIR names, once, without compiling it: a disabled rule shows as not enabled', async () => {
    // Prepare: a rule set that names a list it does not ship, which compiling would refuse
    const directory = mkdtempSync(join(tmpdir(), 'parcelguard-statistics-'));
    directories.push(directory);
    writeFileSync(join(directory, 'rule-set.yaml'), SMALL_RULE_SET);
    const handler = await coldStart({ RULES_DIR: directory });
    countersOnShardZero([]);
    // Act
    const first = await handler(statisticsEvent({ region: 'yunnan-guangxi' }), aContext('statistics'));
    rmSync(join(directory, 'rule-set.yaml'));
    const second = await handler(
      statisticsEvent({ region: 'yunnan-guangxi', since: '2026-11-01' }),
      aContext('statistics'),
    );
    // Assess
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body!)).toMatchObject({
      ruleSetId: 'small',
      label: 'small-7',
      rules: [
        { ruleId: 'aa-on', title: 'Switched on', enabled: true, inRuleSet: true, hits: 0 },
        { ruleId: 'zz-switched-off', title: 'Switched off', enabled: false, inRuleSet: true, hits: 0 },
      ],
    });
    expect(JSON.parse(second.body!)).toMatchObject({
      since: '2026-11-01',
      ruleSetId: 'small',
      rules: [{ ruleId: 'aa-on' }, { ruleId: 'zz-switched-off' }],
    });
  });

  it('reads only the counters of the days asked for, and names those days in the answer', async () => {
    // Prepare
    const handler = await coldStart();
    countersOnShardZero([]);

    // Act
    const answer = await handler(
      statisticsEvent({ region: 'yunnan-guangxi', since: '2026-11-01', until: '2026-11-15' }),
      aContext('statistics'),
    );

    // Assess
    expect(JSON.parse(answer.body!)).toMatchObject({ since: '2026-11-01', until: '2026-11-15' });
    const queried = db.commandCalls(QueryCommand).map((call) => call.args[0].input.ExpressionAttributeValues);
    expect(queried).not.toHaveLength(0);
    for (const values of queried) {
      expect(values).toMatchObject({
        ':since': 'yunnan-guangxi#2026-11-01',
        ':until': 'yunnan-guangxi#2026-11-15~',
      });
    }
  });

  it.each([
    { why: 'RULES_DIR is not set', env: { RULES_DIR: '' }, refusal: /RULES_DIR/ },
    {
      why: 'RULES_DIR holds no rule set',
      env: { RULES_DIR: resolve(REPO, 'rules/reference') },
      refusal: /no rule-set\.yaml/,
    },
  ])('fails the cold start when $why', async ({ env, refusal }) => {
    // Act
    const started = coldStart(env);
    // Assess
    await expect(started).rejects.toThrow(refusal);
  });
});
