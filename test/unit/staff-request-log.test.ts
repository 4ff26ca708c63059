import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { NotFoundError, UnauthorizedError } from '../../functions/platform/errors.js';
import { makeLogger } from '../../functions/platform/logger.js';
import { problemDetails, staffRequestFields } from '../../functions/platform/middleware/problem-details.js';
import { aContext, anHttpEvent } from '../support/lambda.js';

/** A request on `routeKey`, with the verified claims of `sub` when given, as the gateway hands it over. */
const requestOn = (
  routeKey: string,
  pathParameters: Record<string, string>,
  sub?: string,
): APIGatewayProxyEventV2 => {
  const [method] = routeKey.split(' ');
  const event = anHttpEvent({ method, routeKey });
  return {
    ...event,
    pathParameters,
    requestContext: {
      ...event.requestContext,
      routeKey,
      ...(sub === undefined
        ? {}
        : { authorizer: { jwt: { claims: { sub, token_use: 'id' }, scopes: null } } }),
    },
  } as APIGatewayProxyEventV2;
};

/** The log lines the edge writes for one error on one request. */
const refusalLogged = async (event: APIGatewayProxyEventV2, error: Error) => {
  const lines: Record<string, unknown>[] = [];
  const logger = makeLogger('info', { fn: 'test' }, (line) => lines.push(JSON.parse(line)));
  const request = { event, error, context: aContext(), response: undefined } as never;
  await problemDetails(logger).onError!(request);
  return lines;
};

describe('the log line of a refused request', () => {
  it('names the staff user, method, route, path and status on a staff route', async () => {
    // Act
    const lines = await refusalLogged(
      requestOn(
        'POST /v1/inspections/{partnerId}/{parcelId}/claim',
        { partnerId: 'southwest-freight', parcelId: 'SWF7790000311' },
        'sub-wuzhou',
      ),
      new NotFoundError(
        'no flagged parcel southwest-freight#SWF7790000311 in the review queues of your offices',
      ),
    );

    // Assess: who, what and where, never the detail
    expect(lines).toEqual([
      expect.objectContaining({
        message: 'request refused',
        actor: 'sub-wuzhou',
        method: 'POST',
        route: 'POST /v1/inspections/{partnerId}/{parcelId}/claim',
        path: '/v1/inspections/southwest-freight/SWF7790000311/claim',
        status: 404,
        code: 'NOT_FOUND',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('no flagged parcel');
  });

  it('keeps a path parameter that is no id out of the line: a phone typed where a party key goes', async () => {
    // Act
    const lines = await refusalLogged(
      requestOn('GET /v1/parties/{key}/links', { key: '+86 139 7741 2080' }, 'sub-wuzhou'),
      new NotFoundError('not a party key'),
    );

    // Assess
    expect(lines[0]).toMatchObject({ actor: 'sub-wuzhou', path: '/v1/parties/{key}/links' });
    expect(JSON.stringify(lines)).not.toContain('7741');
  });

  it.each([
    ['a line break and a terminal escape', 'SWF7790000311\n\u001b[2J{"level":"error"}'],
    ['bidirectional formatting', 'SWF\u202e1130000977'],
    ['more than 64 characters', `SWF${'7'.repeat(62)}`],
    ['URL-encoded text', 'Zhang%20Wei%2C%20%2B8613977412080'],
    ['a phone in international form', '+86 139 7741 2080'],
  ])('shows a parcel id with %s as {parcelId}, and none of it', async (_what, parcelId) => {
    // Act
    const lines = await refusalLogged(
      requestOn(
        'POST /v1/inspections/{partnerId}/{parcelId}/claim',
        { partnerId: 'southwest-freight', parcelId },
        'sub-wuzhou',
      ),
      new NotFoundError('the path names no parcel'),
    );

    // Assess
    expect(lines[0]).toMatchObject({ path: '/v1/inspections/southwest-freight/{parcelId}/claim' });
    expect(JSON.stringify(lines)).not.toMatch(/1130000977|7777|Zhang|7741|\\u001b|\\n/);
  });

  it('keeps the query string out of the line: an office box holding a phone, a cursor', async () => {
    // Prepare: the raw path and query as the gateway hands them over, beside the parsed parameters
    const event = requestOn('GET /v1/inspections', {}, 'sub-wuzhou');
    const withQuery = {
      ...event,
      rawPath: '/v1/inspections',
      rawQueryString: 'office=%2B8613977412080&cursor=eyJwYXJjZWxLZXkiOiJ4In0',
      queryStringParameters: { office: '+8613977412080', cursor: 'eyJwYXJjZWxLZXkiOiJ4In0' },
    } as APIGatewayProxyEventV2;

    // Act
    const lines = await refusalLogged(withQuery, new NotFoundError('not an inspection office'));

    // Assess
    expect(lines[0]).toMatchObject({ route: 'GET /v1/inspections', path: '/v1/inspections' });
    expect(lines[0]).not.toHaveProperty('office');
    expect(JSON.stringify(lines)).not.toMatch(/13977412080|eyJwYXJjZWxLZXkiOiJ4In0/);
  });

  it.each([
    ['an email address', 'wei.zhang@wuzhou-customs.example'],
    ['a line break that would start a forged line', 'sub-wuzhou\n{"level":"info","actor":"sub-guangzhou"}'],
    ['bidirectional formatting', 'sub-\u202ezuhzuw'],
    ['more than 64 characters', `sub-${'w'.repeat(61)}`],
  ])('shows a token subject with %s as {sub}, and none of it', async (_what, sub) => {
    // Act
    const lines = await refusalLogged(
      requestOn('GET /v1/inspections', {}, sub),
      new NotFoundError('not an inspection office'),
    );

    // Assess: still a request with a token, of nobody named
    expect(lines[0]).toMatchObject({ actor: '{sub}', route: 'GET /v1/inspections' });
    expect(JSON.stringify(lines)).not.toMatch(/wei\.zhang|guangzhou|zuhzuw|wwww/);
  });

  it('names no user for a request without a verified token, and adds nothing on a partner route', async () => {
    // Act
    const anonymous = await refusalLogged(
      requestOn('GET /v1/inspections', {}),
      new UnauthorizedError('a verified bearer token is required', { challenge: 'Bearer' }),
    );
    const partner = staffRequestFields(requestOn('POST /v1/manifests', {}, 'sub-someone'));

    // Assess
    expect(anonymous[0]).toMatchObject({
      route: 'GET /v1/inspections',
      path: '/v1/inspections',
      status: 401,
    });
    expect(anonymous[0]).not.toHaveProperty('actor');
    expect(partner).toEqual({});
  });
});
