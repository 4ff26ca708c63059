import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { aContext, anHttpEvent } from '../support/lambda.js';

let handler: (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

/** A request API Gateway routed to `$default`: no route matched its method and path. */
const unrouted = (method: string, path: string): APIGatewayProxyEventV2 => {
  const event = anHttpEvent({ method, routeKey: '$default' });
  return {
    ...event,
    rawPath: path,
    requestContext: {
      ...event.requestContext,
      routeKey: '$default',
      http: { ...event.requestContext.http, method, path },
    },
  } as APIGatewayProxyEventV2;
};

describe('noRoute handler ($default)', () => {
  beforeAll(async () => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('LOG_LEVEL', 'error');
    ({ handler } = (await import('../../functions/no-route/handler.js')) as never);
  });

  it.each([
    ['an unknown path', 'GET', '/v1/nothing', 404, undefined, /no route serves GET \/v1\/nothing/],
    [
      'a known path under another method',
      'GET',
      '/v1/manifests',
      405,
      'POST',
      /GET is not served at \/v1\/manifests/,
    ],
    [
      'a parcel path under a method it lacks',
      'DELETE',
      '/v1/inspections/southwest-freight/SWF7781000123/claim',
      405,
      'POST',
      /DELETE is not served/,
    ],
  ])('answers %s with a problem document', async (_name, method, path, status, allow, detail) => {
    // Act
    const response = await handler(unrouted(method, path), aContext('noRoute'));

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.headers?.allow).toBe(allow);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({
      status,
      detail: expect.stringMatching(detail),
    });
  });

  it("describes a problem type at its path, so a problem document's type resolves", async () => {
    // Act
    const response = await handler(unrouted('GET', '/problems/validation-failed'), aContext('noRoute'));
    const posted = await handler(unrouted('POST', '/problems/validation-failed'), aContext('noRoute'));
    const headed = await handler(unrouted('HEAD', '/problems/validation-failed'), aContext('noRoute'));
    const unknown = await handler(unrouted('GET', '/problems/nothing-like-it'), aContext('noRoute'));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toContain(
      '422 Validation failed (/problems/validation-failed, code VALIDATION_FAILED)',
    );
    expect(response.body).toContain('Answered when the manifest breaks the contract');
    expect(posted.statusCode).toBe(405);
    expect(posted.headers?.allow).toBe('GET, HEAD');
    expect(headed).toMatchObject({ statusCode: 200, headers: response.headers, body: '' });
    expect(unknown.statusCode).toBe(404);
  });
});
