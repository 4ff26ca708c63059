import { describe, expect, it } from 'vitest';
import { makeRedriveDeadLetters } from '../../functions/operations/redrive-dead-letters.js';
import type { DeadLetterQueues, LeasedMessage } from '../../functions/ports/dead-letter-queue.js';

/** A DLQ of `count` messages whose delete throws from its `failingDelete`th call on. */
const queuesFailingAt = (count: number, failingDelete: number): DeadLetterQueues & { sent: string[] } => {
  const waiting: LeasedMessage[] = Array.from({ length: count }, (_, i) => ({
    receipt: `r${i}`,
    body: `m${i}`,
    attributes: {},
  }));
  const sent: string[] = [];
  let deletes = 0;
  return {
    sent,
    deadLetterQueueOf: async () => 'dlq',
    receive: async (_queue, max) => waiting.splice(0, max),
    send: async (_queue, messages) => {
      sent.push(...messages.map((message) => message.body));
      return new Set(messages.map((message) => message.receipt));
    },
    delete: async (_queue, receipts) => {
      deletes += 1;
      if (deletes >= failingDelete) throw new Error('SQS DeleteMessageBatch: TimeoutError (ECONNRESET)');
      return new Set(receipts);
    },
  };
};

describe('makeRedriveDeadLetters', () => {
  it('reports what it moved before a queue failed midway, and why it stopped, instead of only failing', async () => {
    // Prepare: 25 dead letters, three batches; the second batch's delete fails
    const queues = queuesFailingAt(25, 2);

    // Act
    const report = await makeRedriveDeadLetters(queues)({ sourceQueueUrl: 'source' });

    // Assess: the first batch moved; the second was sent, its copies stay on the DLQ until their lease ends
    expect(report).toEqual({
      deadLetterQueueUrl: 'dlq',
      moved: 10,
      notDeleted: 0,
      notSent: 0,
      stopped: 'SQS DeleteMessageBatch: TimeoutError (ECONNRESET)',
    });
    expect(queues.sent).toHaveLength(20);
  });
});
