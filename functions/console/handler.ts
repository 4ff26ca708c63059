import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConsoleAssets } from '../adapters/file-console-assets.js';
import { ConsoleConfigSchema, loadConfig } from '../platform/config.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails } from '../platform/middleware/problem-details.js';
import { makeServeConsole } from './serve-console.js';

const config = loadConfig(ConsoleConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'console' });
const serveConsole = makeServeConsole(loadConsoleAssets(config.CONSOLE_ASSETS_DIR));

/** GET /console and GET /console/{asset}: the officers' console, static and public (ROUTES `public`). */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(problemDetails(logger))
  .handler(async (event) => serveConsole(event.pathParameters?.asset));
