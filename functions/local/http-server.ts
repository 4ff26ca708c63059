import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { pathMatcher } from '../core/routing/path-template.js';
import { invokeWithinDeadline } from './lambda-deadline.js';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's catch-all route key: it gets every request no other route matches. */
export const DEFAULT_ROUTE = '$default';

export interface LocalRoute {
  method: string;
  /** API Gateway route path, e.g. /v1/inspections/{parcelId}/claim, or DEFAULT_ROUTE. */
  path: string;
  handler: HttpHandler;
  context: () => Context;
  /**
   * Plays API Gateway's JWT authorizer for the route: the claims of a valid bearer token, or undefined,
   * which the server answers with 401 itself, without calling the handler.
   */
  authorize?: (authorization: string | undefined) => Promise<Record<string, string> | undefined>;
}

/** Stops reading a body far beyond any limit a handler enforces, as API Gateway's 10 MB cap does. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Lambda's limit on a synchronous invocation's payload, each way: an event larger than this (the body,
 * base64 or not, with the headers and the rest) never reaches the function, and API Gateway answers 413
 * itself; a larger response fails the invocation, and API Gateway answers 500.
 */
export const LAMBDA_MAX_EVENT_BYTES = 6_291_456;

const TOO_LARGE = JSON.stringify({ message: 'Request Entity Too Large' });

/**
 * The media types API Gateway (HTTP API, payload 2.0) hands a function as a UTF-8 string: text/*, and
 * JSON, XML and JavaScript under application/ (e.g. application/json, application/problem+json,
 * application/xml, application/javascript). Every other type, and no content-type, comes base64-encoded.
 */
const isTextMediaType = (contentType: string | undefined): boolean => {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type.startsWith('text/')) return true;
  if (!type.startsWith('application/')) return false;
  const subtype = type.slice('application/'.length);
  return (
    ['json', 'xml', 'javascript', 'ecmascript', 'x-javascript'].includes(subtype) ||
    subtype.endsWith('+json') ||
    subtype.endsWith('+xml')
  );
};

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body as API Gateway puts it in the event: text for a text media type, otherwise base64. */
const eventBody = (
  body: Buffer,
  contentType: string | undefined,
): { body?: string; isBase64Encoded: boolean } => {
  if (body.length === 0) return { isBase64Encoded: false };
  if (isTextMediaType(contentType)) {
    try {
      return { body: STRICT_UTF8.decode(body), isBase64Encoded: false };
    } catch {
      // Invalid UTF-8 under a text type: what AWS does is unverified here, so pass the exact bytes base64.
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
};

/**
 * Headers as API Gateway (payload 2.0) gives them: names in lower case, a repeated header's values
 * joined with commas (every header, content-type and authorization too), and the cookies not among
 * them but in `cookies`, one entry per cookie.
 */
const eventHeaders = (request: IncomingMessage): { headers: Record<string, string>; cookies: string[] } => {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values === undefined) continue;
    if (name === 'cookie') {
      for (const value of values) {
        cookies.push(
          ...value
            .split(';')
            .map((cookie) => cookie.trim())
            .filter((cookie) => cookie !== ''),
        );
      }
      continue;
    }
    headers[name] = values.join(',');
  }
  return { headers, cookies };
};

const readRequestBody = (request: IncomingMessage): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > GATEWAY_MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const toEvent = (
  request: IncomingMessage,
  { headers, cookies }: { headers: Record<string, string>; cookies: string[] },
  url: URL,
  routeKey: string,
  pathParameters: Record<string, string>,
  body: Buffer,
  claims: Record<string, string> | undefined,
): APIGatewayProxyEventV2 => {
  // As API Gateway (payload 2.0) gives them: a repeated parameter's values joined with commas.
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    const before = queryStringParameters[name];
    queryStringParameters[name] = before === undefined ? value : `${before},${value}`;
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      // Where API Gateway's JWT authorizer puts the verified token's claims (payload 2.0).
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...eventBody(body, headers['content-type']),
  } as APIGatewayProxyEventV2;
};

