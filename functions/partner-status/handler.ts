import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DynamoDbDecisionStore } from '../adapters/dynamodb-decision-store.js';
import { DynamoDbManifestStore } from '../adapters/dynamodb-manifest-store.js';
import { DynamoDbPartnerDirectory } from '../adapters/dynamodb-partner-directory.js';
import { DynamoDbRateLimiter } from '../adapters/dynamodb-rate-limiter.js';
import { systemClock } from '../adapters/system-clock.js';
import { getDocumentClient } from '../platform/clients.js';
import { loadConfig, PartnerStatusConfigSchema } from '../platform/config.js';
import { NotFoundError } from '../platform/errors.js';
import { header, jsonResponse } from '../platform/http.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails } from '../platform/middleware/problem-details.js';
import { RUN_TO_LAMBDA_TIMEOUT } from '../platform/middy-options.js';
import { makeGetManifestStatus } from './get-manifest-status.js';

const config = loadConfig(PartnerStatusConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'partnerStatus' });
const db = getDocumentClient();

const getManifestStatus = makeGetManifestStatus({
  partners: new DynamoDbPartnerDirectory(db, config.PARTNERS_TABLE, systemClock.now),
  manifests: new DynamoDbManifestStore(db, config.MANIFESTS_TABLE),
  decisions: new DynamoDbDecisionStore(db, config.DECISIONS_TABLE),
  rateLimiter: new DynamoDbRateLimiter(
    db,
    config.PARTNER_RATE_LIMITS_TABLE,
    'status-reads',
    config.STATUS_READS_PER_MINUTE,
  ),
  clock: systemClock,
  signatureToleranceSeconds: config.SIGNATURE_TOLERANCE_SECONDS,
});

/** GET /v1/manifests/{manifestId}: the partner's own manifest, signed with its webhook secret. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(RUN_TO_LAMBDA_TIMEOUT)
  .use(problemDetails(logger))
  .handler(async (event) => {
    const manifestId = event.pathParameters?.manifestId;
    if (!manifestId) throw new NotFoundError('the path names no manifest');
    const status = await getManifestStatus({
      partnerId: header(event, 'partner-id'),
      manifestId,
      headers: {
        id: header(event, 'webhook-id'),
        timestamp: header(event, 'webhook-timestamp'),
        signature: header(event, 'webhook-signature'),
      },
    });
    return jsonResponse(200, status);
  });
