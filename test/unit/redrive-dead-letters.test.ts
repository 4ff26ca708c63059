import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, onTestFinished } from 'vitest';
import { SqsDeadLetterQueues } from '../../functions/adapters/sqs-dead-letter-queues.js';
import { LIST_LEASE_SECONDS, makeListDeadLetters } from '../../functions/operations/list-dead-letters.js';
import { makeRedriveDeadLetters } from '../../functions/operations/redrive-dead-letters.js';
import { DependencyError } from '../../functions/platform/errors.js';
import type { DeadLetterQueues, LeasedMessage, Waiting } from '../../functions/ports/dead-letter-queue.js';
import { awsError } from '../support/aws-mocks.js';

const deadLetters = (count: number): LeasedMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `id${i}`,
    receipt: `r${i}`,
    body: `m${i}`,
    attributes: {},
  }));

/** Why the fakes that model no counts fail to count: a failed count, reported as such. */
const COUNTS_NOTHING = 'this fake counts nothing';
const countsNothing = async (): Promise<Waiting> => {
  throw new Error(COUNTS_NOTHING);
};
/** What a redrive reports of the counts of a fake that models none. */
const UNCOUNTED = {
  waitingBefore: { notCounted: COUNTS_NOTHING },
  waitingAfter: { notCounted: COUNTS_NOTHING },
};

/** SQS, mocked for the current test only. */
const mockedSqs = () => {
  const sqs = new SQSClient({ region: 'eu-west-1' });
  const mock = mockClient(sqs);
  onTestFinished(() => mock.restore());
  return { sqs, mock };
};

/** A DLQ that counts nothing and gives every lease back, with some of its operations replaced. */
const fakeQueues = (overrides: Partial<DeadLetterQueues>): DeadLetterQueues => ({
  deadLetterQueueOf: async () => 'dlq',
  waiting: countsNothing,
  receive: async () => [],
  send: async (_queue, messages) => new Set(messages.map((message) => message.receipt)),
  delete: async (_queue, receipts) => new Set(receipts),
  release: async (_queue, receipts) => ({ released: new Set(receipts) }),
  ...overrides,
});

/** The whole report of a redrive from a fake that counts nothing, with these tallies. */
const uncountedReport = (tallies: {
  moved: number;
  notDeleted: number;
  notSent: number;
  leased: number;
  stopped?: string;
}) => ({ deadLetterQueueUrl: 'dlq', ...tallies, movedMessages: expect.any(Array), ...UNCOUNTED });

const redrive = (queues: DeadLetterQueues) => makeRedriveDeadLetters(queues)({ sourceQueueUrl: 'source' });
const list = (queues: DeadLetterQueues, max = 100) =>
  makeListDeadLetters(queues)({ sourceQueueUrl: 'source', max });

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
    ...fakeQueues({
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
    }),
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
): DeadLetterQueues & { sent: string[]; onDlq: () => string[]; released: string[] } => {
  const waiting = deadLetters(count);
  const released: string[] = [];
  const leased = new Map<string, LeasedMessage>();
  const handedBack = new Set<string>();
  const deletedOnce = new Set<string>();
  const sent: string[] = [];
  return {
    sent,
    released,
    onDlq: () => [...leased.values(), ...waiting].map((message) => message.body).sort(),
    deadLetterQueueOf: async () => 'dlq',
    waiting: countsNothing,
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
    release: async (_queue, receipts) => {
      released.push(...receipts);
      return {
        released: new Set(
          receipts.filter((receipt) => [...leased.values()].some((m) => m.receipt === receipt)),
        ),
      };
    },
  };
};

