import { request } from 'node:http';
import type { Server } from 'node:net';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventSourceConcurrency, LOCAL_MAX_CONCURRENCY } from '../../functions/local/embedded-stack.js';
import { waitForEventSourcesIdle } from '../../functions/local/event-sources.js';
import { startHttpServer } from '../../functions/local/http-server.js';
import { makeLambdaContext } from '../../functions/local/lambda-context.js';
import { SqsPoller } from '../../functions/local/sqs-poller.js';
import { FUNCTIONS, QUEUES } from '../../infra/definitions.js';

/** Lambda's limit on a synchronous invocation's payload (request and response), as AWS documents it. */
const LAMBDA_MAX_EVENT_BYTES = 6_291_456;

/**
 * The local runner plays API Gateway (HTTP API, payload 2.0) and Lambda's SQS event source: what it
 * hands a handler, and what it does with the answer, must be what AWS does, or a test on the embedded
 * stack passes for code that fails in AWS.
 */

interface Answer {
  status: number;
  body: string;
}

/** Sends raw headers, repeated ones included, which fetch would merge before they leave. */
const send = (
  url: string,
  path: string,
  headers: [string, string][],
  body?: Buffer | string,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: [['host', target.host], ...headers].flat(),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });

describe('the local API Gateway', () => {
  let server: Server;
  let url: string;
  let received: APIGatewayProxyEventV2[];

  beforeAll(async () => {
    ({ server, url } = await startHttpServer([
      {
        method: 'POST',
        path: '/v1/manifests',
        context: () => makeLambdaContext('ingest', 10),
        handler: async (event) => {
          received.push(event);
          return { statusCode: 204 };
        },
      },
      {
        method: 'GET',
        path: '/v1/manifests/{manifestId}',
        context: () => makeLambdaContext('partnerStatus', 10),
        handler: async (event) => {
          received.push(event);
          // A body of as many bytes as the id asks for (`bytes-1000`), else none.
          const bytes = /^bytes-(\d+)$/.exec(event.pathParameters?.manifestId ?? '')?.[1];
          return { statusCode: 200, body: 'x'.repeat(Number(bytes ?? 0)) };
        },
      },
    ]));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    received = [];
  });

  const bodyOf = (event: APIGatewayProxyEventV2): Buffer =>
    Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/problem+json',
    'application/xml',
    'application/javascript',
  ])('hands a %s body over as UTF-8 text, not base64', async (contentType) => {
    // Prepare
    const body = '{"goods":"红木雕花茶几 🪑"}';

    // Act
    const answer = await send(url, '/v1/manifests', [['content-type', contentType]], body);

    // Assess
    expect(answer.status).toBe(204);
    expect(received[0]).toMatchObject({ body, isBase64Encoded: false });
  });

  it.each([['application/octet-stream'], ['application/x-www-form-urlencoded'], ['image/png'], [undefined]])(
    'hands a %s body over base64-encoded',
    async (contentType) => {
      // Prepare
      const body = Buffer.from('{"goods":"红木"}');

      // Act
      await send(
        url,
        '/v1/manifests',
        contentType === undefined ? [] : [['content-type', contentType]],
        body,
      );

      // Assess
      expect(received[0]).toMatchObject({ body: body.toString('base64'), isBase64Encoded: true });
    },
  );

  it('hands bytes that are not UTF-8 under a text type over base64, exactly as sent', async () => {
    // Prepare
    const body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);

    // Act
    await send(url, '/v1/manifests', [['content-type', 'application/json']], body);

    // Assess
    expect(received[0]!.isBase64Encoded).toBe(true);
    expect(bodyOf(received[0]!)).toEqual(body);
  });

  it('joins a repeated header with commas, content-type included, as API Gateway does', async () => {
    // Act
    await send(
      url,
      '/v1/manifests',
      [
        ['content-type', 'application/json'],
        ['webhook-signature', 'v1,AAA='],
        ['webhook-signature', 'v1,BBB='],
        ['content-type', 'text/plain'],
      ],
      '{}',
    );

    // Assess
    expect(received[0]!.headers).toMatchObject({
      'webhook-signature': 'v1,AAA=,v1,BBB=',
      'content-type': 'application/json,text/plain',
    });
  });

  it('hands cookies over in cookies, one entry per cookie, and not as a header', async () => {
    // Act
    await send(url, '/v1/manifests', [
      ['cookie', 'a=1; b=2'],
      ['cookie', 'c=3'],
    ]);

    // Assess
    expect(received[0]!.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(received[0]!.headers.cookie).toBeUndefined();
  });

  it('answers 413 itself, without invoking the function, when the event would exceed Lambda’s 6 MB', async () => {
    // Prepare: under API Gateway's 10 MB, over what Lambda takes in one synchronous invocation
    const body = `"${'x'.repeat(LAMBDA_MAX_EVENT_BYTES - 2)}"`;

    // Act
    const answer = await send(url, '/v1/manifests', [['content-type', 'application/json']], body);

    // Assess
    expect(answer).toEqual({ status: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
    expect(received).toEqual([]);
  });

  it('invokes the function with a body that keeps the event under 6 MB', async () => {
    // Prepare
    const body = `"${'x'.repeat(LAMBDA_MAX_EVENT_BYTES - 64 * 1024)}"`;

    // Act
    const answer = await send(url, '/v1/manifests', [['content-type', 'application/json']], body);

    // Assess
    expect(answer.status).toBe(204);
    expect(received[0]!.body).toBe(body);
  });

  it.each([
    [LAMBDA_MAX_EVENT_BYTES - 1024, 200],
    [LAMBDA_MAX_EVENT_BYTES, 500],
  ])(
    'answers a function’s response of a %i-byte body with %i, as Lambda’s 6 MB response limit has it',
    async (bytes, status) => {
      // Act
      const answer = await fetch(`${url}/v1/manifests/bytes-${bytes}`);

      // Assess
      expect(answer.status).toBe(status);
      const body = await answer.text();
      expect(status === 200 ? body.length : body).toBe(
        status === 200 ? bytes : '{"message":"Internal Server Error"}',
      );
    },
  );

  it('takes a path starting with // as the path it is, not as another host', async () => {
    // Act: sent raw, as fetch would resolve it against a host
    const answer = await new Promise<number>((resolve, reject) => {
      const target = new URL(url);
      const outgoing = request(
        { host: target.hostname, port: target.port, path: '//evil.example/v1/manifests/A1', method: 'GET' },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });

    // Assess: no route takes it, as in API Gateway, and no function is invoked with another path
    expect(answer).toBe(404);
    expect(received).toEqual([]);
  });

  it('answers 413 for a binary body whose base64 would exceed 6 MB', async () => {
    // Prepare: 4.8 MB is 6.4 MB in base64
    const body = Buffer.alloc(4_800_000, 1);

    // Act
    const answer = await send(url, '/v1/manifests', [['content-type', 'application/octet-stream']], body);

    // Assess
    expect(answer.status).toBe(413);
    expect(received).toEqual([]);
  });
});

describe('the local SQS event source', () => {
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  let sqs: SQSClient;
  let queues = 0;

  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: 'us-east-1' });
    sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${fauxqs.port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      useQueueUrlAsEndpoint: false,
    });
  });

  afterAll(async () => {
    sqs.destroy();
    await fauxqs.stop();
  });

  /** A new queue holding `count` messages, bodies `m0`, `m1`, … */
  const aQueueWith = async (count: number): Promise<{ url: string; arn: string }> => {
    queues += 1;
    const name = `fidelity-${queues}`;
    const url = (
      await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '60' } }))
    ).QueueUrl!;
    for (let first = 0; first < count; first += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: Math.min(10, count - first) }, (_, index) => ({
            Id: `m${first + index}`,
            MessageBody: `m${first + index}`,
          })),
        }),
      );
    }
    return { url, arn: `arn:aws:sqs:us-east-1:000000000000:${name}` };
  };

  /** Messages still in the queue, visible or in flight: what the event source did not delete. */
  const remaining = async (url: string): Promise<number> => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
    );
  };

  const until = async (condition: () => boolean, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** A poller on `queue` with a 60 s visibility timeout, invoking `handler` as screen would be. */
  const aPoller = (
    queue: { url: string; arn: string },
    handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
    settings: { batchSize: number; concurrency?: number },
  ) =>
    new SqsPoller({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      visibilityTimeoutSeconds: 60,
      context: () => makeLambdaContext('screen', 30),
      handler,
      ...settings,
    });

  /** Delivers every message of a new queue once to `answer`, then stops; what is left in the queue. */
  const deliverOnce = async (
    count: number,
    answer: (event: SQSEvent) => SQSBatchResponse,
  ): Promise<number> => {
    const queue = await aQueueWith(count);
    let seen = 0;
    const poller = aPoller(
      queue,
      async (event) => {
        seen += event.Records.length;
        return answer(event);
      },
      { batchSize: 10 },
    );
    poller.start();
    await until(() => seen >= count);
    await poller.stop();
    return remaining(queue.url);
  };

  it('deletes every record of a batch but the ones its response names', async () => {
    // Act
    const left = await deliverOnce(3, (event) => ({
      batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }],
    }));

    // Assess
    expect(left).toBe(1);
  });

  it.each([
    ['names no record of the batch', 'not-a-message-id'],
    ['is empty', ''],
    ['is null', null],
  ])('fails the whole batch, deleting nothing, when an itemIdentifier %s', async (_case, identifier) => {
    // Act
    const left = await deliverOnce(3, () => ({
      batchItemFailures: [{ itemIdentifier: identifier as string }],
    }));

    // Assess
    expect(left).toBe(3);
  });

  it('runs as many invocations at once as its concurrency, each with a batch of its own', async () => {
    // Prepare: each invocation waits (up to 5 s) until three run together
    const queue = await aQueueWith(30);
    let inFlight = 0;
    let mostAtOnce = 0;
    const poller = aPoller(
      queue,
      async () => {
        inFlight += 1;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        await until(() => mostAtOnce >= 3, 5_000).catch(() => undefined);
        inFlight -= 1;
        return { batchItemFailures: [] };
      },
      { batchSize: 1, concurrency: 3 },
    );

    // Act
    poller.start();
    await until(() => mostAtOnce >= 3, 6_000).catch(() => undefined);
    await poller.stop();

    // Assess
    expect(mostAtOnce).toBe(3);
  });

  it('stops only once every running invocation has finished and its batch is settled', async () => {
    // Prepare: two invocations held until released
    const queue = await aQueueWith(2);
    let started = 0;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const poller = aPoller(
      queue,
      async () => {
        started += 1;
        await released;
        return { batchItemFailures: [] };
      },
      { batchSize: 1, concurrency: 2 },
    );
    poller.start();
    await until(() => started === 2);

    // Act
    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stoppedBeforeRelease = stopped;
    release();
    await stopping;

    // Assess
    expect(stoppedBeforeRelease).toBe(false);
    expect(poller.busy).toBe(false);
    expect(await remaining(queue.url)).toBe(0);
  });

  it('says, when the stack stays busy, which queue holds what and how many records failed', async () => {
    // Prepare: one message on the screening queue, whose record the handler fails
    const [screening, referral, inspection] = [await aQueueWith(1), await aQueueWith(0), await aQueueWith(0)];
    const handle = (queue: { url: string; arn: string }) => ({ ...queue, dlqUrl: queue.url });
    const poller = aPoller(
      screening,
      async (event) => ({
        batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })),
      }),
      { batchSize: 10 },
    );
    poller.start();
    await until(() => poller.failedRecords === 1);

    // Act
    const waited = waitForEventSourcesIdle(
      sqs,
      { screening: handle(screening), referral: handle(referral), inspection: handle(inspection) },
      [poller],
      500,
    );

    // Assess: the record waits out its 60 s visibility, and the timeout says so
    await expect(waited).rejects.toThrow(
      /^embedded stack still busy after 500 ms: messages left, 1 on the screening queue; 1 record\(s\) failed \(the errors logged above say why\)/,
    );
    await poller.stop();
  });

  it('stops at once while its receive waits for messages, and reports no error for it', async () => {
    // Prepare: an SQS whose receive answers only when it is abandoned
    const errors: unknown[] = [];
    const waiting = {
      send: (_command: unknown, options?: { abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          options?.abortSignal?.addEventListener('abort', () => reject(new Error('Request aborted')));
        }),
    } as unknown as SQSClient;
    const poller = new SqsPoller({
      sqs: waiting,
      queueUrl: 'http://sqs.local/000000000000/waiting',
      queueArn: 'arn:aws:sqs:ap-east-1:000000000000:waiting',
      visibilityTimeoutSeconds: 60,
      context: () => makeLambdaContext('screen', 30),
      handler: async () => ({ batchItemFailures: [] }),
      batchSize: 10,
      concurrency: 2,
      onError: (error) => errors.push(error),
    });
    poller.start();

    // Act: without the abandoned receive, stop would never resolve (the test would time out)
    await poller.stop();

    // Assess
    expect(errors).toEqual([]);
    expect(poller.busy).toBe(false);
  }, 5_000);
});

