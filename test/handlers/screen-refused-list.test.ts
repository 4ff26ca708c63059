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
import { beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { PUBLISHED_LIST_REFUSED, SHADOW_RULE_SET_REFUSED } from '../../infra/definitions.js';
import { SHENZHEN_MANIFEST } from '../support/factories.js';
import { aContext, anSqsEvent, SCREEN_ENV } from '../support/lambda.js';
import { aScreeningMessage } from '../support/screening-messages.js';

const db = mockClient(DynamoDBDocumentClient);

/** The log lines written to a spied stdout with this message, the spy then restored. */
const logLines = (output: MockInstance<typeof process.stdout.write>, message: string): string[] => {
  const lines = output.mock.calls
    .map(([line]) => String(line))
    .filter((line) => line.includes(`"message":"${message}"`));
  output.mockRestore();
  return lines;
};
const sqs = mockClient(SQSClient);

describe('screen handler with published lists its rules cannot use or it cannot read', () => {
  let handler: (event: unknown, context: unknown) => Promise<SQSBatchResponse>;

  beforeAll(async () => {
    // A fresh module and settings of its own, whichever describe ran before it
    vi.unstubAllEnvs();
    vi.resetModules();
    db.reset();
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
    const refusals = logLines(output, PUBLISHED_LIST_REFUSED);
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

describe('screen handler whose shadow rule set cannot be loaded', () => {
  let handler: (event: unknown, context: unknown) => Promise<SQSBatchResponse>;

  beforeAll(async () => {
    // A fresh module: the handler keeps what it loaded for the life of its container
    vi.resetModules();
    db.reset();
    // Settings of its own, not the describe's above: so that it runs alone, or first
    for (const [key, value] of Object.entries(SCREEN_ENV)) vi.stubEnv(key, value);
    vi.stubEnv('SHADOW_RULES_DIR', SCREEN_ENV.RULES_DIR);
    ({ handler } = (await import('../../functions/screen/handler.js')) as never);
    // The live rule set's five list queries answer; the shadow's, after them, are throttled for good
    let queries = 0;
    db.on(QueryCommand, { TableName: 'lists-table' }).callsFake(() => {
      queries += 1;
      if (queries <= 5) return { Items: [] };
      throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
        $retryable: { throttling: true },
      });
    });
    db.on(BatchGetCommand).resolves({ Responses: {} });
    db.on(PutCommand).resolves({});
    db.on(UpdateCommand).resolves({});
  });

  it('screens without it, and logs it refused with why, for its alarm', async () => {
    // Prepare
    const output = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    const event = anSqsEvent([JSON.stringify(aScreeningMessage(SHENZHEN_MANIFEST))]);

    // Act
    const result = await handler(event, aContext('screen'));

    // Assess
    const refusals = logLines(output, SHADOW_RULE_SET_REFUSED);
    expect(result.batchItemFailures).toEqual([]);
    expect(refusals).toHaveLength(1);
    expect(JSON.parse(refusals[0]!)).toMatchObject({
      level: 'error',
      reason: expect.stringMatching(/throughput|throttl/i),
    });
    expect(db.commandCalls(PutCommand, { TableName: 'decisions-table' }).length).toBeGreaterThan(0);
  });
});