describe('makeRedriveDeadLetters', () => {
  it('reports what it moved before a queue failed midway, and why it stopped, instead of only failing', async () => {
    // Prepare: 25 dead letters, three batches; the second batch's delete fails
    const queues = queuesFailingAt(25, 2);

    // Act
    const report = await redrive(queues);

    // Assess: the first batch moved; the second was sent, its copies stay on the DLQ until their lease ends
    expect(report).toEqual(
      uncountedReport({
        moved: 10,
        notDeleted: 10,
        notSent: 0,
        leased: 0,
        stopped: 'SQS DeleteMessageBatch: TimeoutError (ECONNRESET)',
      }),
    );
    expect(queues.sent).toHaveLength(20);
  });

  it('says when a dependency stopped the run, so the tool can tell an unreachable SQS from a refusal', async () => {
    // Prepare
    const queues = queuesFailingAt(3, 1, new DependencyError('SQS DeleteMessageBatch: TimeoutError'));

    // Act
    const report = await redrive(queues);

    // Assess
    expect(report).toMatchObject({ notDeleted: 3, stoppedCode: 'DEPENDENCY_UNAVAILABLE' });
  });

  it('sends a message once and counts it once when its lease runs out during the run', async () => {
    // Prepare: m1 is refused by the source; m2's first delete fails; both come back on the DLQ mid-run
    const queues = queuesWithShortLeases(3, 'm1', 'm2');

    // Act
    const report = await redrive(queues);

    // Assess: m2 is deleted with its new receipt, not sent again; m1 is left on the DLQ, counted once,
    // and its latest lease given back, so that the next run sees it at once
    expect(report).toEqual(uncountedReport({ moved: 2, notDeleted: 0, notSent: 1, leased: 0 }));
    expect(queues.sent.sort()).toEqual(['m0', 'm2']);
    expect(queues.onDlq()).toEqual(['m1']);
    expect(queues.released).toEqual(["r1'"]);
  });

  it('reports as leased the messages it did not move and could not give back, for the tool to say when to run again', async () => {
    // Prepare: 3 dead letters the source refuses; giving leases back fails as well
    const queues: DeadLetterQueues = {
      ...queuesFailingAt(3, Number.POSITIVE_INFINITY),
      send: async () => new Set(),
      release: async () => ({
        released: new Set(),
        failure: new DependencyError('SQS ChangeMessageVisibilityBatch: TimeoutError'),
      }),
    };

    // Act
    const report = await redrive(queues);

    // Assess
    expect(report).toEqual(uncountedReport({ moved: 0, notDeleted: 0, notSent: 3, leased: 3 }));
  });

  it('gives back the leases of the messages it sent and could not delete too, and reports those it could not as leased', async () => {
    // Prepare: 3 dead letters sent, whose delete fails; giving leases back fails outright (it throws)
    const queues = queuesFailingAt(3, 1);
    const released: string[] = [];
    const run = makeRedriveDeadLetters({
      ...queues,
      release: async (_queue, receipts) => {
        released.push(...receipts);
        throw new DependencyError('SQS ChangeMessageVisibilityBatch: TimeoutError');
      },
    });

    // Act
    const report = await run({ sourceQueueUrl: 'source' });

    // Assess
    expect(report).toMatchObject({ moved: 0, notDeleted: 3, notSent: 0, leased: 3 });
    expect(released.sort()).toEqual(['r0', 'r1', 'r2']);
  });
});

describe('makeRedriveDeadLetters, receives that bring only messages it took already', () => {
  it('goes on past one, to the fresh messages waiting behind it', async () => {
    // Prepare: 15 dead letters; m0's first delete fails, and it comes back alone, its lease run out
    const queues = queuesWithShortLeases(15, 'none', 'm0', true);

    // Act
    const report = await redrive(queues);

    // Assess
    expect(report).toEqual(uncountedReport({ moved: 15, notDeleted: 0, notSent: 0, leased: 0 }));
    expect(queues.onDlq()).toEqual([]);
  });

  it('counts them in a row only, starting again after a receive that brings a fresh message', async () => {
    // Prepare: m0, refused by the source, comes back alone twice before m1, and twice before m2
    const [m0, m1, m2] = deadLetters(3);
    const again = (n: number) => ({ ...m0!, receipt: `r0-${n}` });
    const answers = [[m0!], [again(1)], [m1!], [again(2)], [again(3)], [m2!]];
    const queues = fakeQueues({
      receive: async () => answers.shift() ?? [],
      send: async (_queue, messages) =>
        new Set(messages.filter((message) => message.body !== 'm0').map((message) => message.receipt)),
    });

    // Act
    const report = await redrive(queues);

    // Assess
    expect(report).toEqual(uncountedReport({ moved: 2, notDeleted: 0, notSent: 1, leased: 0 }));
  });

  it('stops after three in a row and says more may wait, so the run is not reported as complete', async () => {
    // Prepare: a DLQ that keeps handing back, with a new receipt, a message the source refused
    const [taken] = deadLetters(1);
    let receives = 0;
    const queues = fakeQueues({
      receive: async () => {
        receives += 1;
        return [{ ...taken!, receipt: `${taken!.receipt}-${receives}` }];
      },
      send: async () => new Set(),
      delete: async () => new Set(),
    });

    // Act
    const report = await redrive(queues);

    // Assess
    expect(report).toEqual(
      uncountedReport({
        moved: 0,
        notDeleted: 0,
        notSent: 1,
        leased: 0,
        stopped: '3 receives in a row brought only messages this run took already; more may wait on the DLQ',
      }),
    );
    expect(receives).toBe(4);
  });
});

