import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../functions/core/audit/audit-chain.js';
import { readableUtc } from '../../functions/core/review/readable-time.js';
import { awsError } from '../support/aws-mocks.js';
import { aContext } from '../support/lambda.js';
import {
  PARCEL_ROUTE,
  staff,
  staffEvent,
  storedReviewItem,
  useReviewHandler,
} from '../support/review-api.js';

const db = mockClient(DynamoDBDocumentClient);

/** An action (`claim`, `outcome`, `correction`) on SWF7781000123 by the user of `claims`, with its JSON body. */
const actionEvent = (action: string, claims: Record<string, string>, body?: string): APIGatewayProxyEventV2 =>
  staffEvent(`POST ${PARCEL_ROUTE}/${action}`, claims, {
    pathParameters: { partnerId: 'southwest-freight', parcelId: 'SWF7781000123' },
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }),
  });

const wuzhouClaim = () => actionEvent('claim', staff('wuzhou', 'officer', 'wuzhou-customs'));
const ADMIN = staff('admin', 'admin', 'yunnan-guangxi');

/** The queue item as these tests store it: never saved yet (no version), its rule's reason in full. */
const storedItem = (extra: Record<string, unknown> = {}) =>
  storedReviewItem({
    version: undefined,
    firedRules: [
      {
        ruleId: 'wooden-goods',
        title: 't',
        score: 30,
        reason: 'wooden furniture from a border origin',
        values: {},
      },
    ],
    partyKeys: { consignee: 'cn_1', shipper: 'sh_1', phone: 'ph_1', address: 'ad_1' },
    ...extra,
  });