describe('the embedded stack’s event sources', () => {
  it.each([
    ['screening', QUEUES.screening.consumer, FUNCTIONS.screen.timeoutSeconds],
    ['referral', QUEUES.referral.consumer, FUNCTIONS.notify.timeoutSeconds],
  ] as const)(
    'runs the %s queue’s invocations several at once, up to the local cap, with the queue’s own visibility',
    (name, consumer, timeoutSeconds) => {
      // Act
      const concurrency = eventSourceConcurrency(
        consumer,
        QUEUES[name].visibilityTimeoutSeconds,
        timeoutSeconds,
        undefined,
      );

      // Assess
      expect(concurrency).toBe(Math.min(consumer.maxConcurrency, LOCAL_MAX_CONCURRENCY));
      expect(concurrency).toBeGreaterThan(1);
    },
  );

  it.each([undefined, 4])(
    'runs one invocation at a time under a visibility shorter than the function’s timeout, which AWS refuses (asked for %s)',
    (wanted) => {
      // Act
      const concurrency = eventSourceConcurrency(
        QUEUES.screening.consumer,
        1,
        FUNCTIONS.screen.timeoutSeconds,
        wanted,
      );

      // Assess
      expect(concurrency).toBe(1);
    },
  );

  it.each([
    [1, 1],
    [3, 3],
    [500, QUEUES.referral.consumer.maxConcurrency],
  ])('runs %i at once when asked, never more than the consumer’s maxConcurrency (%i)', (wanted, expected) => {
    // Act
    const concurrency = eventSourceConcurrency(
      QUEUES.referral.consumer,
      QUEUES.referral.visibilityTimeoutSeconds,
      FUNCTIONS.notify.timeoutSeconds,
      wanted,
    );

    // Assess
    expect(concurrency).toBe(expected);
  });
});
