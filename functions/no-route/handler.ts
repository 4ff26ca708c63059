import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ROUTES } from '../../infra/definitions.js';
import { methodsServed } from '../core/routing/path-template.js';
import { loadConfig, NoRouteConfigSchema } from '../platform/config.js';
import { MethodNotAllowedError, NotFoundError } from '../platform/errors.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails } from '../platform/middleware/problem-details.js';

const config = loadConfig(NoRouteConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'noRoute' });
const allowedMethods = methodsServed(ROUTES);

/**
 * The API's `$default` route: every request no route matches gets a problem document, `405` with
 * `allow` when the path exists under other methods, `404` otherwise, instead of API Gateway's bare
 * `{"message":"Not Found"}`.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(problemDetails(logger))
  .handler(async (event) => {
    const method = event.requestContext.http.method;
    const path = event.rawPath;
    const allow = allowedMethods(path);
    if (allow.length > 0) throw new MethodNotAllowedError(`${method} is not served at ${path}`, allow);
    throw new NotFoundError(`no route serves ${method} ${path}`);
  });
