import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { messageIdsIn } from '../../events/message-ids.js';
import { jitteredBackoffSeconds, type QueueDefinition } from '../../infra/definitions.js';
import type { RetryScheduler } from '../ports/retry-scheduler.js';
import { isAppError } from './errors.js';
import type { Logger } from './logger.js';

/** Processes one record: it fails by throwing, and the record then goes back to its queue. */
export type RecordProcessor = (record: SQSRecord) => Promise<void>;

/**
 * The SQS edge: settles every record of a batch and reports the failed ones as batchItemFailures,
 * so the event source retries only those and, after maxReceiveCount, moves them to the DLQ. A record
 * is never dropped: whatever fails, retryable or not, goes back to the queue. Logs once per failure,
 * with the message's identifiers (messageIdsIn: the contract ids in its body, whether or not the
 * processor could parse it), so an operator can tell whose parcels failed.
 */
export const settleBatch = async (
  event: SQSEvent,
  processRecord: RecordProcessor,
  logger: Logger,
): Promise<SQSBatchResponse> => {
  const results = await Promise.allSettled(event.Records.map((record) => processRecord(record)));
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') return;
    const record = event.Records[index]!;
    const error = result.reason;
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    logger[isAppError(error) && error.retryable ? 'warn' : 'error']('record failed', {
      messageId: record.messageId,
      ...messageIdsIn(record.body),
      receiveCount,
      code: isAppError(error) ? error.code : 'UNEXPECTED',
      retryable: isAppError(error) ? error.retryable : false,
      error,
    });
    batchItemFailures.push({ itemIdentifier: record.messageId });
  });
  return { batchItemFailures };
};

/**
 * A record processor whose failures are put back with a growing, jittered delay (ChangeMessageVisibility,
 * by the queue's backoff and the record's receive count) before they are reported: after the queue's
 * maxReceiveCount the record moves to its DLQ as any other. A delay that cannot be set is logged; the
 * record then comes back after its visibility timeout, and the processing error is still the one reported.
 */
export const withVisibilityBackoff =
  (
    processRecord: RecordProcessor,
    retries: RetryScheduler,
    backoff: NonNullable<QueueDefinition['backoff']>,
    logger: Logger,
    random: () => number = Math.random,
  ) =>
  async (record: SQSRecord): Promise<void> => {
    try {
      await processRecord(record);
    } catch (error) {
      const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1');
      // What the other end asked for (a Retry-After), when longer than the backoff, up to its ceiling.
      const asked = isAppError(error) ? error.details.retryAfterSeconds : undefined;
      const delay = Math.max(
        jitteredBackoffSeconds(backoff, receiveCount, random()),
        typeof asked === 'number' ? Math.min(asked, backoff.maxSeconds) : 0,
      );
      try {
        await retries.retryAfter(record.receiptHandle, delay);
      } catch (backoffError) {
        logger.warn('backoff not set', { messageId: record.messageId, error: backoffError });
      }
      throw error;
    }
  };
