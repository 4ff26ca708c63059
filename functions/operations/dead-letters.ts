import { type MessageIds, messageIdsIn } from '../../events/message-ids.js';
import { AppError } from '../platform/errors.js';
import type { DeadLetterQueues, LeasedMessage, Waiting } from '../ports/dead-letter-queue.js';

/**
 * What an operator is shown of a dead letter: when it was first sent, how often it was received, its
 * contract ids (messageIdsIn) and its SQS MessageId (the one screen's and notify's `record failed` lines
 * name). Never its body: names, phones and addresses stay in the queue.
 */
export interface DeadLetter extends MessageIds {
  /** When it was first sent to its source queue (ISO 8601), when SQS said: it expires 14 days after. */
  sentAt?: string;
  /** Its receives so far as SQS counts them, the one that read it here included, when SQS said. */
  receiveCount?: number;
  messageId: string;
}

export const deadLetterOf = (message: LeasedMessage): DeadLetter => ({
  ...(message.sentAt === undefined ? {} : { sentAt: new Date(message.sentAt).toISOString() }),
  ...(message.receiveCount === undefined ? {} : { receiveCount: message.receiveCount }),
  ...messageIdsIn(message.body),
  messageId: message.id,
});

/** Text in UTF-16 code unit order, the same in every locale (localeCompare is not). */
const byCodeUnits = (a: string, b: string): number => {
  if (a < b) return -1;
  return a > b ? 1 : 0;
};

/**
 * Oldest first; one SQS gave no time for after those it did; then by message id. ISO 8601 UTC times
 * sort as text.
 */
export const oldestFirst = (a: DeadLetter, b: DeadLetter): number =>
  byCodeUnits(a.sentAt ?? '\uffff', b.sentAt ?? '\uffff') || byCodeUnits(a.messageId, b.messageId);

/** Why a run over a DLQ stopped before its end, when it did. */
export interface Stopped {
  /** A queue failed midway, or receives kept bringing what the run had: why. */
  stopped?: string;
  /** The AppError code of the failure that stopped the run, when it had one (DEPENDENCY_UNAVAILABLE…). */
  stoppedCode?: string;
}

/** Receives in a row that bring only messages the run took already, after which it stops and says so. */
const MAX_REPEATED_RECEIVES = 3;

/**
 * Receives from a DLQ, at most ten at a time with a lease of `leaseSeconds`, and hands each receive to
 * `take` with those of its messages the run had not taken before (`fresh`). Ends when the run has taken
 * `max` messages or a receive brings nothing. A receive may bring again a message whose lease ran out
 * during the run, and fresh ones may wait behind those (a receive of a small queue can answer with part
 * of it): so a receive that brings only messages taken already is tried again, and after
 * MAX_REPEATED_RECEIVES of them in a row the run stops and says more may wait (`run` names the run in
 * that message). A failure of a queue or of `take` stops it too; either way it returns why.
 */
export const receiveEach = async (
  queues: DeadLetterQueues,
  deadLetterQueueUrl: string,
  {
    max,
    leaseSeconds,
    run,
  }: { max: number; leaseSeconds: number; run: 'this run took' | 'this listing read' },
  take: (messages: LeasedMessage[], fresh: LeasedMessage[]) => Promise<void> | void,
): Promise<Stopped> => {
  const taken = new Set<string>();
  let repeats = 0;
  try {
    while (taken.size < max) {
      const messages = await queues.receive(deadLetterQueueUrl, Math.min(10, max - taken.size), leaseSeconds);
      if (messages.length === 0) break;
      const fresh = messages.filter((message) => !taken.has(message.id));
      for (const message of fresh) taken.add(message.id);
      await take(messages, fresh);
      repeats = fresh.length === 0 ? repeats + 1 : 0;
      if (repeats === MAX_REPEATED_RECEIVES) {
        return {
          stopped: `${repeats} receives in a row brought only messages ${run} already; more may wait on the DLQ`,
        };
      }
    }
  } catch (error) {
    return {
      stopped: (error as Error).message,
      ...(error instanceof AppError ? { stoppedCode: error.code } : {}),
    };
  }
  return {};
};

/**
 * Ends the leases of `receipts` at once, so their messages are visible again on the DLQ; returns how
 * many stay leased: those the release did not give back, all of them when it failed outright.
 */
export const giveBack = async (
  queues: DeadLetterQueues,
  deadLetterQueueUrl: string,
  receipts: readonly string[],
): Promise<number> => {
  if (receipts.length === 0) return 0;
  const { released } = await queues
    .release(deadLetterQueueUrl, [...receipts])
    .catch(() => ({ released: new Set<string>() }));
  return receipts.filter((receipt) => !released.has(receipt)).length;
};

/**
 * What waits on a DLQ in all, as SQS counts it (approximately: Waiting), or why it could not be counted
 * (`notCounted`, the failure's message): a run reports what it did either way.
 */
export type WaitingCount = Waiting | { notCounted: string };

/** Counts what waits on a DLQ; a failure is a value, never an error that would cost the run its report. */
export const countWaiting = async (
  queues: DeadLetterQueues,
  deadLetterQueueUrl: string,
): Promise<WaitingCount> => {
  try {
    return await queues.waiting(deadLetterQueueUrl);
  } catch (error) {
    return { notCounted: (error as Error).message };
  }
};
