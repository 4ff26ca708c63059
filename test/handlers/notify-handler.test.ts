import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError, DependencyError } from '../../functions/platform/errors.js';
import type { WebhookSender } from '../../functions/ports/webhook-sender.js';
import { aContext, anSqsEvent } from '../support/lambda.js';
import { REFERRAL } from '../support/referrals.js';

const SECRET = 'whsec_G5SPp4ch49uiLD1+649q9tx3r6J9TL9P';
const NEW_SECRET = 'whsec_S3cRetN3xtR0tat10nK3y0123456789a';
const ENV = {
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'error',
  PARTNERS_TABLE: 'partners-table',
  REFERRAL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/referral',
  REFERRAL_RETRY_BASE_SECONDS: '30',
  REFERRAL_RETRY_MAX_SECONDS: '3600',
};

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;
// The sender adapter's own behaviour (resolution checks, timeouts, redirects) is tested in
// test/integration/webhook-sender-resolution.test.ts; here it is replaced, so nothing leaves the process.
const { postMock, senderOptions } = vi.hoisted(() => ({
  postMock: vi.fn<WebhookSender['post']>(),
  senderOptions: [] as unknown[],
}));
vi.mock('../../functions/adapters/http-webhook-sender.js', () => ({
  HttpWebhookSender: class {
    constructor(options: unknown) {
      senderOptions.push(options);
    }
    post = postMock;
  },
}));