/** Plays API Gateway (HTTP API, payload v2) in front of the same handlers Lambda runs. */
export const startHttpServer = async (
  routes: LocalRoute[],
  port = 0,
): Promise<{ server: Server; url: string }> => {
  const fallback = routes.find((route) => route.path === DEFAULT_ROUTE);
  const compiled = routes
    .filter((route) => route !== fallback)
    .map((route) => ({ ...route, match: pathMatcher(route.path) }));
  const server = createServer(async (request, response) => {
    // Joined, not resolved against a base: `//host/…` is a path to API Gateway, not another host.
    const url = new URL(`http://localhost${request.url ?? '/'}`);
    const send = (status: number, body: string, headers: Record<string, string>) => {
      response.writeHead(status, headers);
      response.end(body);
    };
    // The route template, not the URL: a query string or path may hold what an officer typed (a phone).
    let failedRoute = `${request.method} (no route)`;
    try {
      const candidates = compiled
        .map((route) => ({ route, params: route.match(url.pathname) }))
        .filter((entry) => entry.params !== undefined);
      const found =
        candidates.find((entry) => entry.route.method === request.method) ??
        (fallback ? { route: fallback, params: {} } : undefined);
      if (!found) {
        const status = candidates.length > 0 ? 405 : 404;
        send(status, JSON.stringify({ message: status === 404 ? 'Not Found' : 'Method Not Allowed' }), {
          'content-type': 'application/json',
        });
        return;
      }
      const body = await readRequestBody(request);
      if (body === 'too-large') {
        send(413, TOO_LARGE, { 'content-type': 'application/json' });
        return;
      }
      const requestHeaders = eventHeaders(request);
      let claims: Record<string, string> | undefined;
      if (found.route.authorize) {
        // The joined value, as the authorizer's identity source reads it: two Authorization headers fail.
        claims = await found.route.authorize(requestHeaders.headers.authorization);
        if (!claims) {
          send(401, JSON.stringify({ message: 'Unauthorized' }), {
            'content-type': 'application/json',
            'www-authenticate': 'Bearer',
          });
          return;
        }
      }
      const routeKey = found.route === fallback ? DEFAULT_ROUTE : `${found.route.method} ${found.route.path}`;
      failedRoute = routeKey;
      const event = toEvent(request, requestHeaders, url, routeKey, found.params!, body, claims);
      if (Buffer.byteLength(JSON.stringify(event)) > LAMBDA_MAX_EVENT_BYTES) {
        send(413, TOO_LARGE, { 'content-type': 'application/json' });
        return;
      }
      const context = found.route.context();
      // A handler past its function's timeout fails as in Lambda: API Gateway then answers 500.
      const result = await invokeWithinDeadline(context, () => found.route.handler(event, context));
      // Lambda refuses a response over its payload limit, and API Gateway answers 500 for it.
      const responseBytes = Buffer.byteLength(JSON.stringify(result));
      if (responseBytes > LAMBDA_MAX_EVENT_BYTES)
        throw new Error(`the response of ${responseBytes} bytes is over Lambda's ${LAMBDA_MAX_EVENT_BYTES}`);
      const headers = Object.fromEntries(
        Object.entries(result.headers ?? {}).map(([key, value]) => [key, String(value)]),
      );
      const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      response.writeHead(result.statusCode ?? 200, headers);
      response.end(payload);
    } catch (error) {
      // Lambda logs the failed invocation; API Gateway answers 500 without saying why.
      console.error(`${failedRoute} failed: ${error instanceof Error ? error.message : String(error)}`);
      send(500, JSON.stringify({ message: 'Internal Server Error' }), { 'content-type': 'application/json' });
    }
  });
  // A port in use fails the start, instead of an unhandled 'error' event.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${bound}` };
};
