import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { AppError, DependencyError } from '../platform/errors.js';
import { awsCall } from './aws-errors.js';

/** SQS limits one batch to 10 entries and 256 KiB in all (the message size limit we plan for). */
export const SQS_MAX_BATCH_ENTRIES = 10;
export const SQS_MAX_BATCH_BYTES = 262_144;
const ATTEMPTS = 3;

/** The wait before attempt `attempt + 1`: 50 ms, then doubling, never over 400 ms. */
export const resendDelayMs = (attempt: number): number => Math.min(50 * 2 ** (attempt - 1), 400);

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Groups items, in order, into batches SendMessageBatch accepts: at most SQS_MAX_BATCH_ENTRIES and
 * SQS_MAX_BATCH_BYTES as `sizeOf` counts them; an item larger than that on its own goes alone.
 */
export const groupIntoBatches = <T>(items: readonly T[], sizeOf: (item: T) => number): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (
      current.length === SQS_MAX_BATCH_ENTRIES ||
      (current.length > 0 && bytes + size > SQS_MAX_BATCH_BYTES)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

/**
 * Sends every body, in as few SendMessageBatch calls as the limits allow, retrying the entries a
 * batch reports as failed after a short wait (`resendDelayMs`, through `sleep`); resolves only when all
 * are on the queue, otherwise throws a retryable error. An entry SQS refuses for good (`SenderFault`:
 * too large, malformed) is not sent again: it fails the call at once, non-retryable, naming the entry
 * and SQS's code.
 */
export const sendAllMessages = async (
  sqs: SQSClient,
  queueUrl: string,
  bodies: string[],
  sleep: (ms: number) => Promise<void> = wait,
): Promise<void> => {
  for (const batch of groupIntoBatches(bodies, (body) => Buffer.byteLength(body))) {
    let pending: SendMessageBatchRequestEntry[] = batch.map((MessageBody, index) => ({
      Id: `m${index}`,
      MessageBody,
    }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const entries = pending;
      const result = await awsCall('SQS SendMessageBatch', () =>
        sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })),
      );
      const refused = (result.Failed ?? []).filter((entry) => entry.SenderFault === true);
      if (refused.length > 0) {
        const named = refused.map((entry) => `${entry.Id} (${entry.Code})`).join(', ');
        throw new AppError('AWS_REQUEST_REJECTED', `SQS SendMessageBatch refused for good: ${named}`, {
          details: { entries: refused.map((entry) => ({ id: entry.Id, code: entry.Code })) },
        });
      }
      const failed = new Set((result.Failed ?? []).map((entry) => entry.Id));
      pending = entries.filter((entry) => failed.has(entry.Id));
      if (pending.length > 0) {
        if (attempt >= ATTEMPTS)
          throw new DependencyError(`SQS refused ${pending.length} message(s) after ${ATTEMPTS} attempts`);
        await sleep(resendDelayMs(attempt));
      }
    }
  }
};
