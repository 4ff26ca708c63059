import type { DeadLetterQueues } from '../ports/dead-letter-queue.js';
import {
  countWaiting,
  type DeadLetter,
  deadLetterOf,
  giveBack,
  oldestFirst,
  receiveEach,
  type WaitingCount,
} from './dead-letters.js';

export interface ListRequest {
  /** The queue whose dead letters are listed. */
  sourceQueueUrl: string;
  /** Lists at most this many messages. */
  max: number;
}

export interface ListReport {
  deadLetterQueueUrl: string;
  /** The messages seen on the DLQ, oldest first; each is there still. */
  messages: DeadLetter[];
  /** The listing stopped at `max`: more may wait on the DLQ. */
  reachedMax: boolean;
  /** Of those listed, the ones whose lease the listing could not give back: hidden for up to LIST_LEASE_SECONDS. */
  leased: number;
  /**
   * What waited on the DLQ in all when the listing started, as SQS counts it (approximately), or why it
   * could not be counted: more than `messages` when the listing stopped at `max`.
   */
  waiting: WaitingCount;
  /** A queue failed midway and the listing stopped: why. What it saw until then is listed. */
  stopped?: string;
  /** The AppError code of the failure that stopped the listing, when it had one. */
  stoppedCode?: string;
}

/**
 * How long a message a listing read stays hidden on the DLQ: long enough for the listing to read every
 * other message (a receive that brought it again would hide one not yet seen), short enough that one
 * whose lease a crashed or interrupted listing never gave back is soon visible again to a redrive.
 */
export const LIST_LEASE_SECONDS = 30;

/**
 * Lists what waits on the source queue's DLQ and moves nothing. SQS has no way to read a message but to
 * receive it, and a receive that leaves it visible (a visibility timeout of 0) may bring the same messages
 * again and again and never the rest: so the listing receives each message with a short lease
 * (LIST_LEASE_SECONDS), which keeps it out of later receives, then ends every lease at once
 * (ChangeMessageVisibility 0, as a redrive gives back what it did not move), so each is visible again
 * on the DLQ as it was. A receive adds one to a message's receive count: harmless on a DLQ, which has no
 * redrive policy of its own (infra/stacks/data-stack.ts), so no count moves it anywhere. While listed,
 * the messages are hidden: a redrive started then skips them, and the DLQ's alarm may read fewer.
 */
export const makeListDeadLetters =
  (queues: DeadLetterQueues) =>
  async (request: ListRequest): Promise<ListReport> => {
    const deadLetterQueueUrl = await queues.deadLetterQueueOf(request.sourceQueueUrl);
    const waiting = await countWaiting(queues, deadLetterQueueUrl);
    const seen = new Map<string, DeadLetter>();
    /** The latest receipt of each message read: the lease to end. */
    const receipts = new Map<string, string>();
    const stop = await receiveEach(
      queues,
      deadLetterQueueUrl,
      { max: request.max, leaseSeconds: LIST_LEASE_SECONDS, run: 'this listing read' },
      (messages) => {
        for (const message of messages) {
          receipts.set(message.id, message.receipt);
          seen.set(message.id, deadLetterOf(message));
        }
      },
    );
    return {
      deadLetterQueueUrl,
      messages: [...seen.values()].sort(oldestFirst),
      reachedMax: seen.size >= request.max,
      leased: await giveBack(queues, deadLetterQueueUrl, [...receipts.values()]),
      waiting,
      ...stop,
    };
  };
