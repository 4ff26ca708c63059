import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConsoleAssets } from '../adapters/file-console-assets.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { ConsoleConfigSchema, loadConfig } from '../platform/config.js';
import { jsonResponse } from '../platform/http.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails } from '../platform/middleware/problem-details.js';
import { authorizeStaff } from '../platform/staff-auth.js';
import { makeListOffices } from './list-offices.js';
import { makeServeConsole } from './serve-console.js';

const config = loadConfig(ConsoleConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'console' });
const serveConsole = makeServeConsole(
  loadConsoleAssets(config.CONSOLE_ASSETS_DIR),
  config.STAFF_SIGN_IN_URL === undefined || config.STAFF_CLIENT_ID === undefined
    ? undefined
    : { url: config.STAFF_SIGN_IN_URL, clientId: config.STAFF_CLIENT_ID },
);
const listOffices = makeListOffices(new FileOfficeDirectory(config.OFFICES_FILE).load());

/** The staff route this function serves beside the console's public files (ROUTES in infra/definitions.ts). */
const OFFICES_ROUTE = 'GET /v1/offices';

/**
 * GET /console and GET /console/{asset}: the officers' console, static and public (ROUTES `public`).
 * GET /v1/offices: the inspection offices the caller's grants cover (a staff route, token verified by the
 * gateway, roles checked here).
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(problemDetails(logger))
  .handler(async (event) => {
    if (event.routeKey === OFFICES_ROUTE) {
      const { principal } = authorizeStaff(event);
      return jsonResponse(200, listOffices(principal));
    }
    return serveConsole(event.pathParameters?.asset);
  });
