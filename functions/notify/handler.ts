import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseParcelReferred } from '../../events/parse-message.js';
import { backoffSeconds } from '../../infra/definitions.js';
import { DynamoDbPartnerDirectory } from '../adapters/dynamodb-partner-directory.js';
import { FetchWebhookSender } from '../adapters/fetch-webhook-sender.js';
import { SqsRetryScheduler } from '../adapters/sqs-retry-scheduler.js';
import { systemClock } from '../adapters/system-clock.js';
import { getDocumentClient, getSqsClient } from '../platform/clients.js';
import { loadConfig, NotifyConfigSchema } from '../platform/config.js';
import { makeLogger } from '../platform/logger.js';
import { RUN_TO_LAMBDA_TIMEOUT } from '../platform/middy-options.js';
import { settleBatch } from '../platform/sqs-batch.js';
import { makeDeliverReferral } from './deliver-referral.js';

const config = loadConfig(NotifyConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'notify' });

const deliverReferral = makeDeliverReferral({
  partners: new DynamoDbPartnerDirectory(getDocumentClient(), config.PARTNERS_TABLE, systemClock.now),
  sender: new FetchWebhookSender(config.REFERRAL_TIMEOUT_MS),
  clock: systemClock,
  localReceivers: config.REFERRAL_ALLOW_HTTP,
});
const retries = new SqsRetryScheduler(getSqsClient(), config.REFERRAL_QUEUE_URL);
const backoff = {
  baseSeconds: config.REFERRAL_RETRY_BASE_SECONDS,
  maxSeconds: config.REFERRAL_RETRY_MAX_SECONDS,
};

/**
 * A failed delivery is put back with a growing delay (ChangeMessageVisibility) and reported as a batch
 * item failure; after the queue's maxReceiveCount it moves to the referral DLQ, where it stays visible.
 */
const deliverRecord = async (record: SQSRecord): Promise<void> => {
  try {
    const referral = parseParcelReferred(record.body);
    const result = await deliverReferral(referral);
    logger.info(
      result.delivered ? 'referral delivered' : 'referral not delivered: partner has no callback URL',
      {
        partnerId: referral.partnerId,
        parcelId: referral.parcelId,
      },
    );
  } catch (error) {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
    const delay = backoffSeconds(backoff, receiveCount);
    try {
      await retries.retryAfter(record.receiptHandle, delay);
    } catch (backoffError) {
      // The record is retried all the same, after its visibility timeout; the delivery's error is the news.
      logger.warn('referral backoff not set', { messageId: record.messageId, error: backoffError });
    }
    throw error;
  }
};

/** Referral queue → signed webhooks to partners' callback URLs; failed records reported for retry. */
export const handler = middy<SQSEvent, SQSBatchResponse>(RUN_TO_LAMBDA_TIMEOUT).handler((event) =>
  settleBatch(event, deliverRecord, logger),
);