describe('notify handler', () => {
  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/notify/handler.js')) as never);
  });

  beforeEach(() => {
    db.reset();
    sqs.reset();
    postMock.mockReset();
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({
      Item: {
        partnerId: 'southwest-freight',
        region: 'yunnan-guangxi',
        secrets: [{ secret: SECRET }],
        callbackUrl: 'https://partner.example/referrals',
      },
    });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    // The jitter at its top, so a delay is the whole backoff (the jitter has its own tests below).
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it.each([
    ['the secret it keeps until the overlap ends', SECRET],
    ['the secret it rotated to', NEW_SECRET],
  ])(
    'signs with every active secret during a rotation, so a partner holding %s verifies',
    async (_name, held) => {
      // Prepare
      db.on(GetCommand, { TableName: 'partners-table' }).resolves({
        Item: {
          partnerId: 'southwest-freight',
          region: 'yunnan-guangxi',
          secrets: [{ secret: SECRET, notAfter: '2999-01-01T00:00:00Z' }, { secret: NEW_SECRET }],
          callbackUrl: 'https://partner.example/referrals',
        },
      });
      postMock.mockResolvedValue({ status: 204 });

      // Act
      const result = await handler(anSqsEvent([JSON.stringify(REFERRAL)]), aContext('notify'));

      // Assess
      expect(result.batchItemFailures).toEqual([]);
      const [, headers, body] = postMock.mock.calls[0]!;
      expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
      expect(new Webhook(held).verify(body, headers)).toMatchObject({
        type: 'parcel.referred',
      });
    },
  );

  it('posts the referral, signed with the partner’s secret, with the referral id as webhook id', async () => {
    // Prepare
    postMock.mockResolvedValue({ status: 204 });
    // Act
    const result = await handler(anSqsEvent([JSON.stringify(REFERRAL)]), aContext('notify'));
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const [url, headers, body] = postMock.mock.calls[0]!;
    expect(url).toBe('https://partner.example/referrals');
    expect(headers['webhook-id']).toBe(REFERRAL.referralId);
    const payload = new Webhook(SECRET).verify(body, headers);
    expect(payload).toEqual({
      type: 'parcel.referred',
      timestamp: REFERRAL.referredAt,
      data: {
        partnerId: 'southwest-freight',
        manifestId: 'SWF-20261127-0041',
        parcelId: 'SWF7781000123',
        lane: 'hold',
        referralId: REFERRAL.referralId,
      },
    });
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0);
  });

  it.each([
    ['a 500 answer on the first receive', () => postMock.mockResolvedValue({ status: 500 }), 1, 30],
    ['a 300 answer on the first receive', () => postMock.mockResolvedValue({ status: 300 }), 1, 30],
    ['a 410 answer on the third receive', () => postMock.mockResolvedValue({ status: 410 }), 3, 120],
    [
      'a 429 asking for 10 minutes on the first receive',
      () => postMock.mockResolvedValue({ status: 429, retryAfter: '600' }),
      1,
      600,
    ],
    [
      'a 503 asking for less than the backoff on the third receive',
      () => postMock.mockResolvedValue({ status: 503, retryAfter: '5' }),
      3,
      120,
    ],
    [
      'a 429 asking for more than the ceiling',
      () => postMock.mockResolvedValue({ status: 429, retryAfter: '86400' }),
      1,
      3600,
    ],
    [
      'a 503 asking for a time given as a date, 15 minutes on',
      () => {
        // The clock stopped on a whole second: an HTTP date has none, and the handler reads the clock a
        // few milliseconds after the date is written, which across a second's end made the delay 899 s.
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(new Date('2026-11-29T08:00:00.000Z'));
        postMock.mockResolvedValue({
          status: 503,
          retryAfter: new Date(Date.now() + 15 * 60_000).toUTCString(),
        });
      },
      1,
      900,
    ],
    [
      'no answer on the eighth receive',
      () => postMock.mockRejectedValue(new DependencyError('callback did not answer within 5000 ms')),
      8,
      3600,
    ],
  ])('backs off after %s and reports the record as failed', async (_name, arrange, receiveCount, delay) => {
    // Prepare
    arrange();
    // Act
    const result = await handler(anSqsEvent([JSON.stringify(REFERRAL)], receiveCount), aContext('notify'));
    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toEqual({
      QueueUrl: ENV.REFERRAL_QUEUE_URL,
      ReceiptHandle: 'handle-0',
      VisibilityTimeout: delay,
    });
  });

  it('spreads referrals that failed together between half their backoff and all of it', async () => {
    // Prepare: a partner down; three referrals fail on their third receive (backoff 120 s)
    postMock.mockResolvedValue({ status: 503 });
    vi.spyOn(Math, 'random').mockReturnValueOnce(0).mockReturnValueOnce(0.5).mockReturnValueOnce(0.999_999);
    const referrals = ['a', 'b', 'c'].map((tail) =>
      JSON.stringify({ ...REFERRAL, referralId: `ref_0123456789abcdef012${tail}` }),
    );
    // Act
    const result = await handler(anSqsEvent(referrals, 3), aContext('notify'));
    // Assess
    expect(result.batchItemFailures).toHaveLength(3);
    const delays = sqs
      .commandCalls(ChangeMessageVisibilityCommand)
      .map((call) => call.args[0].input.VisibilityTimeout);
    expect(delays).toEqual([60, 90, 120]);
  });

  it('sets the backoff before it answers, so a Lambda frozen after answering cannot lose it', async () => {
    // Prepare: SQS takes a while to change the visibility
    postMock.mockResolvedValue({ status: 503 });
    let backoffSet = false;
    sqs.on(ChangeMessageVisibilityCommand).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      backoffSet = true;
      return {};
    });

    // Act
    const result = await handler(anSqsEvent([JSON.stringify(REFERRAL)]), aContext('notify'));

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
    expect(backoffSet).toBe(true);
  });

  it('waits as long as a Retry-After asks even when the jitter draws a shorter delay', async () => {
    // Prepare
    postMock.mockResolvedValue({ status: 429, retryAfter: '100' });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    // Act
    await handler(anSqsEvent([JSON.stringify(REFERRAL)], 3), aContext('notify'));
    // Assess: the backoff's draw is 60 s; the partner asked for 100
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input.VisibilityTimeout).toBe(100);
  });

  it('builds its sender with the referral timeout, for loopback receivers only on the embedded stack', () => {
    // Assess: REFERRAL_ALLOW_HTTP is unset here, so no address of this machine may be posted to
    expect(senderOptions).toEqual([{ timeoutMs: 15_000, localReceivers: false }]);
  });

  it('fails a callback whose host resolves to a refused address as it fails a refused URL, with backoff', async () => {
    // Prepare: the sender refuses at send time what the callback URL rule cannot see in the URL
    postMock.mockRejectedValue(
      new AppError(
        'CALLBACK_NOT_DELIVERABLE',
        'callback host partner.example resolves to a private address (10.0.0.5)',
      ),
    );
    // Act
    const result = await handler(anSqsEvent([JSON.stringify(REFERRAL)], 2), aContext('notify'));
    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
    expect(postMock).toHaveBeenCalledTimes(1);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toMatchObject({
      VisibilityTimeout: 60,
    });
  });

  it('delivers nothing and succeeds for a partner without a callback URL', async () => {
    // Prepare
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({
      Item: { partnerId: 'southwest-freight', region: 'yunnan-guangxi', secrets: [{ secret: SECRET }] },
    });
    // Act
    const result = await handler(anSqsEvent([JSON.stringify(REFERRAL)]), aContext('notify'));
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(postMock).not.toHaveBeenCalled();
  });

  it('refuses a plain-http callback outside the embedded stack', async () => {
    // Prepare
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({
      Item: {
        partnerId: 'southwest-freight',
        region: 'yunnan-guangxi',
        secrets: [{ secret: SECRET }],
        callbackUrl: 'http://partner.example/r',
      },
    });
    // Act
    const result = await handler(anSqsEvent([JSON.stringify(REFERRAL)]), aContext('notify'));
    // Assess
    expect(result.batchItemFailures).toHaveLength(1);
    expect(postMock).not.toHaveBeenCalled();
  });

  it.each([
    ['the metadata address', 'https://169.254.169.254/latest/meta-data'],
    ['a private address', 'https://10.0.0.5/referrals'],
    ['loopback', 'https://127.0.0.1/referrals'],
    ['credentials in the URL', 'https://user:secret@partner.example/referrals'],
  ])('refuses a callback URL with %s and posts nothing', async (_name, callbackUrl) => {
    // Prepare
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({
      Item: {
        partnerId: 'southwest-freight',
        region: 'yunnan-guangxi',
        secrets: [{ secret: SECRET }],
        callbackUrl,
      },
    });
    // Act
    const result = await handler(anSqsEvent([JSON.stringify(REFERRAL)]), aContext('notify'));
    // Assess
    expect(result.batchItemFailures).toHaveLength(1);
    expect(postMock).not.toHaveBeenCalled();
  });
});
