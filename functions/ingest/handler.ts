import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DynamoDbManifestStore } from '../adapters/dynamodb-manifest-store.js';
import { DynamoDbParcelStore } from '../adapters/dynamodb-parcel-store.js';
import { DynamoDbPartnerDirectory } from '../adapters/dynamodb-partner-directory.js';
import { DynamoDbRateLimiter } from '../adapters/dynamodb-rate-limiter.js';
import { DynamoDbWebhookDeliveryLog } from '../adapters/dynamodb-webhook-delivery-log.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { SqsMessageQueue } from '../adapters/sqs-message-queue.js';
import { systemClock } from '../adapters/system-clock.js';
import { getDocumentClient, getSqsClient } from '../platform/clients.js';
import { IngestConfigSchema, loadConfig } from '../platform/config.js';
import { header, jsonResponse, readBody, requireJsonContent } from '../platform/http.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails } from '../platform/middleware/problem-details.js';
import { RUN_TO_LAMBDA_TIMEOUT } from '../platform/middy-options.js';
import { makeAcceptManifest } from './accept-manifest.js';

const config = loadConfig(IngestConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'ingest' });
const db = getDocumentClient();

const acceptManifest = makeAcceptManifest({
  partners: new DynamoDbPartnerDirectory(db, config.PARTNERS_TABLE, systemClock.now),
  manifests: new DynamoDbManifestStore(db, config.MANIFESTS_TABLE),
  parcels: new DynamoDbParcelStore(db, config.PARCELS_TABLE),
  screeningQueue: new SqsMessageQueue(getSqsClient(), config.SCREENING_QUEUE_URL),
  deliveries: new DynamoDbWebhookDeliveryLog(db, config.WEBHOOK_DELIVERIES_TABLE),
  rateLimiter: new DynamoDbRateLimiter(
    db,
    config.PARTNER_RATE_LIMITS_TABLE,
    'manifest-posts',
    config.RATE_LIMIT_PER_MINUTE,
  ),
  clock: systemClock,
  offices: new FileOfficeDirectory(config.OFFICES_FILE).load(),
  partyKeySalt: config.PARTY_KEY_SALT,
  signatureToleranceSeconds: config.SIGNATURE_TOLERANCE_SECONDS,
  limits: { maxParcelsPerManifest: config.MAX_PARCELS_PER_MANIFEST, maxJsonDepth: config.MAX_JSON_DEPTH },
});

/** POST /v1/manifests: a partner's signed manifest in, 202 with the receipt out. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(RUN_TO_LAMBDA_TIMEOUT)
  .use(problemDetails(logger))
  .handler(async (event) => {
    requireJsonContent(event);
    const body = readBody(event, config.MAX_BODY_BYTES);
    const receipt = await acceptManifest({
      headers: {
        id: header(event, 'webhook-id'),
        timestamp: header(event, 'webhook-timestamp'),
        signature: header(event, 'webhook-signature'),
      },
      body,
    });
    logger.info('manifest accepted', { partnerId: receipt.partnerId, manifestId: receipt.manifestId });
    return jsonResponse(202, receipt);
  });