describe('SqsDeadLetterQueues', () => {
  it('receives with a long poll, which asks every server, so that an empty answer means an empty queue', async () => {
    // Prepare
    const { sqs, mock } = mockedSqs();
    mock.on(ReceiveMessageCommand).resolves({
      Messages: [{ MessageId: 'id-1', ReceiptHandle: 'receipt-1', Body: '{}' }],
    });

    // Act
    const received = await new SqsDeadLetterQueues(sqs).receive('https://dlq', 10, 60);

    // Assess
    const input = mock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input;
    expect(input.WaitTimeSeconds).toBeGreaterThanOrEqual(1);
    expect(received).toEqual([{ id: 'id-1', receipt: 'receipt-1', body: '{}', attributes: {} }]);
  });

  it('counts bodies in bytes, sending two of multibyte text too large together in two batches', async () => {
    // Prepare: two bodies of 100,000 two-byte characters, 200,000 bytes each
    const { sqs, mock } = mockedSqs();
    mock.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map(({ Id }) => ({ Id, MessageId: Id, MD5OfMessageBody: 'md5' })),
    }));
    const messages = deadLetters(2).map((message) => ({ ...message, body: 'é'.repeat(100_000) }));

    // Act
    const sent = await new SqsDeadLetterQueues(sqs).send('https://source', messages);

    // Assess
    const batches = mock
      .commandCalls(SendMessageBatchCommand)
      .map((call) => call.args[0].input.Entries!.length);
    expect(batches).toEqual([1, 1]);
    expect(sent).toEqual(new Set(['r0', 'r1']));
  });

  it('reports as sent only the messages SQS says it took, so a refused one stays on the DLQ', async () => {
    // Prepare
    const { sqs, mock } = mockedSqs();
    mock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: 'm0', MessageId: 'id-0', MD5OfMessageBody: 'md5' }],
      Failed: [{ Id: 'm1', Code: 'InternalError', SenderFault: false }],
    });

    // Act
    const sent = await new SqsDeadLetterQueues(sqs).send('https://source', deadLetters(2));

    // Assess
    expect(sent).toEqual(new Set(['r0']));
  });

  it('reports as deleted only the receipts SQS says it deleted', async () => {
    // Prepare
    const { sqs, mock } = mockedSqs();
    mock.on(DeleteMessageBatchCommand).resolves({
      Successful: [{ Id: 'd1' }],
      Failed: [{ Id: 'd0', Code: 'InternalError', SenderFault: false }],
    });

    // Act
    const deleted = await new SqsDeadLetterQueues(sqs).delete('https://dlq', ['r0', 'r1']);

    // Assess
    expect(deleted).toEqual(new Set(['r1']));
  });

  it('gives leases back in batches of ten, visible at once, and reports only those SQS released', async () => {
    // Prepare
    const { sqs, mock } = mockedSqs();
    mock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.filter(({ Id }) => Id !== 'r1').map(({ Id }) => ({ Id })),
      Failed: [{ Id: 'r1', Code: 'ReceiptHandleIsInvalid', SenderFault: true }],
    }));
    const receipts = Array.from({ length: 12 }, (_, i) => `receipt-${i}`);

    // Act
    const { released, failure } = await new SqsDeadLetterQueues(sqs).release('https://dlq', receipts);

    // Assess: r1 of each batch (receipt-1, receipt-11) was not released
    const calls = mock.commandCalls(ChangeMessageVisibilityBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.Entries!.length)).toEqual([10, 2]);
    expect(calls.flatMap((input) => input.Entries!.map((entry) => entry.VisibilityTimeout))).toEqual(
      Array(12).fill(0),
    );
    expect(released).toEqual(new Set(receipts.filter((r) => r !== 'receipt-1' && r !== 'receipt-11')));
    expect(failure).toBeUndefined();
  });

  it('asks for every message attribute, so a message goes back to its queue with them', async () => {
    // Prepare
    const { sqs, mock } = mockedSqs();
    mock.on(ReceiveMessageCommand).resolves({ Messages: [] });

    // Act
    await new SqsDeadLetterQueues(sqs).receive('https://dlq', 10, 60);

    // Assess
    expect(mock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input.MessageAttributeNames).toEqual(['All']);
  });
});

