import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { aContext, anHttpEvent } from '../support/lambda.js';

/** The console function as deployed: configured with Cognito managed login and the console's client. */
const SIGN_IN_URL = 'https://parcelguard-yunnan-guangxi-123456789012.auth.ap-east-1.amazoncognito.com';
const ENV = {
  AWS_REGION: 'ap-east-1',
  LOG_LEVEL: 'error',
  CONSOLE_ASSETS_DIR: resolve(import.meta.dirname, '../../functions/console/assets'),
  OFFICES_FILE: resolve(import.meta.dirname, '../../rules/reference/offices.yaml'),
  STAFF_SIGN_IN_URL: SIGN_IN_URL,
  STAFF_CLIENT_ID: '4f1k2example0client0id',
};

let handler: (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

const consoleEvent = (asset?: string): APIGatewayProxyEventV2 => {
  const routeKey = asset === undefined ? 'GET /console' : 'GET /console/{asset}';
  const event = anHttpEvent({ method: 'GET', routeKey, headers: {} });
  return {
    ...event,
    ...(asset === undefined ? {} : { pathParameters: { asset } }),
    requestContext: { ...event.requestContext, routeKey },
  } as APIGatewayProxyEventV2;
};

/** GET /v1/offices with the claims API Gateway's JWT authorizer hands over (payload 2.0). */
const officesEvent = (claims: Record<string, string> | undefined): APIGatewayProxyEventV2 => {
  const routeKey = 'GET /v1/offices';
  const event = anHttpEvent({ method: 'GET', routeKey, headers: {} });
  return {
    ...event,
    rawPath: '/v1/offices',
    requestContext: {
      ...event.requestContext,
      routeKey,
      ...(claims === undefined ? {} : { authorizer: { jwt: { claims, scopes: null } } }),
    },
  } as APIGatewayProxyEventV2;
};

const staffClaims = (groups: string, offices: string): Record<string, string> => ({
  sub: 'sub-1',
  token_use: 'id',
  'cognito:username': 'someone',
  'cognito:groups': groups,
  'custom:offices': offices,
});

const connectSources = (policy: string): string[] =>
  (policy.split(';').find((directive) => directive.trim().startsWith('connect-src')) ?? '')
    .trim()
    .split(/\s+/)
    .slice(1);

describe('console handler with staff sign-in configured', () => {
  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/console/handler.js')) as never);
  });

  it('lets the page call the sign-in domain, that origin exactly, and nothing else new', async () => {
    // Act
    const response = await handler(consoleEvent(), aContext('console'));
    const policy = String(response.headers!['content-security-policy']);

    // Assess
    expect(connectSources(policy)).toEqual(["'self'", SIGN_IN_URL]);
    expect(policy).toContain("form-action 'none'");
    expect(policy).toContain("default-src 'none'");
    expect(policy.match(/amazoncognito/g)).toHaveLength(1);
  });

  it('serves config.json naming the sign-in origin and the client', async () => {
    // Act
    const response = await handler(consoleEvent('config.json'), aContext('console'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers!['content-type']).toBe('application/json');
    expect(JSON.parse(response.body!)).toEqual({
      signIn: { url: SIGN_IN_URL, clientId: ENV.STAFF_CLIENT_ID },
    });
  });

  it.each([
    ['wuzhou', ['wuzhou-customs', 'wuzhou-port-checkpoint']],
    ['wuzhou-customs', ['wuzhou-customs']],
    ['wuzhou,nanning-customs', ['wuzhou-customs', 'wuzhou-port-checkpoint', 'nanning-customs']],
    ['nowhere', []],
  ])('answers GET /v1/offices for grants %s with the inspection offices they cover', async (grants, ids) => {
    // Act
    const response = await handler(officesEvent(staffClaims('[officer]', grants)), aContext('console'));

    // Assess
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body!) as { offices: { id: string; name: string }[] };
    expect(body.offices.map((office) => office.id)).toEqual(ids);
    for (const office of body.offices) expect(office.name).not.toBe('');
  });

  it('names each covered office as the office directory does, for the console to offer by name', async () => {
    // Act
    const response = await handler(officesEvent(staffClaims('[officer]', 'wuzhou')), aContext('console'));

    // Assess
    expect(JSON.parse(response.body!)).toEqual({
      offices: [
        { id: 'wuzhou-customs', name: 'Wuzhou customs office' },
        { id: 'wuzhou-port-checkpoint', name: 'Wuzhou river port checkpoint' },
      ],
    });
  });

  it('covers every inspection office of a region for a grant at the region', async () => {
    // Act
    const response = await handler(
      officesEvent(staffClaims('[analyst]', 'yunnan-guangxi')),
      aContext('console'),
    );

    // Assess
    const ids = (JSON.parse(response.body!) as { offices: { id: string }[] }).offices.map(
      (office) => office.id,
    );
    expect(ids).toEqual(expect.arrayContaining(['wuzhou-customs', 'nanning-customs']));
    expect(ids).not.toContain('wuzhou');
    expect(ids).not.toContain('yunnan-guangxi');
  });

  it('refuses GET /v1/offices without verified claims (401) and to a role outside the route (403)', async () => {
    // Act
    const anonymous = await handler(officesEvent(undefined), aContext('console'));
    const partner = await handler(officesEvent(staffClaims('[partner]', 'wuzhou')), aContext('console'));

    // Assess
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers?.['www-authenticate']).toBe('Bearer realm="parcelguard"');
    expect(partner.statusCode).toBe(403);
  });
});
