import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { aContext, anHttpEvent } from '../support/lambda.js';

const ASSETS_DIR = resolve(import.meta.dirname, '../../functions/console/assets');
const ENV = {
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'error',
  CONSOLE_ASSETS_DIR: ASSETS_DIR,
  OFFICES_FILE: resolve(import.meta.dirname, '../../rules/reference/offices.yaml'),
};

let handler: (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

/** A request through the public console routes, as API Gateway hands it over. */
const consoleEvent = (asset?: string): APIGatewayProxyEventV2 => {
  const routeKey = asset === undefined ? 'GET /console' : 'GET /console/{asset}';
  const event = anHttpEvent({ method: 'GET', routeKey, headers: {} });
  return {
    ...event,
    rawPath: asset === undefined ? '/console' : `/console/${asset}`,
    ...(asset === undefined ? {} : { pathParameters: { asset } }),
    requestContext: { ...event.requestContext, routeKey },
  } as APIGatewayProxyEventV2;
};

const directives = (policy: string): Map<string, string> =>
  new Map(
    policy.split(';').map((directive) => {
      const [name = '', ...values] = directive.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );

describe('console handler', () => {
  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/console/handler.js')) as never);
  });

  it('serves the page as HTML under a policy that allows only its own script, styles and API', async () => {
    // Act
    const response = await handler(consoleEvent(), aContext('console'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    const policy = directives(String(response.headers!['content-security-policy']));
    expect(Object.fromEntries(policy)).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self'",
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(response.body).toBe(readFileSync(resolve(ASSETS_DIR, 'index.html'), 'utf8'));
  });

  it('gives the page nothing the policy would block: no inline script or style, nothing from elsewhere', async () => {
    // Act
    const page = (await handler(consoleEvent(), aContext('console'))).body!;

    // Assess
    expect(page).toContain('<script type="module" src="console/app.js"></script>');
    expect(page).toContain('<link rel="stylesheet" href="console/app.css" />');
    expect(page.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="console/app.js">']);
    expect(page).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|https?:\/\//i);
  });

  it.each([
    ['app.js', 'text/javascript; charset=utf-8'],
    ['app.css', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
  ])('serves %s as %s under the same policy', async (asset, contentType) => {
    // Act
    const response = await handler(consoleEvent(asset), aContext('console'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': contentType,
      'x-content-type-options': 'nosniff',
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      // Revalidated at every load: a deployment changes the files under the same names.
      'cache-control': 'no-cache',
    });
    expect(response.body).toBe(readFileSync(resolve(ASSETS_DIR, asset), 'utf8'));
  });

  it.each(['nope.js', 'index.html', '../handler.ts', 'APP.JS'])(
    'answers 404 problem+json for the unknown asset %s',
    async (asset) => {
      // Act
      const response = await handler(consoleEvent(asset), aContext('console'));

      // Assess
      expect(response.statusCode).toBe(404);
      expect(response.headers!['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body!)).toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
        detail: `the console has no file ${asset}`,
      });
    },
  );

  it('serves config.json without a sign-in service when none is configured (a pasted token)', async () => {
    // Act
    const response = await handler(consoleEvent('config.json'), aContext('console'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({ signIn: null });
    expect(response.headers!['content-security-policy']).toContain("connect-src 'self';");
  });

  it('writes API data into the page as text only, never as markup or code', () => {
    // Prepare
    const script = readFileSync(resolve(ASSETS_DIR, 'app.js'), 'utf8');

    // Assess
    expect(script).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/,
    );
    expect(script).not.toMatch(/localStorage|document\.cookie/);
    expect(script).toContain('sessionStorage.setItem(TOKEN_KEY, token)');
  });
});