/** A screening message as it waits on the DLQ, with a consignee's name and phone besides its ids. */
const screeningLetter = (index: number, sentAt: number): LeasedMessage => ({
  id: `id${index}`,
  receipt: `r${index}`,
  body: JSON.stringify({
    partnerId: 'southwest-freight',
    manifestId: `M-${index}`,
    items: [{ parcel: { parcelId: `SWF-${index}`, consignee: { name: 'Li Na', phone: '+8613800138000' } } }],
  }),
  attributes: {},
  sentAt,
  receiveCount: 6,
});

/** A DLQ whose receives hide what they bring until it is deleted or released, as SQS does. */
const inMemoryDlq = (messages: LeasedMessage[], { releaseFails = false } = {}) => {
  const visible = [...messages];
  const hidden: LeasedMessage[] = [];
  const released: string[] = [];
  const queues: DeadLetterQueues = {
    deadLetterQueueOf: async () => 'dlq',
    waiting: async () => ({ visible: visible.length, hidden: hidden.length }),
    receive: async (_queue, max) => {
      const taken = visible.splice(0, Math.min(10, max));
      hidden.push(...taken);
      return taken;
    },
    send: async (_queue, sent) => new Set(sent.map((message) => message.receipt)),
    delete: async (_queue, receipts) => {
      for (const receipt of receipts)
        hidden.splice(
          hidden.findIndex((m) => m.receipt === receipt),
          1,
        );
      return new Set(receipts);
    },
    release: async (_queue, receipts) => {
      if (releaseFails)
        return {
          released: new Set<string>(),
          failure: new Error('SQS ChangeMessageVisibilityBatch: AccessDenied'),
        };
      released.push(...receipts);
      for (const receipt of receipts) {
        visible.push(
          ...hidden.splice(
            hidden.findIndex((m) => m.receipt === receipt),
            1,
          ),
        );
      }
      return { released: new Set(receipts) };
    },
  };
  return { queues, visible, hidden, released };
};

describe('makeRedriveDeadLetters, what it moved', () => {
  it('names each message it moved by its ids, oldest first, and never by what else its body holds', async () => {
    // Prepare: three dead letters sent in no order of time
    const { queues } = inMemoryDlq([
      screeningLetter(0, Date.UTC(2026, 10, 28, 9)),
      screeningLetter(1, Date.UTC(2026, 10, 27, 9)),
      screeningLetter(2, Date.UTC(2026, 10, 29, 9)),
    ]);

    // Act
    const report = await redrive(queues);

    // Assess
    const sentOn = {
      0: '2026-11-28T09:00:00.000Z',
      1: '2026-11-27T09:00:00.000Z',
      2: '2026-11-29T09:00:00.000Z',
    };
    expect(report.movedMessages).toEqual(
      ([1, 0, 2] as const).map((index) => ({
        sentAt: sentOn[index],
        receiveCount: 6,
        partnerId: 'southwest-freight',
        manifestId: `M-${index}`,
        parcelIds: [`SWF-${index}`],
        messageId: `id${index}`,
      })),
    );
    expect(JSON.stringify(report)).not.toMatch(/Li Na|8613800138000/);
  });
});

