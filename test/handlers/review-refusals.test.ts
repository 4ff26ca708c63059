import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readableUtc } from '../../functions/core/review/readable-time.js';
import { aContext } from '../support/lambda.js';
import { captureLogLines } from '../support/log-lines.js';
import {
  PARCEL_ROUTE,
  staff,
  staffEvent,
  storedReviewItem,
  useReviewHandler,
} from '../support/review-api.js';

const db = mockClient(DynamoDBDocumentClient);

/** An action on SWF7781000123 (`claim`, `release`, `outcome`, `correction`), with a JSON body when given. */
const actionEvent = (action: string, claims: Record<string, string>, body?: object) =>
  staffEvent(`POST ${PARCEL_ROUTE}/${action}`, claims, {
    rawPath: `/v1/inspections/southwest-freight/SWF7781000123/${action}`,
    pathParameters: { partnerId: 'southwest-freight', parcelId: 'SWF7781000123' },
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

const wuzhouOfficer = () => staff('wuzhou', 'officer', 'wuzhou-customs');

/** A Wuzhou officer's read of the queue with these query parameters. */
const queueRead = (query: Record<string, string>) =>
  staffEvent('GET /v1/inspections', wuzhouOfficer(), {
    rawPath: '/v1/inspections',
    queryStringParameters: query,
  });

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** Wuzhou's own lease of the parcel, which ran out a minute ago. */
const ranOutLease = () => ({
  lease: {
    holder: 'sub-wuzhou',
    holderName: 'wuzhou',
    claimedAt: minutesFromNow(-31),
    until: minutesFromNow(-1),
  },
});

/** A closed parcel whose outcome one admin correction replaced. */
const correctedItem = () => {
  const finding = { outcome: 'cleared' };
  return storedReviewItem({
    status: 'closed',
    outcome: {
      finding,
      recordedBy: 'sub-admin',
      recordedByName: 'admin',
      recordedAt: '2026-11-28T11:00:00.000Z',
    },
    corrections: [
      {
        from: { outcome: 'not-found' },
        to: finding,
        reason: 'found on the shelf',
        correctedBy: 'sub-admin',
        correctedByName: 'admin',
        correctedAt: '2026-11-28T11:00:00.000Z',
      },
    ],
  });
};

describe('review handler: refusals, their log lines, and the access log', () => {
  const handler = useReviewHandler(db, 'info');
  const lines = captureLogLines();

  beforeEach(() => {
    db.on(BatchGetCommand).resolves({ Responses: { 'decisions-table': [] } });
  });

  const problemOf = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(response.body as string);
  const review = (event: APIGatewayProxyEventV2) => handler(event, aContext('review'));
  const linesSaying = (message: string) => lines.filter((line) => line.message === message);

  it.each([
    [
      'a release of a parcel another officer holds',
      'release',
      {
        lease: {
          holder: 'sub-wuzhou-2',
          holderName: 'wuzhou-2',
          claimedAt: minutesFromNow(-1),
          until: minutesFromNow(5),
        },
      },
      (until: string) =>
        `only the holder of the claim may release the parcel; the parcel is claimed by wuzhou-2 until ${readableUtc(until)}`,
      undefined,
    ],
    [
      'an outcome for a parcel nobody holds',
      'outcome',
      {},
      () => "claim the parcel first: only the holder of a live claim may record the parcel's outcome",
      false,
    ],
    [
      "an outcome after the officer's own claim ran out",
      'outcome',
      ranOutLease(),
      (until: string) =>
        `your claim of the parcel ran out at ${readableUtc(until)}: claim it again, then record the parcel's outcome`,
      false,
    ],
    [
      "a release after the officer's own claim ran out",
      'release',
      ranOutLease(),
      (until: string) =>
        `your claim of the parcel ran out at ${readableUtc(until)}: nobody holds it, so there is nothing to release`,
      false,
    ],
  ])('answers %s with a 409 that names the action refused', async (_name, action, extra, detail, claimed) => {
    // Prepare
    const item = storedReviewItem(extra);
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: item });
    const body = action === 'outcome' ? { outcome: 'cleared' } : undefined;

    // Act
    const response = await review(actionEvent(action, wuzhouOfficer(), body));

    // Assess
    expect(response.statusCode).toBe(409);
    const until = (item as { lease?: { until: string } }).lease?.until ?? '';
    expect(problemOf(response).detail).toBe(detail(until));
    // Nobody holds a live claim: `claimed: false` tells a client to show the parcel unclaimed.
    expect(problemOf(response).claimed).toBe(claimed);
  });

  it('counts one correction as one, in a 409 and in a 422', async () => {
    // Prepare: one correction on record
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: correctedItem() });
    const admin = staff('admin', 'admin', 'wuzhou-customs');
    const correction = (corrections: number) =>
      actionEvent('correction', admin, {
        finding: {
          outcome: 'seized',
          seizure: {
            substance: 'heroin',
            quantity: { amount: 1, unit: 'kg' },
            concealment: 'carved table leg',
          },
        },
        reason: 'the lab confirmed it',
        corrections,
      });

    // Act
    const stale = problemOf(await review(correction(0)));
    const unseen = problemOf(await review(correction(2)));

    // Assess
    expect(stale.detail).toContain('after 1 correction;');
    expect(unseen.errors).toEqual([
      {
        path: 'corrections',
        message: 'the parcel has 1 correction: send how many it showed when you read it',
      },
    ]);
  });

  it("logs who was refused another office's parcel, and where, beside the 404", async () => {
    // Prepare: a Guangzhou officer, a Wuzhou parcel
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedReviewItem() });

    // Act
    const response = await review(actionEvent('claim', staff('guangzhou', 'officer', 'guangzhou-customs')));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(linesSaying('request refused')).toEqual([
      expect.objectContaining({
        actor: 'sub-guangzhou',
        method: 'POST',
        route: `POST ${PARCEL_ROUTE}/claim`,
        path: '/v1/inspections/southwest-freight/SWF7781000123/claim',
        status: 404,
        code: 'NOT_FOUND',
      }),
    ]);
  });

  it("logs who was refused another office's queue, and which office", async () => {
    // Act
    const response = await review(queueRead({ office: 'guangzhou-customs' }));

    // Assess
    expect(response.statusCode).toBe(403);
    expect(linesSaying('request refused')).toEqual([
      expect.objectContaining({
        actor: 'sub-wuzhou',
        method: 'GET',
        route: 'GET /v1/inspections',
        path: '/v1/inspections',
        office: 'guangzhou-customs',
        status: 403,
      }),
    ]);
  });

  it('logs no office that is none: a phone typed in the office box stays out of the line', async () => {
    // Act
    const response = await review(queueRead({ office: '8613977412080' }));

    // Assess
    expect(response.statusCode).toBe(422);
    const [refused] = linesSaying('request refused');
    expect(refused).toMatchObject({ actor: 'sub-wuzhou', route: 'GET /v1/inspections', status: 422 });
    expect(refused).not.toHaveProperty('office');
    expect(JSON.stringify(lines)).not.toContain('7741');
  });

  it('logs each read of the queue, which returns personal data: who, at which office, which parcels', async () => {
    // Prepare
    db.on(QueryCommand).resolves({ Items: [storedReviewItem()] });

    // Act
    const response = await review(queueRead({ office: 'wuzhou-customs' }));

    // Assess: the line, and the name key left out of the item the officer read
    expect(response.statusCode).toBe(200);
    expect(linesSaying('personal data read')).toEqual([
      expect.objectContaining({
        fn: 'review',
        actor: 'sub-wuzhou',
        route: 'GET /v1/inspections',
        office: 'wuzhou-customs',
        parcels: ['southwest-freight#SWF7781000123'],
      }),
    ]);
    expect(JSON.parse(response.body as string).items[0].partyKeys).toEqual({
      consignee: 'cn_1',
      shipper: 'sh_1',
      phone: 'ph_1',
    });
  });

  it.each([
    [
      { outcome: 'confiscated' },
      [
        {
          path: 'outcome',
          message:
            'outcome must be one of cleared, seized, documents-irregular, not-found; got "confiscated"',
        },
      ],
    ],
    [{}, [{ path: 'outcome', message: 'outcome is required' }]],
    [
      { Outcome: 'cleared' },
      [
        { path: 'Outcome', message: 'unknown field "Outcome"; did you mean "outcome"?' },
        { path: 'outcome', message: 'outcome is required' },
      ],
    ],
    [
      { outcome: 'cleared', seizure: { substance: 'heroin' } },
      [{ path: 'seizure', message: 'a seizure goes with outcome seized only; this outcome is cleared' }],
    ],
  ])('answers the outcome %j with a 422 that says what was wrong, and where', async (body, errors) => {
    // Prepare
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedReviewItem() });

    // Act
    const response = await review(actionEvent('outcome', wuzhouOfficer(), body));

    // Assess: an RFC 9457 problem, each error at its path
    expect(response.statusCode).toBe(422);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(problemOf(response)).toMatchObject({ status: 422, code: 'VALIDATION_FAILED', errors });
  });

  it('names an unknown query parameter of the queue as such, at its own path', async () => {
    // Act
    const response = await review(queueRead({ office: 'wuzhou-customs', foo: '1' }));

    // Assess
    expect(response.statusCode).toBe(422);
    expect(problemOf(response).errors).toEqual([{ path: 'foo', message: 'unknown query parameter "foo"' }]);
  });
});
