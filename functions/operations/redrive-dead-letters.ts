import type { DeadLetterQueues } from '../ports/dead-letter-queue.js';

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
  /** Not accepted by the source queue: left on the DLQ, visible again after the lease. */
  notSent: number;
  /**
   * A queue failed midway and the run stopped: why. What it moved before is counted above; the batch it
   * was moving is back on the DLQ after the lease (a copy may also be on the source queue, absorbed).
   */
  stopped?: string;
}

/** How long a message taken off the DLQ stays hidden while it is being moved. */
const LEASE_SECONDS = 60;

/**
 * Moves dead-lettered messages back to their source queue, once the cause of their failure is fixed.
 * At-least-once: a message is deleted from the DLQ only after the source queue accepted it, so a crash
 * between the two leaves a copy on both and never none; screening is idempotent per parcel, so the
 * copy changes nothing twice. A message that fails to move stays leased until LEASE_SECONDS pass, so
 * one run never takes it twice and the run ends.
 */
export const makeRedriveDeadLetters =
  (queues: DeadLetterQueues) =>
  async (request: RedriveRequest): Promise<RedriveReport> => {
    const deadLetterQueueUrl = await queues.deadLetterQueueOf(request.sourceQueueUrl);
    const limit = request.max ?? Number.POSITIVE_INFINITY;
    const report: RedriveReport = { deadLetterQueueUrl, moved: 0, notDeleted: 0, notSent: 0 };
    try {
      while (report.moved + report.notDeleted + report.notSent < limit) {
        const remaining = limit - report.moved - report.notDeleted - report.notSent;
        const messages = await queues.receive(deadLetterQueueUrl, Math.min(10, remaining), LEASE_SECONDS);
        if (messages.length === 0) break;
        const sent = await queues.send(request.sourceQueueUrl, messages);
        const deleted = await queues.delete(deadLetterQueueUrl, [...sent]);
        report.moved += deleted.size;
        report.notDeleted += sent.size - deleted.size;
        report.notSent += messages.length - sent.size;
      }
    } catch (error) {
      report.stopped = (error as Error).message;
    }
    return report;
  };