describe('makeListDeadLetters', () => {
  it('lists every dead letter by its ids, oldest first, and leaves each visible on the DLQ', async () => {
    // Prepare: 12 dead letters, more than one receive brings, newest first
    const letters = Array.from({ length: 12 }, (_, index) =>
      screeningLetter(index, Date.UTC(2026, 10, 29) - index * 60_000),
    );
    const dlq = inMemoryDlq(letters);

    // Act
    const report = await list(dlq.queues);

    // Assess
    expect(report).toMatchObject({ deadLetterQueueUrl: 'dlq', reachedMax: false, leased: 0 });
    expect(report.messages.map((message) => message.messageId)).toEqual(letters.map((m) => m.id).reverse());
    expect(report.messages[0]).toEqual({
      sentAt: '2026-11-28T23:49:00.000Z',
      receiveCount: 6,
      partnerId: 'southwest-freight',
      manifestId: 'M-11',
      parcelIds: ['SWF-11'],
      messageId: 'id11',
    });
    expect(JSON.stringify(report)).not.toMatch(/Li Na|8613800138000/);
    expect(dlq.visible).toHaveLength(12);
    expect(dlq.hidden).toHaveLength(0);
    expect(dlq.released.sort()).toEqual(letters.map((m) => m.receipt).sort());
  });

  it('stops at --max and says more may wait', async () => {
    // Prepare
    const dlq = inMemoryDlq(Array.from({ length: 12 }, (_, index) => screeningLetter(index, index)));

    // Act
    const report = await list(dlq.queues, 5);

    // Assess
    expect(report.messages).toHaveLength(5);
    expect(report.reachedMax).toBe(true);
    expect(dlq.visible).toHaveLength(12);
  });

  it('reports as leased what it could not make visible again, for the tool to say when they are', async () => {
    // Prepare
    const dlq = inMemoryDlq([screeningLetter(0, 0), screeningLetter(1, 1)], { releaseFails: true });

    // Act
    const report = await list(dlq.queues);

    // Assess
    expect(report).toMatchObject({ leased: 2, reachedMax: false });
    expect(report.messages).toHaveLength(2);
  });

  it('receives with a short lease and ends every lease at the end, moving nothing', async () => {
    // Prepare
    const dlq = inMemoryDlq([screeningLetter(0, 0)]);
    const leases: number[] = [];
    const queues: DeadLetterQueues = {
      ...dlq.queues,
      receive: (queue, max, leaseSeconds) => {
        leases.push(leaseSeconds);
        return dlq.queues.receive(queue, max, leaseSeconds);
      },
      send: async () => {
        throw new Error('a listing sends nothing');
      },
      delete: async () => {
        throw new Error('a listing deletes nothing');
      },
    };

    // Act
    await list(queues);

    // Assess
    expect(leases.every((seconds) => seconds === LIST_LEASE_SECONDS)).toBe(true);
    expect(LIST_LEASE_SECONDS).toBeLessThanOrEqual(60);
    expect(dlq.released).toEqual(['r0']);
  });
});

describe('SqsDeadLetterQueues, what a dead letter says of itself', () => {
  it('asks SQS for when a message was first sent and how often it was received', async () => {
    // Prepare
    const { sqs, mock } = mockedSqs();
    mock.on(ReceiveMessageCommand).resolves({
      Messages: [
        {
          MessageId: 'id-1',
          ReceiptHandle: 'receipt-1',
          Body: '{}',
          Attributes: { SentTimestamp: '1795910400000', ApproximateReceiveCount: '6' },
        },
      ],
    });

    // Act
    const received = await new SqsDeadLetterQueues(sqs).receive('https://dlq', 10, 30);

    // Assess
    const input = mock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input;
    expect(input.MessageSystemAttributeNames).toEqual(['SentTimestamp', 'ApproximateReceiveCount']);
    expect(received).toEqual([
      {
        id: 'id-1',
        receipt: 'receipt-1',
        body: '{}',
        attributes: {},
        sentAt: 1795910400000,
        receiveCount: 6,
      },
    ]);
  });
});

/**
 * SQS, mocked, with a DLQ of `count` dead letters that a receive hands out ten at a time, and whose
 * second ChangeMessageVisibilityBatch fails after the SDK's retries: the first batch of leases is given
 * back, the rest is not.
 */
const sqsWhoseSecondReleaseFails = (count: number) => {
  const { sqs, mock } = mockedSqs();
  mock.on(GetQueueAttributesCommand).resolves({
    Attributes: {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq' }),
    },
  });
  mock.on(GetQueueUrlCommand).resolves({ QueueUrl: 'https://dlq' });
  const waiting = Array.from({ length: count }, (_, i) => ({
    MessageId: `id${i}`,
    ReceiptHandle: `receipt-${i}`,
    Body: JSON.stringify({ partnerId: 'southwest-freight', parcelId: `SWF-${i}` }),
  }));
  mock.on(ReceiveMessageCommand).callsFake(() => ({ Messages: waiting.splice(0, 10) }));
  mock.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
    Failed: input.Entries.map(({ Id }) => ({ Id, Code: 'InternalError', SenderFault: false })),
  }));
  let releases = 0;
  mock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
    releases += 1;
    if (releases === 2) throw awsError('AccessDenied', 'not allowed', 'client');
    return { Successful: input.Entries.map(({ Id }) => ({ Id })) };
  });
  return { sqs, mock };
};

