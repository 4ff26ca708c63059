import { resolve } from 'node:path';
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebhookSender } from '../../functions/ports/webhook-sender.js';
import { awsError } from '../support/aws-mocks.js';
import { readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { aContext, anSqsEvent, SCREEN_ENV } from '../support/lambda.js';
import { REFERRAL } from '../support/referrals.js';
import { PARCEL_ROUTE, staff, staffEvent, storedReviewItem } from '../support/review-api.js';
import { aScreeningMessage } from '../support/screening-messages.js';

/**
 * What an on-call operator reads: the lines of screen, notify and review name the partner, manifest,
 * parcel and referral they are about, at the levels an operator's log level keeps (info and up), and
 * never a party's name, phone or address.
 */

const ENV = {
  ...SCREEN_ENV,
  LOG_LEVEL: 'info',
  PARTNERS_TABLE: 'partners-table',
  REFERRAL_RETRY_BASE_SECONDS: '30',
  REFERRAL_RETRY_MAX_SECONDS: '3600',
  AUDIT_LOG_TABLE: 'audit-table',
  LEASE_MINUTES: '20',
  OFFICES_FILE: resolve(import.meta.dirname, '../../rules/reference/offices.yaml'),
};

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const handlers: Record<'screen' | 'notify' | 'review', Handler> = {} as never;
const { postMock } = vi.hoisted(() => ({ postMock: vi.fn<WebhookSender['post']>() }));
vi.mock('../../functions/adapters/http-webhook-sender.js', () => ({
  HttpWebhookSender: class {
    post = postMock;
  },
}));

/** The JSON lines the handlers write while `act` runs. */
const linesWhile = async (act: () => Promise<unknown>): Promise<Record<string, unknown>[]> => {
  const output = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
  let written: string[];
  try {
    await act();
  } finally {
    written = output.mock.calls.map(([chunk]) => String(chunk));
    output.mockRestore();
  }
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

/** The personal data of the Shenzhen sample's parties, as it could appear in a line. */
const personalData = (): string[] =>
  readSample(SHENZHEN_MANIFEST).parcels.flatMap((parcel) =>
    [parcel.shipper, parcel.consignee].flatMap((party) => [party.name, party.phone, party.address.line]),
  );

describe('log lines an operator reads', () => {
  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
    handlers.screen = (await import('../../functions/screen/handler.js')).handler as never;
    handlers.notify = (await import('../../functions/notify/handler.js')).handler as never;
    handlers.review = (await import('../../functions/review/handler.js')).handler as never;
  });

  beforeEach(() => {
    db.reset();
    sqs.reset();
    postMock.mockReset();
    db.on(BatchGetCommand).resolves({ Responses: {} });
    db.on(PutCommand).resolves({});
    db.on(UpdateCommand).resolves({});
    db.on(QueryCommand).resolves({ Items: [] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe('screen', () => {
    it('names the partner, manifest and every parcel of a record that failed, and no party', async () => {
      // Prepare: DynamoDB throttled past the SDK's retries
      db.on(PutCommand).rejects(awsError('ProvisionedThroughputExceededException', 'slow down'));
      const message = aScreeningMessage(SHENZHEN_MANIFEST);
      // Act
      const lines = await linesWhile(() =>
        handlers.screen(anSqsEvent([JSON.stringify(message)]), aContext('screen')),
      );
      // Assess
      const failed = lines.find((line) => line.message === 'record failed');
      expect(failed).toMatchObject({
        messageId: 'message-0',
        partnerId: message.partnerId,
        manifestId: message.manifestId,
        parcelIds: message.items.map((item) => item.parcel.parcelId),
      });
      const text = JSON.stringify(lines);
      expect(personalData().filter((value) => text.includes(value))).toEqual([]);
    });

    it('names what it can of a record whose body breaks the contract, never the body', async () => {
      // Prepare: a screening message missing its receivedAt, as a botched hand-edit before a redrive leaves it
      const { receivedAt: _dropped, ...broken } = aScreeningMessage(SHENZHEN_MANIFEST);
      // Act
      const lines = await linesWhile(() =>
        handlers.screen(anSqsEvent([JSON.stringify(broken)]), aContext('screen')),
      );
      // Assess
      expect(lines.find((line) => line.message === 'record failed')).toMatchObject({
        messageId: 'message-0',
        partnerId: broken.partnerId,
        manifestId: broken.manifestId,
        parcelIds: broken.items.map((item) => item.parcel.parcelId),
        code: 'VALIDATION_FAILED',
      });
      const text = JSON.stringify(lines);
      expect(personalData().filter((value) => text.includes(value))).toEqual([]);
    });

    it('names the partner and manifest of the parcels it screened', async () => {
      // Prepare
      const message = aScreeningMessage(SHENZHEN_MANIFEST);
      // Act
      const lines = await linesWhile(() =>
        handlers.screen(anSqsEvent([JSON.stringify(message)]), aContext('screen')),
      );
      // Assess
      expect(lines.find((line) => line.message === 'parcels screened')).toMatchObject({
        messageId: 'message-0',
        partnerId: message.partnerId,
        manifestId: message.manifestId,
        parcels: message.items.length,
      });
    });
  });

  describe('notify', () => {
    beforeEach(() => {
      db.on(GetCommand, { TableName: 'partners-table' }).resolves({
        Item: {
          partnerId: 'southwest-freight',
          region: 'yunnan-guangxi',
          secrets: [{ secret: 'whsec_G5SPp4ch49uiLD1+649q9tx3r6J9TL9P' }],
          callbackUrl: 'https://partner.example/referrals',
        },
      });
    });

    it('names the partner to call and the referral it did not get when a delivery fails', async () => {
      // Prepare
      postMock.mockResolvedValue({ status: 500 });
      // Act
      const lines = await linesWhile(() =>
        handlers.notify(anSqsEvent([JSON.stringify(REFERRAL)], 3), aContext('notify')),
      );
      // Assess
      expect(lines.find((line) => line.message === 'record failed')).toMatchObject({
        level: 'warn',
        messageId: 'message-0',
        partnerId: REFERRAL.partnerId,
        manifestId: REFERRAL.manifestId,
        parcelId: REFERRAL.parcelId,
        referralId: REFERRAL.referralId,
        receiveCount: 3,
        code: 'CALLBACK_REJECTED',
      });
    });

    it('names the partner and referral of a referral it could not read', async () => {
      // Prepare: a referral of a lane the contract does not know
      const body = JSON.stringify({ ...REFERRAL, lane: 'maybe' });
      // Act
      const lines = await linesWhile(() => handlers.notify(anSqsEvent([body]), aContext('notify')));
      // Assess
      expect(lines.find((line) => line.message === 'record failed')).toMatchObject({
        level: 'error',
        partnerId: REFERRAL.partnerId,
        parcelId: REFERRAL.parcelId,
        referralId: REFERRAL.referralId,
        code: 'VALIDATION_FAILED',
      });
      expect(postMock).not.toHaveBeenCalled();
    });

    it('names the manifest and referral of a referral it delivered', async () => {
      // Prepare
      postMock.mockResolvedValue({ status: 204 });
      // Act
      const lines = await linesWhile(() =>
        handlers.notify(anSqsEvent([JSON.stringify(REFERRAL)]), aContext('notify')),
      );
      // Assess
      expect(lines.find((line) => line.message === 'referral delivered')).toMatchObject({
        partnerId: REFERRAL.partnerId,
        manifestId: REFERRAL.manifestId,
        parcelId: REFERRAL.parcelId,
        referralId: REFERRAL.referralId,
      });
    });
  });

  describe('review', () => {
    it('names the partner beside the parcel of an outcome recorded, as parcel ids are unique per partner only', async () => {
      // Prepare: a parcel claimed by the officer until well after now
      const now = Date.now();
      db.on(GetCommand, { TableName: 'review-table' }).resolves({
        Item: storedReviewItem({
          status: 'claimed',
          firedRules: [],
          partyKeys: { consignee: 'cn_1', shipper: 'sh_1', phone: 'ph_1', address: 'ad_1' },
          officeStatus: 'wuzhou-customs#claimed',
          lease: {
            holder: 'sub-wuzhou',
            holderName: 'wuzhou',
            claimedAt: new Date(now - 60_000).toISOString(),
            until: new Date(now + 600_000).toISOString(),
          },
        }),
      });
      const outcome = staffEvent(
        `POST ${PARCEL_ROUTE}/outcome`,
        staff('wuzhou', 'officer', 'wuzhou-customs'),
        {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ outcome: 'cleared' }),
          pathParameters: { partnerId: 'southwest-freight', parcelId: 'SWF7781000123' },
        },
      );
      // Act
      let response: unknown;
      const lines = await linesWhile(async () => {
        response = await handlers.review(outcome, aContext('review'));
      });
      // Assess
      expect(response).toMatchObject({ statusCode: 200 });
      expect(lines.find((line) => line.message === 'outcome recorded')).toMatchObject({
        partnerId: 'southwest-freight',
        parcelId: 'SWF7781000123',
        outcome: 'cleared',
      });
    });
  });
});
