import {
  CreateQueueCommand,
  type DeleteMessageBatchCommandOutput,
  GetQueueAttributesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../events/manifest-v1.js';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { SQS_MAX_BATCH_BYTES } from '../../functions/adapters/sqs-batch-sender.js';
import { SqsDeadLetterQueues } from '../../functions/adapters/sqs-dead-letter-queues.js';
import { parcelKey } from '../../functions/core/keys.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import {
  dynamoDbError,
  FaultPlan,
  type ProxiedRequest,
  sqsError,
} from '../../functions/local/fault-proxy.js';
import { syntheticManifest } from '../../functions/local/synthetic-manifests.js';
import { makeRedriveDeadLetters } from '../../functions/operations/redrive-dead-letters.js';
import { awsError } from '../support/aws-mocks.js';
import { type CliRun, runTool, waitUntil } from '../support/cli.js';
import { expectDeadLetters, expectEffectivelyOnce } from '../support/effects.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { operationsChainOutage } from '../support/faulty-stack.js';
import { freeLoopbackPort } from '../support/ports.js';
import { redriveTool as redrive } from '../support/tools.js';

const keyAttribute = (request: ProxiedRequest, name: string): string | undefined =>
  ((request.body.Item ?? request.body.Key) as Record<string, { S?: string }> | undefined)?.[name]?.S;

const visibleMessages = async (stack: EmbeddedStack, queueUrl: string): Promise<number> => {
  const attributes = await stack.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0);
};

/** A run's first line: its counts. The lines after name the messages it moved. */
const summaryOf = (run: CliRun): Record<string, unknown> =>
  JSON.parse(run.stdout.split('\n')[0]!) as Record<string, unknown>;

/** Every line a run printed, parsed. */
const linesOf = (run: CliRun): Record<string, unknown>[] =>
  run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** A dead letter of the inspection queue, whose consignee's name and phone must never be printed. */
const inspectionLetter = (parcelId: string): string =>
  JSON.stringify({
    version: 1,
    partnerId: 'southwest-freight',
    parcelId,
    referralId: `R-${parcelId}`,
    lane: 'hold',
    consignee: { name: 'Li Na', phone: '+8613800138000', address: '12 Jinbi Road' },
  });

/** What a run must never print: what the dead letters hold besides their ids. */
const PERSONAL = /Li Na|8613800138000|Jinbi/;

