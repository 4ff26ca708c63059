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

export interface RedriveRequest {
  /** The queue whose dead letters go back to it. */
  sourceQueueUrl: string;
  /** Moves at most this many messages; all that are there when undefined. */
  max?: number;
}

export interface RedriveReport {
  deadLetterQueueUrl: string;
  /** Sent back to the source queue and deleted from the DLQ. */
  moved: number;
  /** Sent back but not deleted from the DLQ: they come back there and would be moved again (a duplicate the consumer absorbs). */
  notDeleted: number;
  /** Not accepted by the source queue: left on the DLQ, visible again at once (see leased). */
  notSent: number;
  /**
   * Of those not moved (not sent, or sent and not deleted), the ones whose lease the run could not give
   * back: hidden on the DLQ for up to LEASE_SECONDS, so a run started before then does not see them.
   */
  leased: number;
  /** What waited on the DLQ in all before the run took anything, as SQS counts it (approximately), or why it could not be counted. */
  waitingBefore: WaitingCount;
  /**
   * What waits on the DLQ in all after the run, its leases given back, as SQS counts it: 0 and 0 when the
   * run emptied it. Or why it could not be counted, which changes nothing else in the report.
   */
  waitingAfter: WaitingCount;
  /**
   * A queue failed midway and the run stopped: why. Every message it took is counted above, the batch it
   * was moving included (as not deleted when it was sent, as not sent when the send failed); that batch
   * is back on the DLQ after the lease (a copy may also be on the source queue, absorbed).
   */
  stopped?: string;
  /** The AppError code of the failure that stopped the run, when it had one (DEPENDENCY_UNAVAILABLE…). */
  stoppedCode?: string;
  /** What was moved (counted in `moved`), oldest first: ids only, never a body (DeadLetter). */
  movedMessages: DeadLetter[];
}

/** How long a message taken off the DLQ stays hidden while it is being moved. */
export const LEASE_SECONDS = 60;

/** What the run did with a message it took: sent and deleted, sent only, or not accepted by the source. */
type Handled = 'moved' | 'sent' | 'notSent';

/**
 * Makes the messages the run took and did not move visible on the DLQ again at once, so that the run
 * the report asks for finds them (not an empty DLQ, reported as all moved, while they stay hidden);
 * returns how many stay leased. A release that fails leaves them leased, as they were.
 */
const giveBackLeases = (
  queues: DeadLetterQueues,
  deadLetterQueueUrl: string,
  handled: ReadonlyMap<string, Handled>,
  receipts: ReadonlyMap<string, string>,
): Promise<number> =>
  giveBack(
    queues,
    deadLetterQueueUrl,
    [...handled].filter(([, state]) => state !== 'moved').map(([id]) => receipts.get(id)!),
  );

/**
 * Moves dead-lettered messages back to their source queue, once the cause of their failure is fixed.
 * At-least-once: a message is deleted from the DLQ only after the source queue accepted it, so a crash
 * between the two leaves a copy on both and never none; screening is idempotent per parcel, so the
 * copy changes nothing twice. A message that fails to move stays leased for LEASE_SECONDS, until the
 * run ends and gives its lease back (giveBackLeases); a run that lasts longer (a long DLQ, a far
 * region, a slow attempt) can receive it again, so the run remembers every message it took by id and
 * counts each once: one it sent but could not delete is only deleted (with its new receipt), never sent
 * again; one the source refused is left alone. The run ends when a receive brings nothing, or stops
 * (and says so) after a few that bring only messages it took already.
 */
export const makeRedriveDeadLetters =
  (queues: DeadLetterQueues) =>
  async (request: RedriveRequest): Promise<RedriveReport> => {
    const deadLetterQueueUrl = await queues.deadLetterQueueOf(request.sourceQueueUrl);
    const waitingBefore = await countWaiting(queues, deadLetterQueueUrl);
    /** Every message the run took, by id, and how far it got: the report counts these. */
    const handled = new Map<string, Handled>();
    /** The latest receipt of each message the run took: the lease to give back if it is not moved. */
    const receipts = new Map<string, string>();
    /** What the report shows of each message the run took. */
    const shown = new Map<string, DeadLetter>();
    const stop = await receiveEach(
      queues,
      deadLetterQueueUrl,
      { max: request.max ?? Number.POSITIVE_INFINITY, leaseSeconds: LEASE_SECONDS, run: 'this run took' },
      async (messages, fresh) => {
        for (const message of messages) receipts.set(message.id, message.receipt);
        for (const message of fresh) shown.set(message.id, deadLetterOf(message));
        // Refused until the source accepts it; one sent before by this run is only deleted (again).
        for (const message of fresh) handled.set(message.id, 'notSent');
        if (fresh.length > 0) {
          const sent = await queues.send(request.sourceQueueUrl, fresh);
          for (const message of fresh) if (sent.has(message.receipt)) handled.set(message.id, 'sent');
        }
        const toDelete = messages.filter((message) => handled.get(message.id) !== 'notSent');
        if (toDelete.length > 0) {
          const deleted = await queues.delete(
            deadLetterQueueUrl,
            toDelete.map((message) => message.receipt),
          );
          for (const message of toDelete) if (deleted.has(message.receipt)) handled.set(message.id, 'moved');
        }
      },
    );
    const count = (state: Handled) => [...handled.values()].filter((value) => value === state).length;
    // Counted once the leases are given back: what is left for the run the report may ask for.
    const leased = await giveBackLeases(queues, deadLetterQueueUrl, handled, receipts);
    return {
      deadLetterQueueUrl,
      moved: count('moved'),
      notDeleted: count('sent'),
      notSent: count('notSent'),
      leased,
      waitingBefore,
      waitingAfter: await countWaiting(queues, deadLetterQueueUrl),
      ...stop,
      movedMessages: [...handled]
        .filter(([, state]) => state === 'moved')
        .map(([id]) => shown.get(id)!)
        .sort(oldestFirst),
    };
  };
