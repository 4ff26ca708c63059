import { AppError } from '../platform/errors.js';
import { type MessageIds, messageIdsIn } from '../platform/sqs-batch.js';
import type { DeadLetterQueues, LeasedMessage } from '../ports/dead-letter-queue.js';

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

const deadLetterOf = (message: LeasedMessage): DeadLetter => ({
  ...(message.sentAt === undefined ? {} : { sentAt: new Date(message.sentAt).toISOString() }),
  ...(message.receiveCount === undefined ? {} : { receiveCount: message.receiveCount }),
  ...messageIdsIn(message.body),
  messageId: message.id,
});

/** Oldest first; one SQS gave no time for after those it did. ISO 8601 UTC times sort as text. */
const oldestFirst = (a: DeadLetter, b: DeadLetter): number =>
  (a.sentAt ?? '\uffff').localeCompare(b.sentAt ?? '\uffff') || a.messageId.localeCompare(b.messageId);

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

/** Receives in a row that bring only messages the run took already, after which it stops and says so. */
const MAX_REPEATED_RECEIVES = 3;

/** What the run did with a message it took: sent and deleted, sent only, or not accepted by the source. */
type Handled = 'moved' | 'sent' | 'notSent';

/**
 * Makes the messages the run took and did not move visible on the DLQ again at once, so that the run
 * the report asks for finds them (not an empty DLQ, reported as all moved, while they stay hidden);
 * returns how many stay leased. A release that fails leaves them leased, as they were.
 */
const giveBackLeases = async (
  queues: DeadLetterQueues,
  deadLetterQueueUrl: string,
  handled: ReadonlyMap<string, Handled>,
  receipts: ReadonlyMap<string, string>,
): Promise<number> => {
  const notMoved = [...handled].filter(([, state]) => state !== 'moved').map(([id]) => receipts.get(id)!);
  if (notMoved.length === 0) return 0;
  const released = await queues.release(deadLetterQueueUrl, notMoved).catch(() => new Set<string>());
  return notMoved.filter((receipt) => !released.has(receipt)).length;
};

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
    const limit = request.max ?? Number.POSITIVE_INFINITY;
    /** Every message the run took, by id, and how far it got: the report counts these. */
    const handled = new Map<string, Handled>();
    /** The latest receipt of each message the run took: the lease to give back if it is not moved. */
    const receipts = new Map<string, string>();
    /** What the report shows of each message the run took. */
    const shown = new Map<string, DeadLetter>();
    const stop: Pick<RedriveReport, 'stopped' | 'stoppedCode'> = {};
    let repeats = 0;
    try {
      while (handled.size < limit) {
        const messages = await queues.receive(
          deadLetterQueueUrl,
          Math.min(10, limit - handled.size),
          LEASE_SECONDS,
        );
        if (messages.length === 0) break;
        for (const message of messages) receipts.set(message.id, message.receipt);
        const fresh = messages.filter((message) => !handled.has(message.id));
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
        // Only messages this run took already (their lease ran out): fresh ones may wait behind them,
        // as a receive of a small queue can answer with part of it. Try again, a few times at most.
        repeats = fresh.length === 0 ? repeats + 1 : 0;
        if (repeats === MAX_REPEATED_RECEIVES) {
          stop.stopped = `${repeats} receives in a row brought only messages this run took already; more may wait on the DLQ`;
          break;
        }
      }
    } catch (error) {
      stop.stopped = (error as Error).message;
      if (error instanceof AppError) stop.stoppedCode = error.code;
    }
    const count = (state: Handled) => [...handled.values()].filter((value) => value === state).length;
    return {
      deadLetterQueueUrl,
      moved: count('moved'),
      notDeleted: count('sent'),
      notSent: count('notSent'),
      leased: await giveBackLeases(queues, deadLetterQueueUrl, handled, receipts),
      ...stop,
      movedMessages: [...handled]
        .filter(([, state]) => state === 'moved')
        .map(([id]) => shown.get(id)!)
        .sort(oldestFirst),
    };
  };

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
  full: boolean;
  /** Of those listed, the ones whose lease the listing could not give back: hidden for up to LIST_LEASE_SECONDS. */
  leased: number;
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
    const seen = new Map<string, DeadLetter>();
    /** The latest receipt of each message read: the lease to end. */
    const receipts = new Map<string, string>();
    const stop: Pick<ListReport, 'stopped' | 'stoppedCode'> = {};
    let repeats = 0;
    try {
      while (seen.size < request.max) {
        const messages = await queues.receive(
          deadLetterQueueUrl,
          Math.min(10, request.max - seen.size),
          LIST_LEASE_SECONDS,
        );
        if (messages.length === 0) break;
        let fresh = 0;
        for (const message of messages) {
          receipts.set(message.id, message.receipt);
          if (!seen.has(message.id)) fresh += 1;
          seen.set(message.id, deadLetterOf(message));
        }
        // Only messages read already (their lease ran out in a long listing): as a redrive does.
        repeats = fresh === 0 ? repeats + 1 : 0;
        if (repeats === MAX_REPEATED_RECEIVES) {
          stop.stopped = `${repeats} receives in a row brought only messages this listing read already; more may wait on the DLQ`;
          break;
        }
      }
    } catch (error) {
      stop.stopped = (error as Error).message;
      if (error instanceof AppError) stop.stoppedCode = error.code;
    }
    const leases = [...receipts.values()];
    const released =
      leases.length === 0
        ? new Set<string>()
        : await queues.release(deadLetterQueueUrl, leases).catch(() => new Set<string>());
    return {
      deadLetterQueueUrl,
      messages: [...seen.values()].sort(oldestFirst),
      full: seen.size >= request.max,
      leased: leases.filter((receipt) => !released.has(receipt)).length,
      ...stop,
    };
  };