describe('SqsDeadLetterQueues, a release that fails partway', () => {
  it('reports the leases the batches before the failure gave back, and the failure, instead of failing them all', async () => {
    // Prepare: 25 leases, three batches; the second fails
    const { sqs, mock } = sqsWhoseSecondReleaseFails(0);
    const receipts = Array.from({ length: 25 }, (_, i) => `receipt-${i}`);

    // Act
    const { released, failure } = await new SqsDeadLetterQueues(sqs).release('https://dlq', receipts);

    // Assess: the first batch is released; the release stops at the failure
    expect(released).toEqual(new Set(receipts.slice(0, 10)));
    expect(failure).toBeInstanceOf(Error);
    expect(mock.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(2);
  });
});

describe('the leases a run reports, when giving them back fails partway', () => {
  it('counts as leased in a listing only the messages whose lease is still running', async () => {
    // Prepare: 25 dead letters; the second of three batches of leases is not given back
    const { sqs } = sqsWhoseSecondReleaseFails(25);

    // Act
    const report = await list(new SqsDeadLetterQueues(sqs));

    // Assess: the 10 of the first batch are visible again; the 15 after are not
    expect(report.messages).toHaveLength(25);
    expect(report).toMatchObject({ reachedMax: false, leased: 15 });
  });

  it('counts as leased in a redrive only the messages it did not move whose lease is still running', async () => {
    // Prepare: 25 dead letters the source refuses; the second of three batches of leases is not given back
    const { sqs } = sqsWhoseSecondReleaseFails(25);

    // Act
    const report = await redrive(new SqsDeadLetterQueues(sqs));

    // Assess
    expect(report).toMatchObject({ moved: 0, notSent: 25, leased: 15 });
  });
});

describe('the order dead letters are shown in', () => {
  it('orders messages sent at the same time by message id in code unit order, the same in every locale', async () => {
    // Prepare: two dead letters sent in the same millisecond, one id starting upper case
    const sentAt = Date.UTC(2026, 10, 28, 9);
    const dlq = inMemoryDlq([
      { ...screeningLetter(0, sentAt), id: 'a-0' },
      { ...screeningLetter(1, sentAt), id: 'B-1' },
      { ...screeningLetter(2, sentAt - 1), id: 'c-2' },
    ]);

    // Act
    const report = await list(dlq.queues);

    // Assess: 'B' (U+0042) before 'a' (U+0061), after the older one
    expect(report.messages.map((message) => message.messageId)).toEqual(['c-2', 'B-1', 'a-0']);
  });
});

describe('what waits on the DLQ in all, as SQS counts it', () => {
  it('reports what waited before a redrive and what is left after it, its leases given back', async () => {
    // Prepare: three dead letters, one of which the source refuses
    const dlq = inMemoryDlq([screeningLetter(0, 0), screeningLetter(1, 1), screeningLetter(2, 2)]);
    const queues: DeadLetterQueues = {
      ...dlq.queues,
      send: async (_queue, messages) =>
        new Set(messages.filter((message) => message.id !== 'id1').map((message) => message.receipt)),
    };

    // Act
    const report = await redrive(queues);

    // Assess: the refused one is left, visible (counted after its lease was given back, not before)
    expect(report).toMatchObject({
      moved: 2,
      notSent: 1,
      waitingBefore: { visible: 3, hidden: 0 },
      waitingAfter: { visible: 1, hidden: 0 },
    });
  });

  it('reports a redrive in full when the DLQ cannot be counted, and why it was not', async () => {
    // Prepare: a DLQ whose first count fails, as GetQueueAttributes may when these credentials lack it
    const dlq = inMemoryDlq([screeningLetter(0, 0), screeningLetter(1, 1)]);
    let counts = 0;
    const queues: DeadLetterQueues = {
      ...dlq.queues,
      waiting: async (queue) => {
        counts += 1;
        if (counts === 1) throw new DependencyError('SQS GetQueueAttributes: TimeoutError');
        return dlq.queues.waiting(queue);
      },
    };

    // Act
    const report = await redrive(queues);

    // Assess
    expect(report).toEqual({
      deadLetterQueueUrl: 'dlq',
      moved: 2,
      notDeleted: 0,
      notSent: 0,
      leased: 0,
      waitingBefore: { notCounted: 'SQS GetQueueAttributes: TimeoutError' },
      waitingAfter: { visible: 0, hidden: 0 },
      movedMessages: expect.any(Array),
    });
    expect(report.movedMessages).toHaveLength(2);
  });

  it('reports what waited on the DLQ when a listing started, more than --max let it list', async () => {
    // Prepare: 12 dead letters; a count after the first receive would find 10 of them hidden
    const dlq = inMemoryDlq(Array.from({ length: 12 }, (_, index) => screeningLetter(index, index)));
    const calls: string[] = [];
    const queues: DeadLetterQueues = {
      ...dlq.queues,
      waiting: (queue) => {
        calls.push('waiting');
        return dlq.queues.waiting(queue);
      },
      receive: (queue, max, leaseSeconds) => {
        calls.push('receive');
        return dlq.queues.receive(queue, max, leaseSeconds);
      },
    };

    // Act
    const report = await list(queues, 5);

    // Assess
    expect(report).toMatchObject({ reachedMax: true, waiting: { visible: 12, hidden: 0 } });
    expect(report.messages).toHaveLength(5);
    expect(calls.filter((call) => call === 'waiting')).toHaveLength(1);
    expect(calls[0]).toBe('waiting');
  });

  it('lists in full when the DLQ cannot be counted, and says why it was not', async () => {
    // Prepare
    const dlq = inMemoryDlq([screeningLetter(0, 0), screeningLetter(1, 1)]);
    const queues: DeadLetterQueues = {
      ...dlq.queues,
      waiting: async () => {
        throw new Error('SQS GetQueueAttributes: AccessDenied');
      },
    };

    // Act
    const report = await list(queues);

    // Assess
    expect(report).toMatchObject({
      reachedMax: false,
      leased: 0,
      waiting: { notCounted: 'SQS GetQueueAttributes: AccessDenied' },
    });
    expect(report.messages).toHaveLength(2);
  });
});

describe('SqsDeadLetterQueues, counting what waits', () => {
  it('asks SQS for its visible and hidden counts, and receives nothing', async () => {
    // Prepare
    const { sqs, mock } = mockedSqs();
    mock.on(GetQueueAttributesCommand).resolves({
      Attributes: { ApproximateNumberOfMessages: '10432', ApproximateNumberOfMessagesNotVisible: '7' },
    });

    // Act
    const waiting = await new SqsDeadLetterQueues(sqs).waiting('https://dlq');

    // Assess
    expect(waiting).toEqual({ visible: 10_432, hidden: 7 });
    expect(mock.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input).toEqual({
      QueueUrl: 'https://dlq',
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    });
    expect(mock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it.each([
    ['without a count', { ApproximateNumberOfMessages: '3' }],
    [
      'with a count that is no whole number',
      { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '' },
    ],
  ])('fails, rather than count 0, on an answer %s', async (_case, attributes) => {
    // Prepare
    const { sqs, mock } = mockedSqs();
    mock.on(GetQueueAttributesCommand).resolves({ Attributes: attributes });

    // Act
    const counting = new SqsDeadLetterQueues(sqs).waiting('https://dlq');

    // Assess
    await expect(counting).rejects.toMatchObject({
      code: 'QUEUE_NOT_COUNTED',
      message: 'SQS GetQueueAttributes gave no ApproximateNumberOfMessagesNotVisible for https://dlq',
    });
  });

  it('fails as SQS refused, in the terms of every other call, when SQS refuses the count', async () => {
    // Prepare
    const { sqs, mock } = mockedSqs();
    mock.on(GetQueueAttributesCommand).rejects(awsError('AccessDenied', 'not allowed', 'client'));

    // Act
    const counting = new SqsDeadLetterQueues(sqs).waiting('https://dlq');

    // Assess
    await expect(counting).rejects.toMatchObject({ code: 'AWS_REQUEST_REJECTED' });
  });
});
