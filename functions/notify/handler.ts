import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseParcelReferred } from '../../events/parse-message.js';
import { DynamoDbPartnerDirectory } from '../adapters/dynamodb-partner-directory.js';
import { HttpWebhookSender } from '../adapters/http-webhook-sender.js';
import { SqsRetryScheduler } from '../adapters/sqs-retry-scheduler.js';
import { systemClock } from '../adapters/system-clock.js';
import { getDocumentClient, getSqsClient } from '../platform/clients.js';
import { loadConfig, NotifyConfigSchema } from '../platform/config.js';
import { makeLogger } from '../platform/logger.js';
import { RUN_TO_LAMBDA_TIMEOUT } from '../platform/middy-options.js';
import { type RecordProcessor, settleBatch, withVisibilityBackoff } from '../platform/sqs-batch.js';
import { makeDeliverReferral } from './deliver-referral.js';

const config = loadConfig(NotifyConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'notify' });

const localReceivers = config.REFERRAL_ALLOW_HTTP;
const deliverReferral = makeDeliverReferral({
  partners: new DynamoDbPartnerDirectory(getDocumentClient(), config.PARTNERS_TABLE, systemClock.now),
  sender: new HttpWebhookSender({ timeoutMs: config.REFERRAL_TIMEOUT_MS, localReceivers }),
  clock: systemClock,
  localReceivers,
});
const retries = new SqsRetryScheduler(getSqsClient(), config.REFERRAL_QUEUE_URL);
const backoff = {
  baseSeconds: config.REFERRAL_RETRY_BASE_SECONDS,
  maxSeconds: config.REFERRAL_RETRY_MAX_SECONDS,
};

/** Delivers one referral; a failed delivery is backed off (withVisibilityBackoff) and retried. */
const deliverRecord: RecordProcessor = async (record) => {
  const referral = parseParcelReferred(record.body);
  const about = {
    partnerId: referral.partnerId,
    manifestId: referral.manifestId,
    parcelId: referral.parcelId,
    referralId: referral.referralId,
  };
  const result = await deliverReferral(referral);
  if (result.delivered) logger.info('referral delivered', about);
  else if (result.reason === 'no-callback')
    logger.info('referral not delivered: partner has no callback URL', about);
  else logger.warn('referral not delivered: no such partner', about);
};

/** Referral queue → signed webhooks to partners' callback URLs; failed records reported for retry. */
export const handler = middy<SQSEvent, SQSBatchResponse>(RUN_TO_LAMBDA_TIMEOUT).handler((event) =>
  settleBatch(event, withVisibilityBackoff(deliverRecord, retries, backoff, logger), logger),
);
