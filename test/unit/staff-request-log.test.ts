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

  it('names no user for a request without a verified token, and adds nothing on a partner route', async () => {
    // Act
    const anonymous = await refusalLogged(
      requestOn('GET /v1/inspections', {}),
      new UnauthorizedError('a verified bearer token is required'),
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
