import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ROUTES } from '../../infra/definitions.js';
import { methodsServed } from '../core/routing/path-template.js';
import { loadConfig, NoRouteConfigSchema } from '../platform/config.js';
import { MethodNotAllowedError, NotFoundError } from '../platform/errors.js';
import { RESPONSE_HEADERS } from '../platform/http.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails } from '../platform/middleware/problem-details.js';
import { type ProblemType, problemTypeAt } from '../platform/problem-types.js';

const config = loadConfig(NoRouteConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'noRoute' });
const allowedMethods = methodsServed(ROUTES);

/** What `GET /problems/{type}` answers: the description a problem document's `type` points at. */
const describe = (type: ProblemType, path: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...RESPONSE_HEADERS },
  body:
    `${type.status} ${type.title} (${path}, code ${type.code})\n\n` +
    `Answered when ${type.when}.\n\n` +
    'Every problem document (application/problem+json) carries type, title, status, detail, instance and code.\n',
});

/**
 * The API's `$default` route: every request no route matches gets a problem document, `405` with
 * `allow` when the path exists under other methods, `404` otherwise, instead of API Gateway's bare
 * `{"message":"Not Found"}`. A problem type's path (`GET /problems/validation-failed`) gets its description.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(problemDetails(logger))
  .handler(async (event) => {
    const method = event.requestContext.http.method;
    const path = event.rawPath;
    const problemType = problemTypeAt(path);
    if (problemType !== undefined) {
      if (method === 'GET') return describe(problemType, path);
      // A link checker asks with HEAD: the same answer, without its body.
      if (method === 'HEAD') return { ...describe(problemType, path), body: '' };
      throw new MethodNotAllowedError(`${method} is not served at ${path}`, ['GET', 'HEAD']);
    }
    const allow = allowedMethods(path);
    if (allow.length > 0) throw new MethodNotAllowedError(`${method} is not served at ${path}`, allow);
    throw new NotFoundError(`no route serves ${method} ${path}`);
  });
