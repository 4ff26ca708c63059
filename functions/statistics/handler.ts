import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { parseInput } from '../../events/input-issues.js';
import { DynamoDbRuleStatistics } from '../adapters/dynamodb-rule-statistics.js';
import { getDocumentClient } from '../platform/clients.js';
import { loadConfig, StatisticsConfigSchema } from '../platform/config.js';
import { jsonResponse } from '../platform/http.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails } from '../platform/middleware/problem-details.js';
import { authorizeStaff } from '../platform/staff-auth.js';
import { makeReadRuleStatistics } from './read-rule-statistics.js';

const config = loadConfig(StatisticsConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'statistics' });
const readRuleStatistics = makeReadRuleStatistics(
  new DynamoDbRuleStatistics(getDocumentClient(), config.RULE_STATISTICS_TABLE),
);

const QuerySchema = z.strictObject({ since: z.iso.date().optional() });

/** GET /v1/rules/statistics for analysts and admins. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(problemDetails(logger))
  .handler(async (event) => {
    authorizeStaff(event);
    const query = parseInput(QuerySchema, event.queryStringParameters ?? {}, 'the query');
    return jsonResponse(200, await readRuleStatistics(query.since));
  });