describe('review handler', () => {
  const handler = useReviewHandler(db, 'error');

  it('runs on to the Lambda timeout instead of answering early, so no finisher outlives its claim', async () => {
    // Prepare: 1 ms left; the review queue answers a little later
    db.on(GetCommand, { TableName: 'review-table' }).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { Item: storedItem() };
    });
    const almostOut = { ...aContext('review'), getRemainingTimeInMillis: () => 1 };

    // Act
    const response = await handler(wuzhouClaim(), almostOut);

    // Assess: middy's default would have answered 500 and left the action running
    expect(response.statusCode).toBe(200);
    expect(db.commandCalls(UpdateCommand).map((call) => call.args[0].input.UpdateExpression)).toEqual([
      'SET pendingFinisher = :f, pendingFinishUntil = :u',
      'REMOVE #p, pendingQueue, pendingSince, pendingFinisher, pendingFinishUntil',
    ]);
  });

  it('stores a lease under optimistic concurrency, appends the audit entry, then clears what was pending', async () => {
    // Prepare
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedItem() });
    // Act
    const response = await handler(wuzhouClaim(), aContext('review'));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toMatchObject({ status: 'claimed', lease: { heldBy: 'wuzhou' } });
    const [reviewPut, auditPut] = db.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(reviewPut).toMatchObject({
      TableName: 'review-table',
      ConditionExpression:
        'attribute_exists(pk) AND attribute_not_exists(#v) AND attribute_not_exists(#p) AND flaggedAt = :f',
      Item: {
        pk: 'southwest-freight#SWF7781000123',
        version: 1,
        lease: { holder: 'sub-wuzhou', holderName: 'wuzhou' },
        pending: { actionId: 'claim:southwest-freight#SWF7781000123:2026-11-28T09:00:00.000Z:v1' },
        // Keys of the sparse index the review sweep reads, set while the effects are pending.
        pendingQueue: 'pending',
        pendingSince: expect.any(String),
      },
    });
    const lease = reviewPut!.Item!.lease as { claimedAt: string; until: string };
    expect(Date.parse(lease.until) - Date.parse(lease.claimedAt)).toBe(20 * 60_000);
    expect(reviewPut!.Item!.leaseUntil).toBe(lease.until);
    expect(reviewPut!.Item!.pendingSince).toBe(lease.claimedAt);
    expect(auditPut).toMatchObject({
      TableName: 'audit-table',
      ConditionExpression: 'attribute_not_exists(#s)',
      Item: {
        chain: 'wuzhou-customs',
        seq: 1,
        prevHash: GENESIS_HASH,
        action: 'claim',
        actor: 'sub-wuzhou',
        role: 'officer',
        target: 'southwest-freight#SWF7781000123',
        before: { status: 'open' },
        requestId: 'req-1',
      },
    });
    const [claim, clear] = db.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    // The request claims what it owes before doing it, then clears it under that claim.
    expect(claim).toMatchObject({
      TableName: 'review-table',
      UpdateExpression: 'SET pendingFinisher = :f, pendingFinishUntil = :u',
      ExpressionAttributeValues: {
        ':a': 'claim:southwest-freight#SWF7781000123:2026-11-28T09:00:00.000Z:v1',
        ':f': 'req-1',
      },
    });
    expect(clear).toMatchObject({
      TableName: 'review-table',
      UpdateExpression: 'REMOVE #p, pendingQueue, pendingSince, pendingFinisher, pendingFinishUntil',
      ExpressionAttributeValues: {
        ':a': 'claim:southwest-freight#SWF7781000123:2026-11-28T09:00:00.000Z:v1',
        ':f': 'req-1',
      },
    });
  });

  it('answers 409 with the holder and the end of the lease when another officer holds it', async () => {
    // Prepare
    const until = new Date(Date.now() + 5 * 60_000).toISOString();
    db.on(GetCommand, { TableName: 'review-table' }).resolves({
      Item: storedItem({
        version: 1,
        lease: { holder: 'sub-other', holderName: 'wuzhou-2', claimedAt: until, until },
      }),
    });
    // Act
    const response = await handler(wuzhouClaim(), aContext('review'));
    // Assess
    expect(response.statusCode).toBe(409);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body!)).toMatchObject({
      code: 'CONFLICT',
      heldBy: 'wuzhou-2',
      leaseUntil: until,
    });
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers 409 saying the officer’s own claim ran out, and when, to an outcome after the lease ended', async () => {
    // Prepare: wuzhou's lease ended a minute ago, given back by nobody
    const claimedAt = new Date(Date.now() - 31 * 60_000).toISOString();
    const until = new Date(Date.now() - 60_000).toISOString();
    db.on(GetCommand, { TableName: 'review-table' }).resolves({
      Item: storedItem({
        version: 1,
        lease: { holder: 'sub-wuzhou', holderName: 'wuzhou', claimedAt, until },
      }),
    });
    const outcome = actionEvent(
      'outcome',
      staff('wuzhou', 'officer', 'wuzhou-customs'),
      JSON.stringify({ outcome: 'cleared' }),
    );

    // Act
    const response = await handler(outcome, aContext('review'));

    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body!)).toMatchObject({
      code: 'CONFLICT',
      detail: `your claim of the parcel ran out at ${readableUtc(until)}: claim it again, then record the parcel's outcome`,
      leaseUntil: until,
    });
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
  });

  /** The audit entry of a release left pending by an earlier request. */
  const PENDING_RELEASE = {
    chain: 'wuzhou-customs',
    actionId: 'release:southwest-freight#SWF7781000123:v2',
    actor: 'sub-x',
    actorName: 'x',
    role: 'officer',
    at: '2026-11-28T09:10:00.000Z',
    action: 'release',
    target: 'southwest-freight#SWF7781000123',
    before: {},
    after: {},
    requestId: 'req-0',
  };

  it('finishes an action left pending before deciding on the new one', async () => {
    // Prepare
    db.on(GetCommand, { TableName: 'review-table' })
      .resolvesOnce({
        Item: storedItem({
          version: 2,
          pending: { actionId: PENDING_RELEASE.actionId, audit: PENDING_RELEASE },
        }),
      })
      .resolves({ Item: storedItem({ version: 2 }) });
    // Act
    const response = await handler(wuzhouClaim(), aContext('review'));
    // Assess
    expect(response.statusCode).toBe(200);
    const audited = db
      .commandCalls(PutCommand)
      .filter((call) => call.args[0].input.TableName === 'audit-table');
    expect(audited.map((call) => call.args[0].input.Item!.action)).toEqual(['release', 'claim']);
    expect(
      db.commandCalls(PutCommand, { TableName: 'review-table' })[0]!.args[0].input.ExpressionAttributeValues,
    ).toEqual({ ':v': 2, ':f': '2026-11-28T09:00:00.000Z' });
  });

  it('answers 409 with finishingUntil while another finisher keeps the previous action', async () => {
    // Prepare: an action left pending, whose finishing another request has claimed for good
    db.on(GetCommand, { TableName: 'review-table' }).resolves({
      Item: storedItem({
        version: 2,
        pending: { actionId: PENDING_RELEASE.actionId, audit: PENDING_RELEASE },
      }),
    });
    db.on(UpdateCommand, { TableName: 'review-table' }).rejects(
      awsError('ConditionalCheckFailedException', 'claimed'),
    );

    // Act
    const response = await handler(wuzhouClaim(), aContext('review'));

    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body!)).toMatchObject({
      code: 'CONFLICT',
      finishingUntil: expect.any(String),
    });
  });

  it('saves once, and does not answer "try again", when DynamoDB rejects the save itself', async () => {
    // Prepare
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedItem() });
    db.on(PutCommand, { TableName: 'review-table' }).rejects(
      awsError('ValidationException', 'Item size has exceeded the maximum allowed size'),
    );

    // Act
    const response = await handler(wuzhouClaim(), aContext('review'));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(db.commandCalls(PutCommand, { TableName: 'review-table' })).toHaveLength(1);
  });

  const INVISIBLE =
    'only invisible characters (zero-width spaces, joiners, soft hyphens, …), which show as blank: write the text itself';
  const WHY = 'say why the outcome is corrected, in at least 5 characters that show';
  it.each([
    ['only zero-width spaces', '\u200b\u200b\u200b\u200b\u200b', INVISIBLE],
    [
      'only word joiners and zero-width joiners between spaces',
      ' \u2060\u200d \u2060\u200d \u2060 ',
      INVISIBLE,
    ],
    ['only soft hyphens', '\u00ad\u00ad\u00ad\u00ad\u00ad', INVISIBLE],
    ['empty', '', WHY],
    ['only spaces', '     ', WHY],
    ['two characters padded with zero-width spaces to five', 'ok\u200b\u200b\u200b', WHY],
  ])(
    'refuses a correction whose reason is %s with 422 naming the reason once, recording nothing',
    async (_name, reason, message) => {
      // Prepare
      db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedItem() });
      const correction = actionEvent(
        'correction',
        ADMIN,
        JSON.stringify({ finding: { outcome: 'cleared' }, reason, corrections: 0 }),
      );

      // Act
      const response = await handler(correction, aContext('review'));

      // Assess
      expect(response.statusCode).toBe(422);
      expect(JSON.parse(response.body!).errors).toEqual([{ path: 'reason', message }]);
      expect(db.commandCalls(PutCommand)).toHaveLength(0);
    },
  );

  it.each([
    ['without an office', {}],
    ['with an empty office', { office: '' }],
  ])('refuses a queue listing %s with 422 saying the office is required', async (_name, query) => {
    // Prepare
    const route = 'GET /v1/inspections';
    const event = wuzhouClaim();
    const listing = {
      ...event,
      routeKey: route,
      queryStringParameters: query,
      requestContext: {
        ...event.requestContext,
        routeKey: route,
        http: { ...event.requestContext.http, method: 'GET' },
      },
    } as APIGatewayProxyEventV2;

    // Act
    const response = await handler(listing, aContext('review'));

    // Assess
    expect(response.statusCode).toBe(422);
    expect(JSON.parse(response.body!).errors).toEqual([{ path: 'office', message: 'office is required' }]);
  });

  it.each([
    // Every field at its bound, non-ASCII escaped as many JSON writers do: 6 bytes a character, 12 an emoji
    ['a correction at the bounds of its fields, escaped', '海', 409],
    ['the same with characters outside the BMP', '😀', 409],
    ['a body over 64 KiB', '😀'.repeat(2), 413],
  ])('reads %s: %s', async (_name, character, status) => {
    // Prepare: the parcel is still open, so a correction read in full is refused as not closed
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedItem() });
    const text = (length: number) => character.repeat(length);
    const body = JSON.stringify({
      finding: {
        outcome: 'seized',
        seizure: { substance: text(200), quantity: { amount: 4.2, unit: 'kg' }, concealment: text(500) },
        notes: text(2000),
      },
      reason: text(2000),
      corrections: 0,
    }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const correction = actionEvent('correction', ADMIN, body);

    // Act
    const response = await handler(correction, aContext('review'));

    // Assess
    expect(response.statusCode).toBe(status);
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
  });

  it.each([
    // As if it were not flagged: another office does not learn that it is, or where
    ['an officer of another office', staff('nanning', 'officer', 'nanning-customs'), 404],
    ['an analyst', staff('analyst', 'analyst', 'yunnan-guangxi'), 403],
    ['a request without claims', undefined, 401],
  ])('refuses %s', async (_name, claims, status) => {
    // Prepare
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedItem() });
    const event = claims
      ? actionEvent('claim', claims)
      : ({
          ...actionEvent('claim', {}),
          requestContext: { ...actionEvent('claim', {}).requestContext, authorizer: undefined },
        } as never);
    // Act
    const response = await handler(event, aContext('review'));
    // Assess
    expect(response.statusCode).toBe(status);
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
  });
});
