import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { isAppError } from './errors.js';
import type { Logger } from './logger.js';

/**
 * The SQS edge: settles every record of a batch and reports the failed ones as batchItemFailures,
 * so the event source retries only those and, after maxReceiveCount, moves them to the DLQ. A record
 * is never dropped: whatever fails, retryable or not, goes back to the queue. Logs once per failure.
 */
export const settleBatch = async (
  event: SQSEvent,
  processRecord: (record: SQSRecord) => Promise<void>,
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
      receiveCount,
      code: isAppError(error) ? error.code : 'UNEXPECTED',
      retryable: isAppError(error) ? error.retryable : false,
      error,
    });
    batchItemFailures.push({ itemIdentifier: record.messageId });
  });
  return { batchItemFailures };
};
