import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PUBLISHED_LIST_REFUSED } from '../../infra/definitions.js';
import { SHENZHEN_MANIFEST } from '../support/factories.js';
import { aContext, anSqsEvent, SCREEN_ENV } from '../support/lambda.js';
import { aScreeningMessage } from '../support/screening-messages.js';

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

describe('screen handler with published lists its rules cannot use or it cannot read', () => {
  let handler: (event: unknown, context: unknown) => Promise<SQSBatchResponse>;

  beforeAll(async () => {
    for (const [key, value] of Object.entries(SCREEN_ENV)) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/screen/handler.js')) as never);
    // watched-phones v9 holds consignee keys, where the deployed rule compares parties.phone; border-origins
    // v5 was written by a newer lists tool, with a field this deployment cannot read
    db.on(QueryCommand, { TableName: 'lists-table' }).callsFake((input) =>
      // (no older published version: `:below` asks for one)
      input.ExpressionAttributeValues[':below'] !== undefined
        ? { Items: [] }
        : input.ExpressionAttributeValues[':name'] === 'border-origins'
          ? {
              Items: [
                {
                  name: 'border-origins',
                  version: 5,
                  document: {
                    name: 'border-origins',
                    version: 5,
                    owner: 'risk-analytics',
                    description: 'published by a newer lists tool',
                    values: ['Ruili'],
                    reviewCadence: 'P90D',
                  },
                  contentVersion: 'sha256:y',
                  publishedAt: '2026-11-29T00:00:00.000Z',
                  publishedBy: 'analyst',
                },
              ],
            }
          : input.ExpressionAttributeValues[':name'] === 'watched-phones'
            ? {
                Items: [
                  {
                    name: 'watched-phones',
                    version: 9,
                    document: {
                      name: 'watched-phones',
                      version: 9,
                      owner: 'risk-analytics',
                      description: 'published from an edited copy of the rule set',
                      holds: 'consignee',
                      values: ['cn_AAAAAAAAAAAAAAAAAAAAAA'],
                    },
                    contentVersion: 'sha256:x',
                    publishedAt: '2026-11-29T00:00:00.000Z',
                    publishedBy: 'analyst',
                  },
                ],
              }
            : { Items: [] },
    );
    db.on(BatchGetCommand).resolves({ Responses: {} });
    db.on(PutCommand).resolves({});
    db.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('screens every batch with the bundled list, and logs the refusal on every batch so its alarm stays raised', async () => {
    // Prepare
    const output = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    const event = anSqsEvent([JSON.stringify(aScreeningMessage(SHENZHEN_MANIFEST))]);
    // Act
    const first = await handler(event, aContext('screen'));
    const second = await handler(event, aContext('screen'));
    // Assess
    const refusals = output.mock.calls
      .map(([line]) => String(line))
      .filter((line) => line.includes(`"message":"${PUBLISHED_LIST_REFUSED}"`));
    output.mockRestore();
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(refusals).toHaveLength(4);
    expect(refusals.slice(0, 2).map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 'error',
        list: 'border-origins v5',
        reason: expect.stringMatching(/not a list this code can read: .*reviewCadence/),
        instead: 'bundled file v1',
      }),
      expect.objectContaining({
        level: 'error',
        list: 'watched-phones v9',
        reason: expect.stringContaining('list watched-phones'),
        instead: 'bundled file v1',
      }),
    ]);
  });
});
