import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { parseInput } from '../../events/input-issues.js';
import { DynamoDbPartyHistory } from '../adapters/dynamodb-party-history.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { systemClock } from '../adapters/system-clock.js';
import { getDocumentClient } from '../platform/clients.js';
import { loadConfig, PartiesConfigSchema } from '../platform/config.js';
import { jsonResponse } from '../platform/http.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails } from '../platform/middleware/problem-details.js';
import { readableRegion } from '../platform/readable-region.js';
import { authorizeStaff } from '../platform/staff-auth.js';
import { makeGetPartyLinks } from './party-links.js';

const config = loadConfig(PartiesConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'parties' });
const offices = new FileOfficeDirectory(config.OFFICES_FILE).load();
const getPartyLinks = makeGetPartyLinks({
  history: new DynamoDbPartyHistory(getDocumentClient(), config.PARTY_HISTORY_TABLE),
  clock: systemClock,
  limits: { maxNodes: config.LINKS_MAX_NODES, maxLinksPerNode: config.LINKS_MAX_PER_NODE },
});

const QuerySchema = z.strictObject({ region: z.string().min(1).optional() });

/** GET /v1/parties/{key}/links for analysts and officers, in a region their office grants lie in. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(problemDetails(logger))
  .handler(async (event) => {
    const { principal } = authorizeStaff(event);
    const query = parseInput(QuerySchema, event.queryStringParameters ?? {}, 'the query');
    const region = readableRegion(offices, principal, query.region);
    return jsonResponse(200, await getPartyLinks(event.pathParameters?.key ?? '', region));
  });
