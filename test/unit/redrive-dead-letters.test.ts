import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SqsDeadLetterQueues } from '../../functions/adapters/sqs-dead-letter-queues.js';
import { makeRedriveDeadLetters } from '../../functions/operations/redrive-dead-letters.js';
import { DependencyError } from '../../functions/platform/errors.js';
import type { DeadLetterQueues, LeasedMessage } from '../../functions/ports/dead-letter-queue.js';

const deadLetters = (count: number): LeasedMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `id${i}`,
    receipt: `r${i}`,
    body: `m${i}`,
    attributes: {},
  }));

/** A DLQ of `count` messages whose delete throws `error` from its `failingDelete`th call on. */
const queuesFailingAt = (
  count: number,
  failingDelete: number,
  error: Error = new Error('SQS DeleteMessageBatch: TimeoutError (ECONNRESET)'),
): DeadLetterQueues & { sent: string[] } => {
  const waiting = deadLetters(count);
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
      if (deletes >= failingDelete) throw error;
      return new Set(receipts);
    },
  };
};

/**
 * A DLQ whose leases run out while the run goes on: a receive first hands back, once each and with a new
 * receipt, the messages received before and not deleted, then new ones. The source refuses `refused`;
 * the first delete of `undeletable` fails.
 */
const queuesWithShortLeases = (
  count: number,
  refused: string,
  undeletable: string,
  /** A receive that hands back expired messages brings only them, as a receive may bring part of a queue. */
  partial = false,
): DeadLetterQueues & { sent: string[]; onDlq: () => string[] } => {
  const waiting = deadLetters(count);
  const leased = new Map<string, LeasedMessage>();
  const handedBack = new Set<string>();
  const deletedOnce = new Set<string>();
  const sent: string[] = [];
  return {
    sent,
    onDlq: () => [...leased.values(), ...waiting].map((message) => message.body).sort(),
    deadLetterQueueOf: async () => 'dlq',
    receive: async (_queue, max) => {
      const expired = [...leased.values()].filter((message) => !handedBack.has(message.id));
      const again = expired.map((message) => {
        handedBack.add(message.id);
        const renewed = { ...message, receipt: `${message.receipt}'` };
        leased.set(message.id, renewed);
        return renewed;
      });
      const fresh = partial && again.length > 0 ? [] : waiting.splice(0, Math.max(0, max - again.length));
      for (const message of fresh) leased.set(message.id, message);
      return [...again, ...fresh];
    },
    send: async (_queue, messages) => {
      const accepted = messages.filter((message) => message.body !== refused);
      sent.push(...accepted.map((message) => message.body));
      return new Set(accepted.map((message) => message.receipt));
    },
    delete: async (_queue, receipts) => {
      const deleted = new Set<string>();
      for (const message of [...leased.values()].filter((m) => receipts.includes(m.receipt))) {
        if (message.body === undeletable && !deletedOnce.has(message.id)) {
          deletedOnce.add(message.id);
          continue;
        }
        leased.delete(message.id);
        deleted.add(message.receipt);
      }
      return deleted;
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
      notDeleted: 10,
      notSent: 0,
      stopped: 'SQS DeleteMessageBatch: TimeoutError (ECONNRESET)',
    });
    expect(queues.sent).toHaveLength(20);
  });

  it('says when a dependency stopped the run, so the tool can tell an unreachable SQS from a refusal', async () => {
    // Prepare
    const queues = queuesFailingAt(3, 1, new DependencyError('SQS DeleteMessageBatch: TimeoutError'));

    // Act
    const report = await makeRedriveDeadLetters(queues)({ sourceQueueUrl: 'source' });

    // Assess
    expect(report).toMatchObject({ notDeleted: 3, stoppedCode: 'DEPENDENCY_UNAVAILABLE' });
  });

  it('sends a message once and counts it once when its lease runs out during the run', async () => {
    // Prepare: m1 is refused by the source; m2's first delete fails; both come back on the DLQ mid-run
    const queues = queuesWithShortLeases(3, 'm1', 'm2');

    // Act
    const report = await makeRedriveDeadLetters(queues)({ sourceQueueUrl: 'source' });

    // Assess: m2 is deleted with its new receipt, not sent again; m1 is left on the DLQ, counted once
    expect(report).toEqual({ deadLetterQueueUrl: 'dlq', moved: 2, notDeleted: 0, notSent: 1 });
    expect(queues.sent.sort()).toEqual(['m0', 'm2']);
    expect(queues.onDlq()).toEqual(['m1']);
  });
});

describe('makeRedriveDeadLetters, receives that bring only messages it took already', () => {
  it('goes on past one, to the fresh messages waiting behind it', async () => {
    // Prepare: 15 dead letters; m0's first delete fails, and it comes back alone, its lease run out
    const queues = queuesWithShortLeases(15, 'none', 'm0', true);

    // Act
    const report = await makeRedriveDeadLetters(queues)({ sourceQueueUrl: 'source' });

    // Assess
    expect(report).toEqual({ deadLetterQueueUrl: 'dlq', moved: 15, notDeleted: 0, notSent: 0 });
    expect(queues.onDlq()).toEqual([]);
  });

  it('stops after three in a row and says more may wait, so the run is not reported as complete', async () => {
    // Prepare: a DLQ that keeps handing back, with a new receipt, a message the source refused
    const [taken] = deadLetters(1);
    let receives = 0;
    const queues: DeadLetterQueues = {
      deadLetterQueueOf: async () => 'dlq',
      receive: async () => {
        receives += 1;
        return [{ ...taken!, receipt: `${taken!.receipt}-${receives}` }];
      },
      send: async () => new Set(),
      delete: async () => new Set(),
    };

    // Act
    const report = await makeRedriveDeadLetters(queues)({ sourceQueueUrl: 'source' });

    // Assess
    expect(report).toEqual({
      deadLetterQueueUrl: 'dlq',
      moved: 0,
      notDeleted: 0,
      notSent: 1,
      stopped: '3 receives in a row brought only messages this run took already; more may wait on the DLQ',
    });
    expect(receives).toBe(4);
  });
});

describe('SqsDeadLetterQueues', () => {
  it('receives with a long poll, which asks every server, so that an empty answer means an empty queue', async () => {
    // Prepare
    const sqs = new SQSClient({ region: 'eu-west-1' });
    const mock = mockClient(sqs);
    mock.on(ReceiveMessageCommand).resolves({
      Messages: [{ MessageId: 'id-1', ReceiptHandle: 'receipt-1', Body: '{}' }],
    });

    // Act
    const received = await new SqsDeadLetterQueues(sqs).receive('https://dlq', 10, 60);

    // Assess
    const input = mock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input;
    expect(input.WaitTimeSeconds).toBeGreaterThanOrEqual(1);
    expect(received).toEqual([{ id: 'id-1', receipt: 'receipt-1', body: '{}', attributes: {} }]);
    mock.restore();
  });
});
