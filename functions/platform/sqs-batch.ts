import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type MessageIds, messageIdsIn } from '../../events/message-ids.js';
import { jitteredBackoffSeconds, type QueueDefinition } from '../../infra/definitions.js';
import type { RetryScheduler } from '../ports/retry-scheduler.js';
import { isAppError } from './errors.js';
import type { Logger } from './logger.js';

/**
 * Processes one record. `identify` is told the message's identifiers once the processor has parsed it,
 * so a later failure is logged with them rather than with the message id alone.
 */
export type RecordProcessor = (record: SQSRecord, identify: (ids: MessageIds) => void) => Promise<void>;

/**
 * The SQS edge: settles every record of a batch and reports the failed ones as batchItemFailures,
 * so the event source retries only those and, after maxReceiveCount, moves them to the DLQ. A record
 * is never dropped: whatever fails, retryable or not, goes back to the queue. Logs once per failure,
 * with the message's identifiers: those its processor named, else those found in its body (messageIdsIn).
 */
export const settleBatch = async (
  event: SQSEvent,
  processRecord: RecordProcessor,
  logger: Logger,
): Promise<SQSBatchResponse> => {
  const identified: (MessageIds | undefined)[] = [];
  const results = await Promise.allSettled(
    event.Records.map((record, index) =>
      processRecord(record, (ids) => {
        identified[index] = ids;
      }),
    ),
  );
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') return;
    const record = event.Records[index]!;
    const error = result.reason;
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    logger[isAppError(error) && error.retryable ? 'warn' : 'error']('record failed', {
      messageId: record.messageId,
      ...(identified[index] ?? messageIdsIn(record.body)),
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
  async (record: SQSRecord, identify: (ids: MessageIds) => void): Promise<void> => {
    try {
      await processRecord(record, identify);
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
