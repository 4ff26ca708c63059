import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { priorityKey } from '../../functions/adapters/dynamodb-review-queue.js';
import { aContext } from '../support/lambda.js';
import { captureLogLines } from '../support/log-lines.js';
import {
  PARCEL_ROUTE,
  staff,
  staffEvent,
  storedReviewItem,
  useReviewHandler,
} from '../support/review-api.js';

const WUZHOU = staff('wuzhou', 'officer', 'wuzhou-customs');

const db = mockClient(DynamoDBDocumentClient);

/** A listing of wuzhou-customs' queue by `claims`, with these query parameters besides the office. */
const listing = (query: Record<string, string>, claims = WUZHOU) =>
  staffEvent('GET /v1/inspections', claims, {
    rawPath: '/v1/inspections',
    queryStringParameters: { office: 'wuzhou-customs', ...query },
  });

const bodyOf = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(response.body as string);

const queryInput = () => db.commandCalls(QueryCommand)[0]?.args[0].input;

describe('review handler: the queue listing, its page size and "my claims"', () => {
  const handler = useReviewHandler(db, 'info');
  const lines = captureLogLines();

  beforeEach(() => {
    db.on(BatchGetCommand).resolves({ Responses: { 'decisions-table': [] } });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("lists with claimedBy=me only the open parcels under the caller's own live lease, and logs the read", async () => {
    // Prepare: the table answers the filtered query with wuzhou's claimed parcel
    const until = new Date(Date.now() + 10 * 60_000).toISOString();
    const lease = { holder: 'sub-wuzhou', holderName: 'wuzhou', claimedAt: new Date().toISOString(), until };
    db.on(QueryCommand).resolves({ Items: [storedReviewItem({ lease, leaseUntil: until })] });

    // Act
    const response = await handler(listing({ claimedBy: 'me' }), aContext('review'));

    // Assess: one query of the office's open partition, filtered on the caller's subject, not a name sent
    expect(response.statusCode).toBe(200);
    expect(queryInput()).toMatchObject({
      IndexName: 'byOfficeStatus',
      KeyConditionExpression: 'officeStatus = :k',
      FilterExpression: expect.stringContaining('leaseUntil > :now AND #lease.#holder = :holder'),
      ExpressionAttributeNames: { '#lease': 'lease', '#holder': 'holder' },
      ExpressionAttributeValues: expect.objectContaining({
        ':k': 'wuzhou-customs#open',
        ':holder': 'sub-wuzhou',
      }),
    });
    expect(bodyOf(response).items.map((item: { lease: unknown }) => item.lease)).toEqual([
      { heldBy: 'wuzhou', claimedAt: lease.claimedAt, until },
    ]);
    expect(lines.filter((line) => line.message === 'personal data read')).toEqual([
      expect.objectContaining({
        actor: 'sub-wuzhou',
        route: 'GET /v1/inspections',
        office: 'wuzhou-customs',
        parcels: ['southwest-freight#SWF7781000123'],
      }),
    ]);
  });

  it('lists without claimedBy every open parcel, claimed by anyone or not', async () => {
    // Act
    const response = await handler(listing({}), aContext('review'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(queryInput()?.FilterExpression).not.toContain('holder');
    expect(queryInput()?.ExpressionAttributeNames).toBeUndefined();
  });

  it.each([
    ['no limit: the deployment page size', {}, 25],
    ['limit=1', { limit: '1' }, 1],
    ['limit=100, the most', { limit: '100' }, 100],
    ['limit=50 with claimedBy=me', { limit: '50', claimedBy: 'me' }, 50],
  ])('reads a page of the size asked for, given %s', async (_name, query, size) => {
    // Act
    const response = await handler(listing(query), aContext('review'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(queryInput()?.Limit).toBe(size);
  });

  it.each(['0', '101', 'ten', '2.5', '-3', '', '1e2'])(
    'refuses limit=%j with a 422 problem naming limit, its bounds and the value sent',
    async (limit) => {
      // Act
      const response = await handler(listing({ limit }), aContext('review'));

      // Assess: RFC 9457, what was wrong and where; nothing read
      expect(response.statusCode).toBe(422);
      expect(response.headers?.['content-type']).toBe('application/problem+json');
      expect(bodyOf(response)).toMatchObject({
        status: 422,
        code: 'VALIDATION_FAILED',
        detail: 'the query is not valid',
        errors: [
          {
            path: 'limit',
            message: `limit must be a whole number from 1 to 100 (the most parcels a page holds); got ${JSON.stringify(limit)}`,
          },
        ],
      });
      expect(db.commandCalls(QueryCommand)).toHaveLength(0);
    },
  );

  it.each([
    [
      "another officer's name",
      { claimedBy: 'wuzhou-2' },
      'claimedBy takes only "me" (the parcels you hold a live claim on); got "wuzhou-2"',
    ],
    [
      'the closed queue',
      { claimedBy: 'me', status: 'closed' },
      'a closed parcel is claimed by nobody: list claimedBy=me with status open or claimed',
    ],
  ])('refuses claimedBy with %s as a 422 naming claimedBy', async (_name, query, message) => {
    // Act
    const response = await handler(listing(query), aContext('review'));

    // Assess
    expect(response.statusCode).toBe(422);
    expect(bodyOf(response).errors).toEqual([{ path: 'claimedBy', message }]);
    expect(db.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('refuses the cursor of a "my claims" page for the whole queue, and takes it for the next page of mine', async () => {
    // Prepare: a first page of wuzhou's claims that ends with a cursor
    const item = storedReviewItem();
    db.on(QueryCommand).resolves({
      Items: [],
      LastEvaluatedKey: {
        pk: item.pk,
        officeStatus: 'wuzhou-customs#open',
        priority: priorityKey(item.score, item.flaggedAt, item.pk),
      },
    });
    const first = bodyOf(await handler(listing({ claimedBy: 'me', limit: '1' }), aContext('review')));
    expect(first.cursor).toEqual(expect.any(String));

    // Act
    const whole = await handler(listing({ cursor: first.cursor }), aContext('review'));
    const mine = await handler(listing({ cursor: first.cursor, claimedBy: 'me' }), aContext('review'));

    // Assess
    expect(whole.statusCode).toBe(422);
    expect(bodyOf(whole).errors).toEqual([
      { path: 'cursor', message: 'not a cursor this queue issued for this office and status' },
    ]);
    expect(mine.statusCode).toBe(200);
  });

  it('names the end of a lease in a 409 as an officer reads it, keeping the instant in leaseUntil', async () => {
    // Prepare: 03:00 UTC; wuzhou-2 holds the parcel until 03:15
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T03:00:00.000Z'));
    const lease = {
      holder: 'sub-wuzhou-2',
      holderName: 'wuzhou-2',
      claimedAt: '2026-12-01T02:45:00.000Z',
      until: '2026-12-01T03:15:00.000Z',
    };
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedReviewItem({ lease }) });
    const claim = staffEvent(`POST ${PARCEL_ROUTE}/claim`, WUZHOU, {
      rawPath: '/v1/inspections/southwest-freight/SWF7781000123/claim',
      pathParameters: { partnerId: 'southwest-freight', parcelId: 'SWF7781000123' },
    });

    // Act
    const response = await handler(claim, aContext('review'));

    // Assess
    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({
      detail: 'the parcel is claimed by wuzhou-2 until 03:15 UTC, 1 Dec 2026',
      heldBy: 'wuzhou-2',
      leaseUntil: '2026-12-01T03:15:00.000Z',
    });
  });
});
