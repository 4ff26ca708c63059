import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsError, inputsTo } from '../support/aws-mocks.js';
import { aManifest, aManifestOf } from '../support/factories.js';
import { aContext, anHttpEvent } from '../support/lambda.js';

const SECRET = 'whsec_NObSePDGxVRp+16NYwZg7NSTGnkpNzGX';
const ENV = {
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'error',
  MANIFESTS_TABLE: 'manifests-table',
  PARCELS_TABLE: 'parcels-table',
  PARTNERS_TABLE: 'partners-table',
  WEBHOOK_DELIVERIES_TABLE: 'deliveries-table',
  PARTNER_RATE_LIMITS_TABLE: 'rate-limits-table',
  RATE_LIMIT_PER_MINUTE: '1000',
  SCREENING_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/screening',
  PARTY_KEY_SALT: 'salt-for-handler-tests',
  OFFICES_FILE: resolve(import.meta.dirname, '../../rules/reference/offices.yaml'),
  MAX_BODY_BYTES: '1000000',
  MAX_PARCELS_PER_MANIFEST: '150',
};

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

const signed = (body: string, secret = SECRET, timestamp = Math.floor(Date.now() / 1000)) => ({
  'content-type': 'application/json',
  'webhook-id': 'msg_ingest_1',
  'webhook-timestamp': String(timestamp),
  'webhook-signature': new Webhook(secret).sign('msg_ingest_1', new Date(timestamp * 1000), body),
});

/** Signed as `signed` does, with another webhook id. */
const signedWithId = (body: string, id: string) => {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': new Webhook(SECRET).sign(id, new Date(timestamp * 1000), body),
  };
};

const post = (body: string, headers: Record<string, string> = signed(body)) =>
  handler(anHttpEvent({ body, headers }), aContext('ingest'));

const problemOf = (response: APIGatewayProxyStructuredResultV2) => {
  expect(response.headers?.['content-type']).toBe('application/problem+json');
  return JSON.parse(response.body ?? '{}');
};

