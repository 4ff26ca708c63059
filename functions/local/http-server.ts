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
  url: URL,
  routeKey: string,
  pathParameters: Record<string, string>,
  body: Buffer,
  claims: Record<string, string> | undefined,
): APIGatewayProxyEventV2 => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
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
    body: body.length > 0 ? body.toString('base64') : undefined,
    isBase64Encoded: body.length > 0,
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
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, body: string, headers: Record<string, string>) => {
      response.writeHead(status, headers);
      response.end(body);
    };
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
        send(413, JSON.stringify({ message: 'Request Entity Too Large' }), {
          'content-type': 'application/json',
        });
        return;
      }
      let claims: Record<string, string> | undefined;
      if (found.route.authorize) {
        claims = await found.route.authorize(request.headers.authorization);
        if (!claims) {
          send(401, JSON.stringify({ message: 'Unauthorized' }), {
            'content-type': 'application/json',
            'www-authenticate': 'Bearer',
          });
          return;
        }
      }
      const routeKey = found.route === fallback ? DEFAULT_ROUTE : `${found.route.method} ${found.route.path}`;
      const event = toEvent(request, url, routeKey, found.params!, body, claims);
      const context = found.route.context();
      // A handler past its function's timeout fails as in Lambda: API Gateway then answers 500.
      const result = await invokeWithinDeadline(context, () => found.route.handler(event, context));
      const headers = Object.fromEntries(
        Object.entries(result.headers ?? {}).map(([key, value]) => [key, String(value)]),
      );
      const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      response.writeHead(result.statusCode ?? 200, headers);
      response.end(payload);
    } catch {
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
