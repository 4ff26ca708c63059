import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { parseInput } from '../../events/input-issues.js';
import { DynamoDbRuleStatistics } from '../adapters/dynamodb-rule-statistics.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { readRuleSetFileIn } from '../adapters/file-rule-set-source.js';
import { outlineRuleSet } from '../core/rules/index.js';
import { getDocumentClient } from '../platform/clients.js';
import { loadConfig, StatisticsConfigSchema } from '../platform/config.js';
import { jsonResponse } from '../platform/http.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails } from '../platform/middleware/problem-details.js';
import { readableRegion } from '../platform/readable-region.js';
import { authorizeStaff } from '../platform/staff-auth.js';
import { makeReadRuleStatistics } from './read-rule-statistics.js';

const config = loadConfig(StatisticsConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'statistics' });
const offices = new FileOfficeDirectory(config.OFFICES_FILE).load();
// The deployed rule set's id, label and rules, read once from its rule-set file alone (its lists, which
// hold watched phones and names in clear, are not bundled with this function), never compiled.
const deployed = outlineRuleSet(readRuleSetFileIn(config.RULES_DIR));
const readRuleStatistics = makeReadRuleStatistics(
  new DynamoDbRuleStatistics(getDocumentClient(), config.RULE_STATISTICS_TABLE),
  deployed,
);

const QuerySchema = z
  .strictObject({
    since: z.iso.date().optional(),
    until: z.iso.date().optional(),
    region: z.string().min(1).optional(),
  })
  .refine((query) => query.since === undefined || query.until === undefined || query.since <= query.until, {
    message: 'until is a day on or after since',
    path: ['until'],
  });

/** GET /v1/rules/statistics for analysts and admins, in a region their office grants lie in. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(problemDetails(logger))
  .handler(async (event) => {
    const { principal } = authorizeStaff(event);
    const query = parseInput(QuerySchema, event.queryStringParameters ?? {}, 'the query');
    const region = readableRegion(offices, principal, query.region);
    return jsonResponse(200, await readRuleStatistics(region, { since: query.since, until: query.until }));
  });
