import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsError } from '../support/aws-mocks.js';
import { aContext, anHttpEvent } from '../support/lambda.js';

const SECRET = 'whsec_G5SPp4ch49uiLD1+649q9tx3r6J9TL9P';
const ENV = {
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'error',
  PARTNERS_TABLE: 'partners-table',
  MANIFESTS_TABLE: 'manifests-table',
  DECISIONS_TABLE: 'decisions-table',
  PARTNER_RATE_LIMITS_TABLE: 'rate-limits-table',
  STATUS_READS_PER_MINUTE: '120',
};
const ROUTE = 'GET /v1/manifests/{manifestId}';

const db = mockClient(DynamoDBDocumentClient);
let handler: (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

const signedEvent = (
  signedPayload: string,
  secret = SECRET,
  manifestId = 'SWF-1',
): APIGatewayProxyEventV2 => {
  const now = new Date();
  const base = anHttpEvent({ method: 'GET', routeKey: ROUTE });
  return {
    ...base,
    // As API Gateway passes it: decoded, whatever the path's percent-encoding
    pathParameters: { manifestId },
    headers: {
      'partner-id': 'southwest-freight',
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_1', now, signedPayload),
    },
  };
};

const decision = (parcelId: string, lane: string, manifestId = 'SWF-1') => ({
  pk: `southwest-freight#${parcelId}`,
  parcelKey: `southwest-freight#${parcelId}`,
  manifestId,
  parcelId,
  lane,
  score: 77,
  referralId: `ref_${parcelId}`,
  decidedAt: '2026-11-28T09:00:05.000Z',
  firedRules: [{ ruleId: 'border-origin', reason: 'origin Ruili is on the border origins list' }],
});

describe('partner status handler', () => {
  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/partner-status/handler.js')) as never);
  });

  beforeEach(() => {
    db.reset();
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({
      Item: { partnerId: 'southwest-freight', region: 'yunnan-guangxi', secrets: [{ secret: SECRET }] },
    });
    db.on(GetCommand, { TableName: 'manifests-table' }).resolves({
      Item: {
        partnerId: 'southwest-freight',
        manifestId: 'SWF-1',
        receivedAt: '2026-11-28T09:00:00.000Z',
        parcelIds: ['A', 'B', 'C', 'D', 'E'],
      },
    });
    db.on(BatchGetCommand).resolves({
      Responses: {
        'decisions-table': [
          decision('A', 'release'),
          decision('B', 'review'),
          decision('C', 'hold'),
          decision('D', 'do-not-load'),
        ],
      },
    });
  });

  it('tells the partner per parcel only release, hold or do-not-load, a referral id when it must act, and pending', async () => {
    // Act
    const response = await handler(signedEvent('GET /v1/manifests/SWF-1'), aContext('partner-status'));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({
      manifestId: 'SWF-1',
      partnerId: 'southwest-freight',
      receivedAt: '2026-11-28T09:00:00.000Z',
      parcels: [
        { parcelId: 'A', status: 'release' },
        { parcelId: 'B', status: 'release' },
        { parcelId: 'C', status: 'hold', referralId: 'ref_C' },
        { parcelId: 'D', status: 'do-not-load', referralId: 'ref_D' },
        { parcelId: 'E', status: 'pending' },
      ],
    });
    expect(response.body).not.toMatch(/score|rule|reason|review/i);
  });

  it.each([
    ['received', 'none of its parcels screened', []],
    ['sending', 'none of its parcels screened', []],
    // Its parcel A was sent again in SWF-2, accepted and screened: SWF-2's lane and referral are not SWF-1's
    ['received', 'a parcel id since screened in another manifest', [decision('A', 'hold', 'SWF-2')]],
    ['sending', 'a parcel id since screened in another manifest', [decision('A', 'hold', 'SWF-2')]],
    [
      'received',
      'a parcel id since screened in another manifest received later',
      [{ ...decision('A', 'hold', 'SWF-2'), receivedAt: '2026-11-28T10:00:00.000Z' }],
    ],
  ])(
    'answers 404 "post the same bytes again" for a manifest whose delivery stopped while %s, with %s',
    async (status, _case, decisions) => {
      // Prepare: stored, never handed over to screening (its delivery answered 503, or nothing)
      db.on(GetCommand, { TableName: 'manifests-table' }).resolves({
        Item: {
          partnerId: 'southwest-freight',
          manifestId: 'SWF-1',
          receivedAt: '2026-11-28T09:00:00.000Z',
          parcelIds: ['A', 'B'],
          status,
        },
      });
      db.on(BatchGetCommand).resolves({ Responses: { 'decisions-table': decisions } });

      // Act
      const response = await handler(signedEvent('GET /v1/manifests/SWF-1'), aContext('partner-status'));

      // Assess
      expect(response.statusCode).toBe(404);
      expect(JSON.parse(response.body!).detail).toMatch(/was not accepted: .*post the same bytes again/);
      expect(response.body).not.toMatch(/pending|ref_A|hold/);
    },
  );

  it('shows what was screened of a manifest whose hand-over was cut short after some parcels were sent', async () => {
    // Prepare: still `sending`, but A and C were screened (their referrals may already be out)
    db.on(GetCommand, { TableName: 'manifests-table' }).resolves({
      Item: {
        partnerId: 'southwest-freight',
        manifestId: 'SWF-1',
        receivedAt: '2026-11-28T09:00:00.000Z',
        parcelIds: ['A', 'B', 'C'],
        status: 'sending',
      },
    });
    db.on(BatchGetCommand).resolves({
      Responses: { 'decisions-table': [decision('A', 'release'), decision('C', 'hold')] },
    });

    // Act
    const response = await handler(signedEvent('GET /v1/manifests/SWF-1'), aContext('partner-status'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!).parcels).toEqual([
      { parcelId: 'A', status: 'release' },
      { parcelId: 'B', status: 'pending' },
      { parcelId: 'C', status: 'hold', referralId: 'ref_C' },
    ]);
  });

  it('answers 404 for a manifest whose record has expired, even before TTL deletes it', async () => {
    // Prepare: received 400 days ago, its record past its expiry
    db.on(GetCommand, { TableName: 'manifests-table' }).resolves({
      Item: {
        partnerId: 'southwest-freight',
        manifestId: 'SWF-1',
        receivedAt: '2025-10-25T09:00:00.000Z',
        parcelIds: ['A'],
        expiresAt: Math.floor(Date.now() / 1000) - 60,
      },
    });

    // Act
    const response = await handler(signedEvent('GET /v1/manifests/SWF-1'), aContext('partner-status'));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toMatch(/ref_A|release|pending/);
  });

  it.each([
    ['a signature over another resource', 'GET /v1/manifests/SWF-2', SECRET],
    [
      'a signature made with another secret',
      'GET /v1/manifests/SWF-1',
      'whsec_NObSePDGxVRp+16NYwZg7NSTGnkpNzGX',
    ],
  ])('answers 401 for %s and reads nothing', async (_name, payload, secret) => {
    // Act
    const response = await handler(signedEvent(payload, secret), aContext('partner-status'));
    // Assess
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['www-authenticate']).toBe('StandardWebhooks realm="parcelguard"');
    expect(db.commandCalls(GetCommand, { TableName: 'manifests-table' })).toHaveLength(0);
  });

  it.each([
    ['as written', 'GET /v1/manifests/SWF:1'],
    ['percent-encoded as sent (encodeURIComponent)', 'GET /v1/manifests/SWF%3A1'],
  ])(
    'accepts a signature over the request line with a manifest id holding ":" %s',
    async (_form, payload) => {
      // Prepare: the path was /v1/manifests/SWF%3A1
      db.on(GetCommand, { TableName: 'manifests-table' }).resolves({
        Item: {
          partnerId: 'southwest-freight',
          manifestId: 'SWF:1',
          receivedAt: '2026-11-28T09:00:00.000Z',
          parcelIds: ['A'],
        },
      });
      db.on(BatchGetCommand).resolves({ Responses: { 'decisions-table': [decision('A', 'hold', 'SWF:1')] } });
      // Act
      const response = await handler(signedEvent(payload, SECRET, 'SWF:1'), aContext('partner-status'));
      // Assess
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body!)).toMatchObject({
        manifestId: 'SWF:1',
        parcels: [{ parcelId: 'A', status: 'hold', referralId: 'ref_A' }],
      });
    },
  );

  it.each([
    ['another id, percent-encoded', 'GET /v1/manifests/SWF%3A2'],
    ['another id, as written', 'GET /v1/manifests/SWF:2'],
    ['the id encoded twice', 'GET /v1/manifests/SWF%253A1'],
  ])(
    'answers 401 to a read of a manifest id holding ":" signed over %s, and reads nothing',
    async (_name, payload) => {
      // Act
      const response = await handler(signedEvent(payload, SECRET, 'SWF:1'), aContext('partner-status'));
      // Assess
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body!).detail).toMatch(/^webhook signature rejected: no-matching-signature/);
      expect(db.commandCalls(GetCommand, { TableName: 'manifests-table' })).toHaveLength(0);
    },
  );

  it('gives an unknown partner the same answer as a known partner with a bad signature', async () => {
    // Prepare
    const badSignature = await handler(
      signedEvent('GET /v1/manifests/SWF-1', 'whsec_NObSePDGxVRp+16NYwZg7NSTGnkpNzGX'),
      aContext('partner-status'),
    );
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({});
    // Act
    const unknownPartner = await handler(signedEvent('GET /v1/manifests/SWF-1'), aContext('partner-status'));
    // Assess
    expect([unknownPartner.statusCode, badSignature.statusCode]).toEqual([401, 401]);
    const { instance: _a, ...unknown } = JSON.parse(unknownPartner.body!);
    const { instance: _b, ...bad } = JSON.parse(badSignature.body!);
    expect(unknown).toEqual(bad);
  });

  it('gives an unknown partner the same answer as a known one when the signature headers are missing', async () => {
    // Prepare
    const unsigned = {
      ...signedEvent('GET /v1/manifests/SWF-1'),
      headers: { 'partner-id': 'southwest-freight' },
    };
    const known = await handler(unsigned, aContext('partner-status'));
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({});
    // Act
    const unknown = await handler(unsigned, aContext('partner-status'));
    // Assess
    expect(JSON.parse(unknown.body!).detail).toBe(JSON.parse(known.body!).detail);
  });

  it('says when a signed read names no partner, where an unknown one is a bad signature', async () => {
    // Prepare
    const { 'partner-id': _named, ...headers } = signedEvent('GET /v1/manifests/SWF-1').headers;
    // Act
    const unnamed = await handler(
      { ...signedEvent('GET /v1/manifests/SWF-1'), headers },
      aContext('partner-status'),
    );
    // Assess
    expect(unnamed.statusCode).toBe(401);
    expect(JSON.parse(unnamed.body!).detail).toBe(
      'the request names no partner id (a manifest\'s partnerId, a status read\'s partner-id header: 1 to 64 letters, digits and . _ : -), so no partner\'s secret can verify it; webhook signature rejected: no-matching-signature (no v1 signature in webhook-signature matches: HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.GET /v1/manifests/<manifestId>" with the partner\'s secret, sent as "v1,<base64>")',
    );
  });

  it('answers 429 with the limit named and retry-after once the partner is over its status reads, reading no decision', async () => {
    // Prepare: the partner's window of status reads is full
    db.on(UpdateCommand, { TableName: 'rate-limits-table' }).rejects(
      awsError('ConditionalCheckFailedException', 'limit'),
    );
    // Act
    const response = await handler(signedEvent('GET /v1/manifests/SWF-1'), aContext('partner-status'));
    // Assess
    expect(response.statusCode).toBe(429);
    expect(JSON.parse(response.body!)).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 'status-reads-per-minute',
      max: 120,
      detail: 'partner southwest-freight is over 120 status reads a minute',
    });
    expect(Number(response.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(db.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it("counts a status read in the partner's own window of reads, after its signature is good", async () => {
    // Act
    const good = await handler(signedEvent('GET /v1/manifests/SWF-1'), aContext('partner-status'));
    const badlySigned = await handler(
      signedEvent('GET /v1/manifests/SWF-1', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
      aContext('partner-status'),
    );
    // Assess: one count, the good read's, on a key of status reads (not the partner's manifest posts)
    expect([good.statusCode, badlySigned.statusCode]).toEqual([200, 401]);
    const counted = db.commandCalls(UpdateCommand, { TableName: 'rate-limits-table' });
    expect(counted).toHaveLength(1);
    expect(counted[0]!.args[0].input.Key).toEqual({
      pk: expect.stringMatching(/^southwest-freight#status-reads#\d+$/),
    });
  });

  it('tells browsers not to sniff its answers', async () => {
    // Act
    const ok = await handler(signedEvent('GET /v1/manifests/SWF-1'), aContext('partner-status'));
    const refused = await handler(signedEvent('GET /v1/manifests/SWF-2'), aContext('partner-status'));
    // Assess
    expect([ok.statusCode, refused.statusCode]).toEqual([200, 401]);
    expect(ok.headers?.['x-content-type-options']).toBe('nosniff');
    expect(refused.headers?.['x-content-type-options']).toBe('nosniff');
  });
});
