import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
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

describe('review handler: one parcel by its house document number', () => {
  const READ_ROUTE = `GET ${PARCEL_ROUTE}`;
  const readEvent = (claims: Record<string, string>, parcelId = 'SWF7781000123') =>
    staffEvent(READ_ROUTE, claims, {
      rawPath: `/v1/inspections/southwest-freight/${parcelId}`,
      pathParameters: { partnerId: 'southwest-freight', parcelId },
    });

  const handler = useReviewHandler(db, 'info');
  const lines = captureLogLines();

  beforeEach(() => {
    db.on(BatchGetCommand).resolves({ Responses: { 'decisions-table': [] } });
  });

  it('answers the parcel as the queue lists it, and logs the read', async () => {
    // Prepare: the same parcel, read one by one and listed
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedReviewItem() });
    db.on(QueryCommand).resolves({ Items: [storedReviewItem()] });
    const officer = staff('wuzhou', 'officer', 'wuzhou-customs');

    // Act
    const read = await handler(readEvent(officer), aContext('review'));
    const listed = await handler(
      staffEvent('GET /v1/inspections', officer, { queryStringParameters: { office: 'wuzhou-customs' } }),
      aContext('review'),
    );

    // Assess: the listing's item, and who read which parcel, at which office
    expect(read.statusCode).toBe(200);
    expect(read.headers?.['cache-control']).toBe('no-store');
    expect(JSON.parse(read.body as string)).toEqual(JSON.parse(listed.body as string).items[0]);
    expect(lines.filter((line) => line.message === 'personal data read')[0]).toMatchObject({
      actor: 'sub-wuzhou',
      route: READ_ROUTE,
      path: '/v1/inspections/southwest-freight/SWF7781000123',
      office: 'wuzhou-customs',
      parcels: ['southwest-freight#SWF7781000123'],
    });
    expect(db.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({
      TableName: 'review-table',
      Key: { pk: 'southwest-freight#SWF7781000123' },
    });
  });

  it("answers another office's parcel with the 404 of a parcel that is not flagged, as a claim does", async () => {
    // Prepare: a Guangzhou officer; a Wuzhou parcel, then none
    const guangzhou = staff('guangzhou', 'officer', 'guangzhou-customs');
    db.on(GetCommand, { TableName: 'review-table' }).resolvesOnce({ Item: storedReviewItem() }).resolves({});

    // Act
    const elsewhere = await handler(readEvent(guangzhou), aContext('review'));
    const absent = await handler(readEvent(guangzhou), aContext('review'));

    // Assess: the same answer, and no read logged
    expect([elsewhere.statusCode, absent.statusCode]).toEqual([404, 404]);
    const detail = (response: APIGatewayProxyStructuredResultV2) =>
      JSON.parse(response.body as string).detail;
    expect(detail(elsewhere)).toBe(
      'no flagged parcel southwest-freight#SWF7781000123 in the review queues of your offices',
    );
    expect(detail(absent)).toBe(detail(elsewhere));
    expect(lines.filter((line) => line.message === 'personal data read')).toEqual([]);
    expect(lines.filter((line) => line.message === 'request refused')[0]).toMatchObject({
      actor: 'sub-guangzhou',
      route: READ_ROUTE,
      status: 404,
    });
  });

  it('lets an analyst read it, and refuses a partner-only user', async () => {
    // Prepare
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: storedReviewItem() });

    // Act
    const analyst = await handler(
      readEvent(staff('analyst', 'analyst', 'yunnan-guangxi')),
      aContext('review'),
    );
    const partner = await handler(
      readEvent(staff('someone', 'partner', 'wuzhou-customs')),
      aContext('review'),
    );

    // Assess
    expect([analyst.statusCode, partner.statusCode]).toEqual([200, 403]);
  });
});