describe('ingest handler', () => {
  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/ingest/handler.js')) as never);
  });

  beforeEach(() => {
    db.reset();
    sqs.reset();
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({
      Item: { partnerId: 'pearl-express', region: 'yunnan-guangxi', secrets: [{ secret: SECRET }] },
    });
    db.on(PutCommand).resolves({});
    db.on(GetCommand, { TableName: 'manifests-table' }).resolves({});
    db.on(BatchGetCommand).resolves({ Responses: {} });
    db.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('stores the manifest and its parcels, queues them for screening and answers 202', async () => {
    // Prepare
    const body = JSON.stringify(aManifest());
    // Act
    const response = await post(body);
    // Assess
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body!)).toMatchObject({
      manifestId: 'PEX-2026-11-27-118',
      partnerId: 'pearl-express',
      parcelCount: 3,
      status: 'accepted',
    });
    expect(db.commandCalls(GetCommand)[0]!.args[0].input).toEqual({
      TableName: 'partners-table',
      Key: { partnerId: 'pearl-express' },
    });
    const put = inputsTo(db, PutCommand, 'manifests-table')[0];
    expect(put).toMatchObject({
      TableName: 'manifests-table',
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      Item: {
        pk: 'pearl-express#PEX-2026-11-27-118',
        status: 'received',
        bodyHash: createHash('sha256').update(body).digest('hex'),
        parcelIds: ['PEX0000918273', 'PEX0000918274', 'PEX0000918275'],
      },
    });
    const writes = inputsTo(db, PutCommand, 'parcels-table');
    expect(
      writes.every(
        (write) =>
          write.ConditionExpression ===
          'attribute_not_exists(pk) OR manifestId = :manifestId OR expiresAt <= :now',
      ),
    ).toBe(true);
    expect(writes.map((write) => write.Item?.pk).sort()).toEqual([
      'pearl-express#PEX0000918273',
      'pearl-express#PEX0000918274',
      'pearl-express#PEX0000918275',
    ]);
    const sent = sqs.commandCalls(SendMessageBatchCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.args[0].input.QueueUrl).toBe(ENV.SCREENING_QUEUE_URL);
    const message = JSON.parse(sent[0]!.args[0].input.Entries![0]!.MessageBody!);
    expect(message).toMatchObject({
      type: 'ScreeningRequested',
      version: 1,
      region: 'yunnan-guangxi',
      manifestId: 'PEX-2026-11-27-118',
    });
    expect(message.items).toHaveLength(3);
    expect(inputsTo(db, PutCommand, 'deliveries-table')[0]).toMatchObject({
      Item: { pk: 'pearl-express#msg_ingest_1' },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
    });
    expect(inputsTo(db, UpdateCommand, 'rate-limits-table')).toHaveLength(1);
    // The hand-over is started (fenced against a concurrent refusal) before anything is sent, then done.
    const [started, queued] = inputsTo(db, UpdateCommand, 'manifests-table');
    expect(started).toMatchObject({
      Key: { pk: 'pearl-express#PEX-2026-11-27-118' },
      ConditionExpression:
        'bodyHash = :bodyHash AND receivedAt = :receivedAt AND #status IN (:from0, :from1)',
      ExpressionAttributeValues: { ':to': 'sending', ':from0': 'received', ':from1': 'sending' },
    });
    expect(queued).toMatchObject({
      Key: { pk: 'pearl-express#PEX-2026-11-27-118' },
      ExpressionAttributeValues: { ':queued': 'queued' },
    });
  });

  it('packs a large manifest into several messages within the SQS batch limits', async () => {
    // Prepare
    const body = JSON.stringify(aManifestOf(120));
    // Act
    const response = await post(body);
    // Assess
    expect(response.statusCode).toBe(202);
    const entries = sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries!);
    const items = entries.flatMap((entry) => JSON.parse(entry.MessageBody!).items);
    expect(items).toHaveLength(120);
    for (const call of sqs.commandCalls(SendMessageBatchCommand)) {
      const batch = call.args[0].input.Entries!;
      expect(batch.length).toBeLessThanOrEqual(10);
      expect(
        batch.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody!), 0),
      ).toBeLessThanOrEqual(262_144);
    }
    expect(inputsTo(db, PutCommand, 'parcels-table')).toHaveLength(120);
  });

  it('answers a replayed delivery with the first receipt and sends nothing again', async () => {
    // Prepare
    const body = JSON.stringify(aManifest());
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const first = {
      pk: 'pearl-express#PEX-2026-11-27-118',
      partnerId: 'pearl-express',
      manifestId: 'PEX-2026-11-27-118',
      region: 'yunnan-guangxi',
      bodyHash,
      webhookId: 'msg_earlier',
      receivedAt: '2026-11-27T02:05:10.000Z',
      parcelIds: ['a', 'b', 'c'],
      status: 'queued',
    };
    db.on(PutCommand, { TableName: 'manifests-table' }).rejects(
      awsError('ConditionalCheckFailedException', 'exists'),
    );
    db.on(GetCommand, { TableName: 'manifests-table' }).resolves({ Item: first });
    // Act
    const response = await post(body);
    // Assess
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body!)).toEqual({
      manifestId: 'PEX-2026-11-27-118',
      partnerId: 'pearl-express',
      parcelCount: 3,
      receivedAt: '2026-11-27T02:05:10.000Z',
      status: 'accepted',
    });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(inputsTo(db, PutCommand, 'parcels-table')).toHaveLength(0);
  });

  it('refuses a manifest id reused with different content with 409', async () => {
    // Prepare
    db.on(PutCommand, { TableName: 'manifests-table' }).rejects(
      awsError('ConditionalCheckFailedException', 'exists'),
    );
    db.on(GetCommand, { TableName: 'manifests-table' }).resolves({
      Item: {
        partnerId: 'pearl-express',
        manifestId: 'PEX-2026-11-27-118',
        bodyHash: 'other',
        status: 'queued',
        parcelIds: [],
      },
    });
    // Act
    const response = await post(JSON.stringify(aManifest()));
    // Assess: idempotency is on bytes, so the detail says bytes, and what a repeat must send
    expect(response.statusCode).toBe(409);
    expect(problemOf(response)).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      detail:
        'manifest PEX-2026-11-27-118 was already accepted with different bytes: a repeat of a delivery sends the exact bytes accepted, and an accepted manifest cannot be changed',
    });
  });

  it('refuses with 409 a manifest reusing a parcel id delivered in another manifest, and stores nothing', async () => {
    // Prepare
    const manifest = aManifest();
    const reused = manifest.parcels[0]!.parcelId;
    db.on(BatchGetCommand).resolves({
      Responses: {
        'parcels-table': [{ pk: `pearl-express#${reused}`, parcelId: reused, manifestId: 'PEX-OLDER' }],
      },
    });
    // Act
    const response = await post(JSON.stringify(manifest));
    // Assess
    expect(response.statusCode).toBe(409);
    expect(problemOf(response)).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      detail: expect.stringMatching(/1 parcel id\(s\) were already delivered in another manifest/),
      reusedParcels: [{ parcelId: reused, manifestId: 'PEX-OLDER' }],
    });
    expect(db.commandCalls(PutCommand, { TableName: 'manifests-table' })).toHaveLength(0);
    expect(inputsTo(db, PutCommand, 'parcels-table')).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('lists at most 20 reused parcel ids with their manifests when another manifest took them while the parcels were stored', async () => {
    // Prepare: the ids are free when first read; by the time the parcels are written, the accepted
    // manifest PEX-RIVAL holds all 30 of them
    const manifest = aManifestOf(30, 'PEX-LATE');
    db.on(BatchGetCommand)
      .resolvesOnce({ Responses: { 'parcels-table': [] } })
      .resolves({
        Responses: {
          'parcels-table': manifest.parcels.map((parcel) => ({
            parcelId: parcel.parcelId,
            manifestId: 'PEX-RIVAL',
          })),
        },
      });
    db.on(GetCommand, { TableName: 'manifests-table', Key: { pk: 'pearl-express#PEX-RIVAL' } }).resolves({
      Item: {
        partnerId: 'pearl-express',
        manifestId: 'PEX-RIVAL',
        status: 'queued',
        receivedAt: '2026-11-29T07:00:00.000Z',
      },
    });
    db.on(PutCommand, { TableName: 'parcels-table' }).rejects(
      awsError('ConditionalCheckFailedException', 'taken'),
    );
    db.on(DeleteCommand).resolves({});
    // Act
    const response = await post(JSON.stringify(manifest));
    // Assess: the same answer as when the first read meets the ids
    expect(response.statusCode).toBe(409);
    const problem = problemOf(response);
    expect(problem).toMatchObject({
      code: 'CONFLICT',
      detail: expect.stringMatching(/^30 parcel id\(s\) were already delivered in another manifest;/),
    });
    expect(problem.reusedParcels).toEqual(
      manifest.parcels.slice(0, 20).map((parcel) => ({ parcelId: parcel.parcelId, manifestId: 'PEX-RIVAL' })),
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('refuses with 409 ids held by a manifest that never got its 202 as not delivered, saying which holds them and how to go on', async () => {
    // Prepare: PEX-M1's delivery stored its parcels 5 s ago and then failed (503): no 202
    const manifest = aManifestOf(2, 'PEX-M2');
    db.on(BatchGetCommand).resolves({
      Responses: {
        'parcels-table': manifest.parcels.map((parcel) => ({
          parcelId: parcel.parcelId,
          manifestId: 'PEX-M1',
        })),
      },
    });
    db.on(GetCommand, { TableName: 'manifests-table', Key: { pk: 'pearl-express#PEX-M1' } }).resolves({
      Item: {
        partnerId: 'pearl-express',
        manifestId: 'PEX-M1',
        bodyHash: 'h1',
        status: 'received',
        receivedAt: new Date(Date.now() - 5_000).toISOString(),
        parcelIds: manifest.parcels.map((parcel) => parcel.parcelId),
      },
    });
    // Act
    const response = await post(JSON.stringify(manifest));
    // Assess
    expect(response.statusCode).toBe(409);
    const problem = problemOf(response);
    expect(problem).toMatchObject({
      code: 'CONFLICT',
      detail: expect.stringMatching(
        /^2 parcel id\(s\) are held by manifest PEX-M1, which was not accepted \(no delivery of it got a 202\), so they are not delivered: post its same bytes again to complete it, or post this manifest again in 2\d s to send them in this one instead/,
      ),
      reusedParcels: [
        { parcelId: 'PEX-M2-P0', manifestId: 'PEX-M1' },
        { parcelId: 'PEX-M2-P1', manifestId: 'PEX-M1' },
      ],
    });
    expect(problem.detail).not.toMatch(/already delivered|new ids/);
    expect(db.commandCalls(PutCommand, { TableName: 'manifests-table' })).toHaveLength(0);
    expect(inputsTo(db, PutCommand, 'parcels-table')).toHaveLength(0);
  });

  it('counts apart, in one 409, the reused ids an accepted manifest delivered and those a manifest without its 202 holds', async () => {
    // Prepare: PEX-OLDER (accepted) holds P0; PEX-M1 (no 202, received 5 s ago) holds P1 and P2
    const manifest = aManifestOf(3, 'PEX-M2');
    db.on(BatchGetCommand).resolves({
      Responses: {
        'parcels-table': [
          { parcelId: 'PEX-M2-P0', manifestId: 'PEX-OLDER' },
          { parcelId: 'PEX-M2-P1', manifestId: 'PEX-M1' },
          { parcelId: 'PEX-M2-P2', manifestId: 'PEX-M1' },
        ],
      },
    });
    db.on(GetCommand, { TableName: 'manifests-table', Key: { pk: 'pearl-express#PEX-OLDER' } }).resolves({
      Item: { partnerId: 'pearl-express', manifestId: 'PEX-OLDER', status: 'queued' },
    });
    db.on(GetCommand, { TableName: 'manifests-table', Key: { pk: 'pearl-express#PEX-M1' } }).resolves({
      Item: {
        partnerId: 'pearl-express',
        manifestId: 'PEX-M1',
        status: 'received',
        receivedAt: new Date(Date.now() - 5_000).toISOString(),
      },
    });
    // Act
    const response = await post(JSON.stringify(manifest));
    // Assess
    expect(response.statusCode).toBe(409);
    expect(problemOf(response)).toMatchObject({
      detail: expect.stringMatching(
        /^3 parcel id\(s\) are held by other manifests\. 1 parcel id\(s\) were already delivered in another manifest; [^.]*\. 2 parcel id\(s\) are held by manifest PEX-M1, which was not accepted/,
      ),
      reusedParcels: [
        { parcelId: 'PEX-M2-P0', manifestId: 'PEX-OLDER' },
        { parcelId: 'PEX-M2-P1', manifestId: 'PEX-M1' },
        { parcelId: 'PEX-M2-P2', manifestId: 'PEX-M1' },
      ],
    });
  });

  it.each([
    ['an unknown office', 'Wuzhou-Customs', /unknown inspection office Wuzhou-Customs/],
    ['a city', 'wuzhou', /wuzhou is a city, not an inspection office/],
  ])(
    'refuses with 422 a parcel routed to %s, naming its path, and stores nothing',
    async (_name, office, reason) => {
      // Prepare
      const manifest = aManifest();
      manifest.parcels[1]!.route.inspectionOffice = office;
      // Act
      const response = await post(JSON.stringify(manifest));
      // Assess
      expect(response.statusCode).toBe(422);
      expect(problemOf(response).errors).toEqual([
        { path: 'parcels[1].route.inspectionOffice', message: expect.stringMatching(reason) },
      ]);
      expect(db.commandCalls(PutCommand, { TableName: 'manifests-table' })).toHaveLength(0);
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    },
  );

  it('accepts a replay of the same manifest, whose parcel ids it already holds', async () => {
    // Prepare
    const manifest = aManifest();
    db.on(BatchGetCommand).resolves({
      Responses: {
        'parcels-table': manifest.parcels.map((parcel) => ({
          parcelId: parcel.parcelId,
          manifestId: manifest.manifestId,
        })),
      },
    });
    // Act
    const response = await post(JSON.stringify(manifest));
    // Assess
    expect(response.statusCode).toBe(202);
  });

  it.each([
    [
      '415 for a body that is not JSON by content type',
      { 'content-type': 'text/plain' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['401 without signature headers', { 'content-type': 'application/json' }, 401, 'UNAUTHORIZED'],
  ])('answers %s', async (_name, headers, status, code) => {
    // Act
    const response = await post(JSON.stringify(aManifest()), headers);
    // Assess
    expect(response.statusCode).toBe(status);
    expect(problemOf(response)).toMatchObject({
      status,
      code,
      type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    });
    expect(inputsTo(db, PutCommand, 'manifests-table')).toHaveLength(0);
  });

  it('answers 401 for a signed body that names no partner id, saying so first', async () => {
    const body = JSON.stringify({ ...aManifest(), partnerId: undefined });
    const response = await post(body, signed(body));
    expect(response.statusCode).toBe(401);
    expect(problemOf(response).detail).toMatch(
      /^the request names no partner id \(a manifest's partnerId, .+\), so no partner's secret can verify it; webhook signature rejected: no-matching-signature \(/,
    );
  });

  it('answers 401, not 422, for a body repeating a name under a bad signature, as for any bad signature', async () => {
    // Prepare: the partner role-play's body, of an unknown partner, and of a known one
    const unknown = '{"partnerId":"nobody","x":1,"x":2}';
    const known = '{"partnerId":"pearl-express","x":1,"x":2}';
    const garbage = (body: string) => ({ ...signed(body), 'webhook-signature': 'v1,AAAA' });
    // Act
    const responses = [await post(unknown, garbage(unknown)), await post(known, garbage(known))];
    // Assess
    for (const response of responses) {
      expect(response.statusCode).toBe(401);
      expect(problemOf(response).detail).toMatch(/^webhook signature rejected: no-matching-signature/);
    }
    expect(inputsTo(db, PutCommand, 'manifests-table')).toHaveLength(0);
  });

  it('answers a body giving partnerId twice as one naming no partner (401), even signed with its secret', async () => {
    // Prepare: JSON.parse keeps the last partnerId, another parser the first: whose secret verifies?
    const json = JSON.stringify(aManifest());
    const body = json.replace(
      '"partnerId":"pearl-express"',
      '"partnerId":"pearl-express","partnerId":"pearl-express"',
    );
    // Act
    const response = await post(body, signed(body));
    // Assess
    expect(JSON.parse(body).partnerId).toBe('pearl-express');
    expect(response.statusCode).toBe(401);
    expect(problemOf(response).detail).toMatch(
      /^the request names no partner id \(the body gives partnerId twice in one object: JSON parsers differ on which one counts, so send it once\), so no partner's secret can verify it; webhook signature rejected: /,
    );
    expect(db.commandCalls(GetCommand, { TableName: 'partners-table' })).toHaveLength(0);
    expect(inputsTo(db, PutCommand, 'manifests-table')).toHaveLength(0);
  });

  it.each<[string, (body: string) => Record<string, string>, string]>([
    [
      'no signature',
      (body) => ({ ...signed(body), 'webhook-signature': '' }),
      'missing-headers (webhook-signature missing or empty: webhook-id, webhook-timestamp and webhook-signature sign every request)',
    ],
    [
      'no id and no timestamp',
      (body) => {
        const { 'webhook-id': _id, 'webhook-timestamp': _timestamp, ...rest } = signed(body);
        return rest;
      },
      'missing-headers (webhook-id, webhook-timestamp missing or empty: webhook-id, webhook-timestamp and webhook-signature sign every request)',
    ],
    [
      'a timestamp in milliseconds',
      (body) => ({ ...signed(body), 'webhook-timestamp': String(Date.now()) }),
      'bad-timestamp (webhook-timestamp must be whole seconds since the Unix epoch (at most 12 digits), not milliseconds)',
    ],
    [
      'a timestamp that is not a number',
      (body) => ({ ...signed(body), 'webhook-timestamp': 'yesterday' }),
      'bad-timestamp (webhook-timestamp must be whole seconds since the Unix epoch (at most 12 digits), written in digits only)',
    ],
    [
      'a timestamp an hour old',
      (body) => signed(body, SECRET, Math.floor(Date.now() / 1000) - 3600),
      "stale (webhook-timestamp is more than 300 s before the server's time: sign each request as it is sent, and check your clock)",
    ],
    [
      'a timestamp an hour ahead',
      (body) => signed(body, SECRET, Math.floor(Date.now() / 1000) + 3600),
      "future (webhook-timestamp is more than 300 s after the server's time: check your clock)",
    ],
    [
      'a timestamp 310 s old (the tolerance edge)',
      (body) => signed(body, SECRET, Math.floor(Date.now() / 1000) - 310),
      "stale (webhook-timestamp is more than 300 s before the server's time: sign each request as it is sent, and check your clock)",
    ],
    [
      'a timestamp 310 s ahead (the tolerance edge)',
      (body) => signed(body, SECRET, Math.floor(Date.now() / 1000) + 310),
      "future (webhook-timestamp is more than 300 s after the server's time: check your clock)",
    ],
    [
      'another secret',
      (body) => signed(body, 'whsec_G5SPp4ch49uiLD1+649q9tx3r6J9TL9P'),
      'no-matching-signature (no v1 signature in webhook-signature matches: HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>" with the partner\'s secret, sent as "v1,<base64>")',
    ],
  ])('answers 401 for %s, naming the header at fault and what it must be', async (_name, headersOf, why) => {
    // Prepare
    const body = JSON.stringify(aManifest());
    // Act
    const response = await post(body, headersOf(body));
    // Assess: with the challenge every 401 names (RFC 9110 §11.6.1)
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['www-authenticate']).toBe('StandardWebhooks realm="parcelguard"');
    expect(problemOf(response).detail).toBe(`webhook signature rejected: ${why}`);
  });

  it('answers 401 for a body signed with another secret', async () => {
    const body = JSON.stringify(aManifest());
    const response = await post(body, signed(body, 'whsec_G5SPp4ch49uiLD1+649q9tx3r6J9TL9P'));
    expect(response.statusCode).toBe(401);
    expect(problemOf(response).detail).toMatch(/no-matching-signature/);
  });

  it('answers 401 for a stale signature', async () => {
    const body = JSON.stringify(aManifest());
    const response = await post(body, signed(body, SECRET, Math.floor(Date.now() / 1000) - 3600));
    expect(response.statusCode).toBe(401);
    expect(problemOf(response).detail).toMatch(/stale/);
  });

  it('answers 401 for an unknown partner', async () => {
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({});
    const body = JSON.stringify(aManifest());
    const response = await post(body);
    expect(response.statusCode).toBe(401);
  });

  it('answers 401, not 500, for a partner whose every secret has been removed or has expired', async () => {
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({
      Item: { partnerId: 'pearl-express', region: 'yunnan-guangxi', secrets: [] },
    });
    const response = await post(JSON.stringify(aManifest()));
    expect(response.statusCode).toBe(401);
    expect(problemOf(response)).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it.each([
    ['a truncated body', '{"manifestId": ', /ends \(after 15 characters\) before the JSON value is complete/],
    ['a body starting with a byte order mark', '\uFEFF{"manifestId": "M"}', /byte order mark/],
    ['an empty body', '', /the body is empty/],
    ['a missing colon', '{"manifestId" "M"}', /at line 1, column 15/],
    // V8's own message names no position for these
    ['NaN, as Python writes it by default', '{"manifestId": "M", "amount": NaN}', /at line 1, column 31/],
    ['a literal cut short', '{"manifestId": tru}', /at line 1, column 19/],
  ])('answers 400 for malformed JSON, saying where: %s', async (_name, body, where) => {
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(problemOf(response)).toMatchObject({
      code: 'MALFORMED_INPUT',
      detail: expect.stringMatching(where),
    });
  });

  it('answers 413 for a body over the limit, naming the limit', async () => {
    const body = JSON.stringify({ ...aManifest(), padding: 'x'.repeat(1_100_000) });
    const response = await post(body);
    expect(response.statusCode).toBe(413);
    expect(problemOf(response)).toMatchObject({ limit: 'body-bytes', max: 1_000_000 });
  });

  it('answers 422 with every failing path', async () => {
    // Prepare
    const manifest = aManifest() as Record<string, any>;
    manifest.parcels[0].goods[0].hsCode = '12';
    manifest.parcels[1].consignee.nickname = 'x';
    const body = JSON.stringify(manifest);
    // Act
    const response = await post(body);
    // Assess
    expect(response.statusCode).toBe(422);
    expect(problemOf(response).errors).toEqual([
      { path: 'parcels[0].goods[0].hsCode', message: expect.stringMatching(/6 to 10 digits/) },
      { path: 'parcels[1].consignee.nickname', message: "unknown field 'nickname'" },
    ]);
    expect(inputsTo(db, PutCommand, 'manifests-table')).toHaveLength(0);
  });

  it('answers 422 naming the path of a name given twice in one object, which parsers read differently, and stores nothing', async () => {
    // Prepare: the consignee's phone twice, the second written with an escape
    const json = JSON.stringify(aManifest());
    const body = json.replace('"phone":', '"phone":"13800000000","ph\\u006fne":');

    // Act
    const response = await post(body);

    // Assess
    expect(JSON.parse(body).parcels[0].shipper.phone).toBeDefined();
    expect(response.statusCode).toBe(422);
    expect(problemOf(response).errors).toEqual([
      {
        path: expect.stringMatching(/^parcels\[0\]\.(shipper|consignee)\.phone$/),
        message: 'given twice in one object: JSON parsers differ on which one counts, so send each name once',
      },
    ]);
    expect(inputsTo(db, PutCommand, 'manifests-table')).toHaveLength(0);
  });

  it('lists the first 100 of the errors of a manifest that breaks the contract everywhere, and counts them all', async () => {
    // Prepare: 150 parcels of empty objects, 50 goods lines each: over 100,000 errors in a 400 KB body
    const parcel = {
      goods: Array.from({ length: 50 }, () => ({})),
      route: { via: Array.from({ length: 10 }, () => ({})) },
      shipper: {},
      consignee: {},
    };
    const body = JSON.stringify({
      partnerId: 'pearl-express',
      parcels: Array.from({ length: 150 }, () => parcel),
    });
    // Act
    const response = await post(body);
    // Assess
    expect(response.statusCode).toBe(422);
    const problem = problemOf(response);
    expect(problem.errors).toHaveLength(100);
    expect(problem.errors[0]).toEqual({ path: 'manifestId', message: expect.any(String) });
    expect(problem.errorCount).toBeGreaterThan(30_000);
    expect(problem.detail).toBe(
      `the manifest does not match contract v1: ${problem.errorCount} errors, the first 100 listed`,
    );
    expect(response.body!.length).toBeLessThan(20_000);
    expect(inputsTo(db, PutCommand, 'manifests-table')).toHaveLength(0);
  });

  it('answers 409 when a webhook id is reused for a different body', async () => {
    // Prepare
    db.on(PutCommand, { TableName: 'deliveries-table' }).rejects(
      awsError('ConditionalCheckFailedException', 'exists'),
    );
    db.on(GetCommand, { TableName: 'deliveries-table' }).resolves({
      Item: { pk: 'x', bodyHash: 'another body' },
    });
    // Act
    const response = await post(JSON.stringify(aManifest()));
    // Assess
    expect(response.statusCode).toBe(409);
    expect(problemOf(response).detail).toBe(
      'webhook-id msg_ingest_1 was already used for a different body: a retry sends the same body under the same webhook-id; send a different body under a new webhook-id',
    );
    expect(inputsTo(db, PutCommand, 'manifests-table')).toHaveLength(0);
  });

  it('answers 429 with the limit named and retry-after when the partner is over its rate', async () => {
    // Prepare
    db.on(UpdateCommand, { TableName: 'rate-limits-table' }).rejects(
      awsError('ConditionalCheckFailedException', 'limit'),
    );
    // Act
    const response = await post(JSON.stringify(aManifest()));
    // Assess
    expect(response.statusCode).toBe(429);
    expect(problemOf(response)).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 'requests-per-minute',
      max: 1000,
      detail: 'partner pearl-express is over 1000 manifest posts a minute',
    });
    expect(Number(response.headers?.['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 413 naming the limit for too many parcels', async () => {
    // Act
    const response = await post(JSON.stringify(aManifestOf(151)));
    // Assess
    expect(response.statusCode).toBe(413);
    expect(problemOf(response)).toMatchObject({ limit: 'parcels-per-manifest', max: 150, actual: 151 });
  });

  it('answers 413 naming the parcel too large for any screening message, and stores nothing', async () => {
    // Prepare: 50 goods lines of 512 four-byte characters, 12 bytes each once escaped for SQS: a 104 KB
    // manifest whose parcel would take about 310 KB in a screening message
    const manifest = aManifestOf(2);
    const line = manifest.parcels[1]!.goods[0]!;
    manifest.parcels[1]!.goods = Array.from({ length: 50 }, () => ({
      ...line,
      description: '𠮷'.repeat(512),
    }));

    // Act
    const response = await post(JSON.stringify(manifest));

    // Assess
    expect(response.statusCode).toBe(413);
    const problem = problemOf(response) as { detail: string; max: number; actual: number };
    expect(problem).toMatchObject({ limit: 'screening-message-bytes' });
    expect(problem.actual).toBeGreaterThan(problem.max);
    expect(problem.detail).toMatch(/^parcels\[1\] \(\S+\) takes \d+ bytes as screening carries it/);
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers 413 naming the limit for a body nested too deep, before parsing it', async () => {
    // Prepare
    const body = `{"manifestId":${'['.repeat(40)}${']'.repeat(40)}}`;
    // Act
    const response = await post(body);
    // Assess
    expect(response.statusCode).toBe(413);
    expect(problemOf(response)).toMatchObject({ limit: 'nesting-depth', max: 12, actual: 41 });
  });

  it('takes a body nested exactly as deep as the limit, and judges it on its content', async () => {
    // Prepare: 12 levels, the limit
    const body = `{"partnerId":"pearl-express","manifestId":${'['.repeat(11)}${']'.repeat(11)}}`;

    // Act
    const response = await post(body);

    // Assess
    expect(response.statusCode).toBe(422);
  });

  it('counts no bracket inside a string toward the nesting limit, after an escaped quote or not', async () => {
    // Prepare: a goods description of a quote and 13 brackets (JSON: "say \\"[[[[…")
    const manifest = aManifest() as Record<string, any>;
    manifest.parcels[0].goods[0].description = `say "${'['.repeat(13)}`;
    manifest.parcels[1].goods[0].description = '['.repeat(13);

    // Act
    const response = await post(JSON.stringify(manifest));

    // Assess
    expect(response.statusCode).toBe(202);
  });

  it('refuses a body that hides its nesting behind an escaped quote', async () => {
    // Prepare: 40 closing brackets inside a string after \\", then 45 levels
    const body = `{"partnerId":"pearl-express","a":"x\\"${']'.repeat(40)}","b":${'['.repeat(45)}${']'.repeat(45)}}`;

    // Act
    const response = await post(body);

    // Assess
    expect(response.statusCode).toBe(413);
    expect(problemOf(response)).toMatchObject({ limit: 'nesting-depth', actual: 46 });
  });

  it('remembers a webhook id for 10 minutes, past both edges of the ±300 s window', async () => {
    // Act
    const before = Math.floor(Date.now() / 1000);
    const response = await post(JSON.stringify(aManifest()));
    const after = Math.floor(Date.now() / 1000);

    // Assess
    expect(response.statusCode).toBe(202);
    const [remembered] = inputsTo(db, PutCommand, 'deliveries-table');
    expect(remembered!.Item!.expiresAt).toBeGreaterThanOrEqual(before + 600);
    expect(remembered!.Item!.expiresAt).toBeLessThanOrEqual(after + 600);
  });

  it('answers 503 with retry-after and hides the cause when DynamoDB is throttled', async () => {
    // Prepare
    db.on(PutCommand).rejects(awsError('ProvisionedThroughputExceededException', 'slow down'));
    // Act
    const response = await post(JSON.stringify(aManifest()));
    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('5');
    expect(problemOf(response).detail).not.toMatch(/slow down/);
  });

  it('answers 401 problem+json naming webhook-id, not 500, for a validly signed 3,000-character webhook-id', async () => {
    // Prepare: DynamoDB refuses a partition key over 2,048 bytes, as AWS does
    db.on(PutCommand, { TableName: 'deliveries-table' }).callsFake((input: { Item: { pk: string } }) => {
      if (Buffer.byteLength(input.Item.pk) > 2048) {
        throw awsError('ValidationException', 'One or more parameter values were invalid: key too long');
      }
      return {};
    });
    const body = JSON.stringify(aManifest());
    // Act
    const response = await post(body, signedWithId(body, `msg_${'a'.repeat(2_996)}`));
    // Assess
    expect(response.statusCode).toBe(401);
    expect(problemOf(response)).toMatchObject({
      code: 'UNAUTHORIZED',
      detail: expect.stringMatching(/webhook-id/),
    });
    expect(inputsTo(db, PutCommand, 'deliveries-table')).toHaveLength(0);
    expect(inputsTo(db, PutCommand, 'manifests-table')).toHaveLength(0);
  });

  it('gives an unknown partner the same answer as a known partner with a bad signature', async () => {
    // Prepare
    const body = JSON.stringify(aManifest());
    const badSignature = await post(body, signed(body, 'whsec_G5SPp4ch49uiLD1+649q9tx3r6J9TL9P'));
    db.on(GetCommand, { TableName: 'partners-table' }).resolves({});
    // Act
    const unknownPartner = await post(body);
    // Assess
    expect(unknownPartner.statusCode).toBe(401);
    expect(badSignature.statusCode).toBe(401);
    const { instance: _a, ...unknown } = problemOf(unknownPartner);
    const { instance: _b, ...bad } = problemOf(badSignature);
    expect(unknown).toEqual(bad);
  });

  it('answers 400 problem+json for a body that is not valid UTF-8, even when it is signed', async () => {
    // Prepare: a Latin-1 é inside a JSON string, signed over the bytes as sent
    const bytes = Buffer.concat([
      Buffer.from('{"partnerId":"pearl-express","x":"caf'),
      Buffer.from([0xe9, 0x22, 0x7d]),
    ]);
    const headers = signed(bytes.toString('latin1'));
    // Act
    const response = await handler(
      anHttpEvent({ body: bytes.toString('base64'), isBase64Encoded: true, headers }),
      aContext('ingest'),
    );
    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemOf(response)).toMatchObject({
      code: 'MALFORMED_INPUT',
      detail: 'the request body is not valid UTF-8',
    });
    expect(db.commandCalls(GetCommand)).toHaveLength(0);
  });

  it.each([['application/json; charset=iso-8859-1'], ['application/json; charset="utf-16"']])(
    'answers 415 problem+json for content-type %s',
    async (type) => {
      // Prepare
      const body = JSON.stringify(aManifest());
      // Act
      const response = await post(body, { ...signed(body), 'content-type': type });
      // Assess
      expect(response.statusCode).toBe(415);
      expect(problemOf(response)).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        detail: expect.stringMatching(/charset must be utf-8/),
      });
    },
  );

  it('answers 415 naming a content-encoding it does not read, not that the bytes are broken UTF-8', async () => {
    // Prepare
    const body = JSON.stringify(aManifest());
    // Act
    const response = await post(body, { ...signed(body), 'content-encoding': 'gzip' });
    // Assess
    expect(response.statusCode).toBe(415);
    expect(problemOf(response)).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: 'content-encoding gzip is not supported: send the JSON uncompressed',
    });
  });

  it('accepts content-type application/json; charset=utf-8', async () => {
    // Prepare
    const body = JSON.stringify(aManifest());
    // Act
    const response = await post(body, { ...signed(body), 'content-type': 'application/json; charset=utf-8' });
    // Assess
    expect(response.statusCode).toBe(202);
  });

  it('tells browsers not to sniff any answer: the receipt and every problem', async () => {
    // Prepare
    const body = JSON.stringify(aManifest());
    // Act
    const accepted = await post(body);
    const refused = await post(body, { ...signed(body), 'content-type': 'text/plain' });
    db.on(PutCommand).rejects(awsError('InternalServerError', 'down', 'server'));
    const unavailable = await post(body);
    // Assess
    expect([accepted.statusCode, refused.statusCode, unavailable.statusCode]).toEqual([202, 415, 503]);
    for (const response of [accepted, refused, unavailable]) {
      expect(response.headers?.['x-content-type-options']).toBe('nosniff');
    }
  });
});