describe('npm run redrive', () => {
  const faults = new FaultPlan();
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1, faults });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('moves a message dead-lettered by a since-fixed fault back to its queue, where it is screened once', async () => {
    // Prepare: one parcel's decision cannot be written until the fault is fixed, so its message
    // fails maxReceiveCount times and is dead-lettered; the other parcels of the message are decided
    const manifest: Manifest = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'REDRIVE-1',
      parcelCount: 12,
      consignees: 3,
    });
    const blocked = parcelKey(manifest.partnerId, manifest.parcels[5]!.parcelId);
    const outage = faults.inject({
      operation: 'PutItem',
      resource: stack.tables.decisions,
      when: (request) => keyAttribute(request, 'pk') === blocked,
      times: Number.POSITIVE_INFINITY,
      fault: dynamoDbError('InternalServerError', 500),
    });
    expect((await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest))).status).toBe(202);
    await waitUntil(
      async () => (await visibleMessages(stack, stack.queues.screening.dlqUrl)) === 1,
      25_000,
      'the DLQ',
    );
    await stack.waitForIdle(10_000);
    const before = await scanAll(stack.db, stack.tables.decisions);
    expect(before.map((decision) => decision.pk)).not.toContain(blocked);
    outage.clear();
    // Act
    const run = await redrive(['--queue', 'screening']);
    await stack.waitForIdle(20_000);
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(summaryOf(run)).toMatchObject({ queue: 'screening', moved: 1, notDeleted: 0, notSent: 0 });
    await expectDeadLetters(stack, []);
    await expectEffectivelyOnce(stack, manifest.parcels.length);
    // The run is in the audit log's operations chain, under the operator who ran it
    const audited = (await new DynamoDbAuditLog(stack.db, stack.tables.auditLog).readAll()).get('operations');
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'dead-letters.redrive',
        target: 'queue/screening',
        actor: expect.any(String),
        role: 'operator',
        after: { moved: 1, notDeleted: 0, notSent: 0, stopped: null },
      }),
    ]);
  });

  it('lists what waits on a DLQ by its ids, oldest first, leaves it there, and a redrive then names what it moved', async () => {
    // Prepare: three dead letters of the inspection queue (read downstream, so what is moved stays on it)
    const dlqUrl = stack.queues.inspection.dlqUrl;
    const parcels = ['SWF-LIST-1', 'SWF-LIST-2', 'SWF-LIST-3'];
    for (const parcelId of parcels) {
      await stack.sqs.send(
        new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: inspectionLetter(parcelId) }),
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    // Act
    const listed = await redrive(['--queue', 'inspection', '--list']);
    const again = await redrive(['--queue', 'inspection', '--list']);

    // Assess: the total first (with what waited on the DLQ in all, as SQS counts it), as a redrive prints
    // its counts first; then each message by its ids, when it was sent and its receives; nothing moved
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const [total, ...messages] = linesOf(listed);
    expect(total).toEqual({
      queue: 'inspection',
      from: dlqUrl,
      listed: 3,
      leased: 0,
      waiting: { visible: 3, hidden: 0 },
    });
    expect(messages.map((message) => message.parcelId)).toEqual(parcels);
    for (const message of messages) {
      expect(message).toEqual({
        sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        receiveCount: expect.any(Number),
        partnerId: 'southwest-freight',
        parcelId: message.parcelId,
        referralId: `R-${message.parcelId}`,
        messageId: expect.any(String),
      });
    }
    expect(listed.stdout).not.toMatch(PERSONAL);
    expect(again.code).toBe(0);
    expect(
      linesOf(again)
        .slice(1)
        .map((message) => message.messageId),
    ).toEqual(messages.map((message) => message.messageId));
    expect(await visibleMessages(stack, dlqUrl)).toBe(3);

    // Act: the redrive finds them all, none hidden by the listings
    const run = await redrive(['--queue', 'inspection']);

    // Assess: the counts first, as before, with what waited on the DLQ and what is left (nothing);
    // then each message moved, by its ids
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [counts, ...moved] = linesOf(run);
    expect(counts).toEqual({
      queue: 'inspection',
      from: dlqUrl,
      moved: 3,
      notDeleted: 0,
      notSent: 0,
      leased: 0,
      waitingBefore: { visible: 3, hidden: 0 },
      waitingAfter: { visible: 0, hidden: 0 },
    });
    expect(moved.map((message) => message.parcelId)).toEqual(parcels);
    expect(moved.map((message) => message.messageId)).toEqual(messages.map((message) => message.messageId));
    expect(run.stdout).not.toMatch(PERSONAL);
    expect(await visibleMessages(stack, dlqUrl)).toBe(0);
  });

  it('reports a run the audit log fails to record, after what it moved, and exits 3', async () => {
    // Prepare: a dead letter, and an audit log that refuses every append to the operations chain
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queues.inspection.dlqUrl,
        MessageBody: inspectionLetter('SWF-UNAUDITED-1'),
      }),
    );
    const outage = operationsChainOutage(faults, stack.tables.auditLog);

    // Act
    const run = await redrive(['--queue', 'inspection', '--actor', 'ops.li']);
    outage.clear();

    // Assess: moved and said so, then what the audit log lacks, naming the action for the auditors
    expect(run.code).toBe(3);
    expect(linesOf(run)[0]).toMatchObject({ queue: 'inspection', moved: 1 });
    expect(run.stderr).toMatch(
      /^the messages stay moved, but the audit log did not record the run \(.+\): tell your auditors of dead-letters\.redrive dead-letters\.redrive:inspection:\S+ by ops\.li$/m,
    );
    expect(outage.injected).toBeGreaterThan(0);
    expect(await visibleMessages(stack, stack.queues.inspection.dlqUrl)).toBe(0);
  });

  it('names at most 50 of the messages it moved, then how many more', async () => {
    // Prepare: 53 dead letters
    const dlqUrl = stack.queues.inspection.dlqUrl;
    for (let first = 0; first < 53; first += 10) {
      await stack.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: Array.from({ length: Math.min(10, 53 - first) }, (_, index) => ({
            Id: `p${index}`,
            MessageBody: inspectionLetter(`SWF-MANY-${first + index}`),
          })),
        }),
      );
    }

    // Act
    const run = await redrive(['--queue', 'inspection']);

    // Assess
    expect(run.code).toBe(0);
    const [counts, ...moved] = linesOf(run);
    expect(counts).toMatchObject({ moved: 53 });
    expect(moved).toHaveLength(51);
    expect(moved.slice(0, 50).every((message) => String(message.parcelId).startsWith('SWF-MANY-'))).toBe(
      true,
    );
    expect(moved.at(-1)).toEqual({ andMore: 3 });
    expect(run.stdout).not.toMatch(PERSONAL);
  });

  it('lists no more than --max and says more may wait', async () => {
    // Prepare: three dead letters
    const dlqUrl = stack.queues.inspection.dlqUrl;
    for (const parcelId of ['SWF-MAX-1', 'SWF-MAX-2', 'SWF-MAX-3']) {
      await stack.sqs.send(
        new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: inspectionLetter(parcelId) }),
      );
    }

    // Act
    const run = await redrive(['--queue', 'inspection', '--list', '--max', '2']);

    // Assess
    expect(run.code).toBe(0);
    expect(linesOf(run)[0]).toMatchObject({ listed: 2, leased: 0 });
    expect(linesOf(run)).toHaveLength(3);
    expect(run.stderr).toContain('more may wait on the DLQ');
    expect(await visibleMessages(stack, dlqUrl)).toBe(3);
    // Leave the DLQ empty for the tests after
    expect(summaryOf(await redrive(['--queue', 'inspection']))).toMatchObject({
      moved: 3,
    });
  });

  it('says how many waited on the DLQ before a redrive of --max messages, and how many are left after it', async () => {
    // Prepare: three dead letters
    const dlqUrl = stack.queues.inspection.dlqUrl;
    for (const parcelId of ['SWF-LEFT-1', 'SWF-LEFT-2', 'SWF-LEFT-3']) {
      await stack.sqs.send(
        new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: inspectionLetter(parcelId) }),
      );
    }

    // Act
    const run = await redrive(['--queue', 'inspection', '--max', '2']);
    const rest = await redrive(['--queue', 'inspection']);

    // Assess: one left after the first, none after the second
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(summaryOf(run)).toMatchObject({
      moved: 2,
      waitingBefore: { visible: 3, hidden: 0 },
      waitingAfter: { visible: 1, hidden: 0 },
    });
    expect(summaryOf(rest)).toMatchObject({
      moved: 1,
      waitingBefore: { visible: 1, hidden: 0 },
      waitingAfter: { visible: 0, hidden: 0 },
    });
  });

  it.each([
    { mode: 'a redrive', flags: [], report: { moved: 1 }, counts: ['waitingBefore', 'waitingAfter'] },
    { mode: 'a listing', flags: ['--list'], report: { listed: 1 }, counts: ['waiting'] },
  ])(
    'reports $mode in full, exit 0, when SQS refuses to count the DLQ, and says why it was not counted',
    async ({ flags, report, counts }) => {
      // Prepare: a dead letter; credentials that may not read the DLQ's attributes (a policy from before)
      const dlqUrl = stack.queues.inspection.dlqUrl;
      await stack.sqs.send(
        new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: inspectionLetter('SWF-UNCOUNTED') }),
      );
      const refusal = faults.inject({
        operation: 'GetQueueAttributes',
        resource: dlqUrl.split('/').pop()!,
        times: Number.POSITIVE_INFINITY,
        fault: sqsError('AccessDenied', 403),
      });
      // Act
      const run = await redrive(['--queue', 'inspection', ...flags]);
      refusal.clear();
      // Assess
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const summary = summaryOf(run);
      expect(summary).toMatchObject(report);
      for (const count of counts) {
        expect(summary[count]).toEqual({
          notCounted: expect.stringMatching(/^SQS GetQueueAttributes: AccessDenied/),
        });
      }
      // Leave the DLQ empty for the tests after
      if (flags.length > 0) await redrive(['--queue', 'inspection']);
      expect(await visibleMessages(stack, dlqUrl)).toBe(0);
    },
  );

  it('exits 2, a configuration problem, when SQS refuses a listing before it read anything', async () => {
    // Prepare: a dead letter on a DLQ these credentials may not read
    const dlqUrl = stack.queues.inspection.dlqUrl;
    await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: inspectionLetter('SWF-DENIED') }),
    );
    const refusal = faults.inject({
      operation: 'ReceiveMessage',
      resource: dlqUrl.split('/').pop()!,
      times: Number.POSITIVE_INFINITY,
      fault: sqsError('AccessDenied', 403),
    });
    // Act
    const run = await redrive(['--queue', 'inspection', '--list']);
    refusal.clear();
    // Assess: the settings; the dead letter still there
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nothing was listed: may these credentials read and change');
    expect(linesOf(run)).toEqual([
      {
        queue: 'inspection',
        from: dlqUrl,
        listed: 0,
        leased: 0,
        waiting: { visible: 1, hidden: 0 },
        stopped: expect.any(String),
      },
    ]);
    expect(summaryOf(await redrive(['--queue', 'inspection']))).toMatchObject({
      moved: 1,
    });
  });

  it('moves no more than --max messages', async () => {
    // Prepare: three unparseable messages dead-lettered by hand
    await stack.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.screening.dlqUrl,
        Entries: [0, 1, 2].map((index) => ({ Id: `x${index}`, MessageBody: `{"poison":${index}}` })),
      }),
    );
    // Act
    const run = await redrive(['--queue', 'screening', '--max', '2']);
    // Assess
    expect(run.code).toBe(0);
    expect(summaryOf(run)).toMatchObject({ moved: 2 });
    expect(await visibleMessages(stack, stack.queues.screening.dlqUrl)).toBe(1);
    // The two moved fail screening again and come back: settled before the next test counts the DLQ.
    await waitUntil(
      async () => (await visibleMessages(stack, stack.queues.screening.dlqUrl)) === 3,
      30_000,
      'the moved messages back in the DLQ',
    );
  });

  it('exits 2, a configuration problem, when the queue named has no redrive policy', async () => {
    // Act: the screening variable names the DLQ itself, which dead-letters nowhere (its policy may read
    // a DLQ's attributes, to count what waits there)
    const run = await redrive(['--queue', 'screening'], {
      SCREENING_QUEUE_URL: stack.queues.screening.dlqUrl,
    });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "has no redrive policy naming a DLQ: is SCREENING_QUEUE_URL the screening queue's URL?",
    );
  });

  it.each([
    { mode: 'a redrive', flags: [], nothing: 'nothing was moved' },
    { mode: 'a listing', flags: ['--list'], nothing: 'nothing was listed' },
  ])(
    'exits 2, a configuration problem, when the queue URL of $mode names no queue',
    async ({ flags, nothing }) => {
      // Act: a typo in the queue's name
      const run = await redrive(['--queue', 'screening', ...flags], {
        SCREENING_QUEUE_URL: `${stack.queues.screening.url}-typo`,
      });
      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `${nothing}: is SCREENING_QUEUE_URL the screening queue's URL, and may these credentials read it?`,
      );
    },
  );

  it.each([
    {
      what: 'reading the DLQ',
      operation: 'ReceiveMessage',
      queue: () => stack.queues.screening.dlqUrl,
      hint: 'nothing was moved: may these credentials read and change',
    },
    {
      what: 'sending a dead letter back',
      operation: 'SendMessageBatch',
      queue: () => stack.queues.screening.url,
      hint: 'and send to the screening queue?',
    },
  ])(
    'exits 2, a configuration problem, when SQS refuses $what before anything moved',
    async ({ operation, queue, hint }) => {
      // Prepare: a dead letter, and a queue these credentials may not use
      await stack.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: stack.queues.screening.dlqUrl,
          Entries: [{ Id: 'x', MessageBody: `{"poison":"${operation}"}` }],
        }),
      );
      const waiting = await visibleMessages(stack, stack.queues.screening.dlqUrl);
      const refusal = faults.inject({
        operation,
        resource: queue().split('/').pop()!,
        times: Number.POSITIVE_INFINITY,
        fault: sqsError('AccessDenied', 403),
      });
      // Act
      const run = await redrive(['--queue', 'screening']);
      refusal.clear();
      // Assess: the settings, not the messages; the dead letter is there for the next run (a lease given back)
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(hint);
      await waitUntil(
        async () => (await visibleMessages(stack, stack.queues.screening.dlqUrl)) === waiting,
        70_000,
        'the dead letters visible again on the DLQ',
      );
    },
  );

  it('exits 1, not 2, when SQS refuses a request after it sent a dead letter, and says when to run it again', async () => {
    // Prepare: a dead letter whose delete and lease release the DLQ refuses, once it was sent back
    const dlqUrl = stack.queues.referral.dlqUrl;
    const dlqName = dlqUrl.split('/').pop()!;
    await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: '{"poison":"undeletable"}' }),
    );
    const refusals = ['DeleteMessageBatch', 'ChangeMessageVisibilityBatch'].map((operation) =>
      faults.inject({
        operation,
        resource: dlqName,
        times: Number.POSITIVE_INFINITY,
        fault: sqsError('AccessDenied', 403),
      }),
    );
    // Act
    const run = await redrive(['--queue', 'referral']);
    for (const refusal of refusals) refusal.clear();
    // Assess: not the settings (a message went back), and hidden on the DLQ for the lease still
    expect(run.code).toBe(1);
    expect(summaryOf(run)).toMatchObject({ moved: 0, notDeleted: 1, notSent: 0, leased: 1 });
    expect(run.stderr).toContain(
      'run it again in 60 s, when the 1 still leased on the DLQ are visible again, to move the rest',
    );
  });

  it('exits 3 when SQS stops answering after it sent a dead letter, and says to run it again', async () => {
    // Prepare: a dead letter whose delete never reaches the DLQ
    const dlqUrl = stack.queues.referral.dlqUrl;
    await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: '{"poison":"unreachable"}' }),
    );
    const outage = faults.inject({
      operation: 'DeleteMessageBatch',
      resource: dlqUrl.split('/').pop()!,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'drop' },
    });
    // Act
    const run = await redrive(['--queue', 'referral']);
    outage.clear();
    // Assess: its lease given back, so it can be run again at once
    expect(run.code).toBe(3);
    expect(summaryOf(run)).toMatchObject({ moved: 0, notDeleted: 1, leased: 0 });
    expect(run.stderr).toMatch(/^redrive could not reach SQS: .*; run it again to move the rest$/m);
  });

  it.each([
    { mode: 'a redrive', flags: [], says: /^redrive could not reach SQS: .*; nothing was moved$/m },
    {
      mode: 'a listing',
      flags: ['--list'],
      says: /^redrive --list could not reach SQS: .*; nothing was listed$/m,
    },
  ])(
    'exits 3 when SQS does not answer $mode, as the audit tool does when it cannot read',
    async ({ flags, says }) => {
      // Prepare: an endpoint nothing listens on
      const port = await freeLoopbackPort();
      // Act
      const run = await redrive(['--queue', 'screening', ...flags], {
        AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${port}`,
      });
      // Assess
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(says);
    },
  );

  it.each(['nowhere', 'toString', '__proto__'])(
    'refuses the unknown queue %s with a usage message',
    async (queue) => {
      // Act: as npm starts it
      const run = await runTool('functions/tools/redrive.ts', ['--queue', queue]);
      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`unknown queue ${queue}`);
    },
  );

  it.each(['0', '-1', '2.5', '0x10', '1e2', ' 2', '9007199254740993'])(
    'refuses --max %j with a usage message',
    async (max) => {
      // Act
      const run = await redrive([`--max=${max}`]);
      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--max must be a positive whole number');
    },
  );

  it('names every setting a run needs at once, the region and the queue URL', async () => {
    // Act: neither is set
    const run = await redrive(['--queue', 'referral'], {
      AWS_REGION: '',
      REFERRAL_QUEUE_URL: '',
    });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("settings: AWS_REGION and REFERRAL_QUEUE_URL (the referral queue's URL)");
  });
});

describe('redrive of large dead letters', () => {
  // An SQS of its own, with no consumer: what is redriven stays on the source queue to be counted
  let fauxqs: FauxqsServer;
  const client = () =>
    new SQSClient({
      endpoint: `http://127.0.0.1:${fauxqs.port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      useQueueUrlAsEndpoint: false,
    });
  /** Prepares and inspects the queues. */
  let admin: SQSClient;
  /** The adapter's own client, so a test can watch (or fail) the batches it sends. */
  let sqs: SQSClient;
  let sentBatches: SendMessageBatchRequestEntry[][];
  let failSendBatch: (call: number) => boolean;

  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: 'eu-west-1' });
    admin = client();
    sqs = client();
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageBatchCommand') {
          const input = args.input as { Entries: SendMessageBatchRequestEntry[] };
          sentBatches.push(input.Entries);
          if (failSendBatch(sentBatches.length)) {
            throw awsError('ThrottlingException', 'Rate exceeded');
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'watchSendMessageBatch' },
    );
  });

  afterAll(async () => {
    sqs?.destroy();
    admin?.destroy();
    await fauxqs?.stop();
  });

  let queuePairs = 0;
  /** A source queue and its DLQ, new for each test. */
  const queuePair = async (): Promise<{ source: string; dlq: string }> => {
    queuePairs += 1;
    sentBatches = [];
    failSendBatch = () => false;
    const dlq = (await admin.send(new CreateQueueCommand({ QueueName: `large-${queuePairs}-dlq` })))
      .QueueUrl!;
    const dlqArn = (
      await admin.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    const source = (
      await admin.send(
        new CreateQueueCommand({
          QueueName: `large-${queuePairs}`,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) },
        }),
      )
    ).QueueUrl!;
    return { source, dlq };
  };

  const deadLetter = async (
    dlq: string,
    index: number,
    padBytes: number,
    attributes: Record<string, MessageAttributeValue> = {},
  ): Promise<void> => {
    await admin.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: JSON.stringify({ index, pad: 'x'.repeat(padBytes) }),
        MessageAttributes: attributes,
      }),
    );
  };

  /** Takes every message off a queue, for good. */
  const drain = async (queueUrl: string) => {
    const messages = [];
    for (;;) {
      const received = await admin.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 600,
          MessageAttributeNames: ['All'],
        }),
      );
      if (!received.Messages?.length) return messages;
      messages.push(...received.Messages);
    }
  };

  const queueCounts = async (queueUrl: string) => {
    const { Attributes } = await admin.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(Attributes?.ApproximateNumberOfMessages),
      leased: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
    };
  };

  /** Counted as SQS counts a batch: body bytes, plus each attribute's name, type and value. */
  const batchBytes = (entries: SendMessageBatchRequestEntry[]): number =>
    entries.reduce(
      (sum, entry) =>
        sum +
        Buffer.byteLength(entry.MessageBody!) +
        Object.entries(entry.MessageAttributes ?? {}).reduce(
          (attributeSum, [name, value]) =>
            attributeSum +
            Buffer.byteLength(name) +
            Buffer.byteLength(value.DataType!) +
            Buffer.byteLength(value.StringValue ?? value.BinaryValue ?? ''),
          0,
        ),
      0,
    );

  it('moves six dead letters of 190 KB, more than one batch can carry, back to their queue once each', async () => {
    // Prepare: six messages, each within ingest's 200,000-byte budget, together over SQS's 1 MiB batch limit
    const { source, dlq } = await queuePair();
    for (let index = 0; index < 6; index += 1) {
      await deadLetter(dlq, index, 190_000, { kind: { DataType: 'String', StringValue: `large-${index}` } });
    }
    // Act
    const report = await makeRedriveDeadLetters(new SqsDeadLetterQueues(sqs))({ sourceQueueUrl: source });
    // Assess
    expect(report).toMatchObject({ deadLetterQueueUrl: dlq, moved: 6, notDeleted: 0, notSent: 0 });
    const arrived = await drain(source);
    expect(arrived.map((message) => (JSON.parse(message.Body!) as { index: number }).index).sort()).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
    for (const message of arrived) {
      const { index } = JSON.parse(message.Body!) as { index: number };
      expect(message.MessageAttributes?.kind).toMatchObject({
        DataType: 'String',
        StringValue: `large-${index}`,
      });
    }
    expect(await queueCounts(dlq)).toEqual({ visible: 0, leased: 0 });
  });

  it('counts message attributes in a batch’s size, as SQS does', async () => {
    // Prepare: two bodies that fit one batch together, but not with their attributes
    const { source, dlq } = await queuePair();
    const attribute = { trace: { DataType: 'String', StringValue: 't'.repeat(4_000) } };
    await deadLetter(dlq, 0, 129_000, attribute);
    await deadLetter(dlq, 1, 129_000, attribute);
    // Act
    const report = await makeRedriveDeadLetters(new SqsDeadLetterQueues(sqs))({ sourceQueueUrl: source });
    // Assess
    expect(report).toMatchObject({ moved: 2, notDeleted: 0, notSent: 0 });
    expect(sentBatches.map((entries) => entries.length)).toEqual([1, 1]);
    for (const entries of sentBatches) expect(batchBytes(entries)).toBeLessThanOrEqual(SQS_MAX_BATCH_BYTES);
    expect(await drain(source)).toHaveLength(2);
    expect(await queueCounts(dlq)).toEqual({ visible: 0, leased: 0 });
  });

  it('deletes what a first batch moved when a later batch fails, and reports the rest as not sent', async () => {
    // Prepare: three large dead letters, so three batches; the second fails
    const { source, dlq } = await queuePair();
    for (let index = 0; index < 3; index += 1) await deadLetter(dlq, index, 190_000);
    failSendBatch = (call) => call === 2;
    // Act
    const report = await makeRedriveDeadLetters(new SqsDeadLetterQueues(sqs))({ sourceQueueUrl: source });
    // Assess: the one that was sent left the DLQ; the two that were not stay there, their leases given
    // back, so a run started at once moves them (not one that finds the DLQ empty and says all moved);
    // the report counts them as SQS does once the leases are back
    expect(report).toMatchObject({
      moved: 1,
      notDeleted: 0,
      notSent: 2,
      leased: 0,
      waitingBefore: { visible: 3, hidden: 0 },
      waitingAfter: { visible: 2, hidden: 0 },
    });
    expect(await drain(source)).toHaveLength(1);
    expect(await queueCounts(dlq)).toEqual({ visible: 2, leased: 0 });
    failSendBatch = () => false;
    const again = await makeRedriveDeadLetters(new SqsDeadLetterQueues(sqs))({ sourceQueueUrl: source });
    expect(again).toMatchObject({
      moved: 2,
      notDeleted: 0,
      notSent: 0,
      leased: 0,
      waitingAfter: { visible: 0, hidden: 0 },
    });
    expect(await queueCounts(dlq)).toEqual({ visible: 0, leased: 0 });
  });

  it('deletes a message whose lease ran out mid-run with its new receipt, never sending it twice', async () => {
    // Prepare: 11 dead letters; the run outlives the lease (60 s in the code, 1 s here so the test is
    // quick), and the first delete loses one entry, as SQS may answer with a Failed entry
    const { source, dlq } = await queuePair();
    for (let index = 0; index < 11; index += 1) await deadLetter(dlq, index, 10);
    const slow = client();
    let deletes = 0;
    slow.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        if (context.commandName === 'ReceiveMessageCommand') input.VisibilityTimeout = 1;
        if (context.commandName === 'DeleteMessageBatchCommand' && ++deletes === 1) {
          const entries = input.Entries as { Id: string }[];
          input.Entries = entries.slice(1);
          const result = (await next(args)) as { output: DeleteMessageBatchCommandOutput };
          result.output.Failed = [{ Id: entries[0]!.Id, Code: 'InternalError', SenderFault: false }];
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          return result as never;
        }
        return next(args);
      },
      { step: 'initialize', name: 'leaseRunsOut' },
    );
    // Act
    const report = await makeRedriveDeadLetters(new SqsDeadLetterQueues(slow))({ sourceQueueUrl: source });
    slow.destroy();
    // Assess: each message on the source queue once, none left on the DLQ, each counted once
    expect(report).toMatchObject({ moved: 11, notDeleted: 0, notSent: 0 });
    const arrived = await drain(source);
    expect(
      arrived.map((message) => (JSON.parse(message.Body!) as { index: number }).index).sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await queueCounts(dlq)).toEqual({ visible: 0, leased: 0 });
  });
});
