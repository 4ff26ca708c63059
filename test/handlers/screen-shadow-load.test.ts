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
import { SHADOW_RULE_SET_REFUSED } from '../../infra/definitions.js';
import { SHENZHEN_MANIFEST } from '../support/factories.js';
import { aContext, anSqsEvent, SCREEN_ENV } from '../support/lambda.js';
import { aScreeningMessage } from '../support/screening-messages.js';

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

describe('screen handler whose shadow rule set cannot be loaded', () => {
  let handler: (event: unknown, context: unknown) => Promise<SQSBatchResponse>;

  beforeAll(async () => {
    for (const [key, value] of Object.entries({ ...SCREEN_ENV, SHADOW_RULES_DIR: SCREEN_ENV.RULES_DIR }))
      vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/screen/handler.js')) as never);
    // The live rule set's four list queries answer; the shadow's, after them, are throttled for good
    let queries = 0;
    db.on(QueryCommand, { TableName: 'lists-table' }).callsFake(() => {
      queries += 1;
      if (queries <= 4) return { Items: [] };
      throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
        $retryable: { throttling: true },
      });
    });
    db.on(BatchGetCommand).resolves({ Responses: {} });
    db.on(PutCommand).resolves({});
    db.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('screens without it, and logs it refused with why, for its alarm', async () => {
    // Prepare
    const output = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    const event = anSqsEvent([JSON.stringify(aScreeningMessage(SHENZHEN_MANIFEST))]);

    // Act
    const result = await handler(event, aContext('screen'));

    // Assess
    const refusals = output.mock.calls
      .map(([line]) => String(line))
      .filter((line) => line.includes(`"message":"${SHADOW_RULE_SET_REFUSED}"`));
    output.mockRestore();
    expect(result.batchItemFailures).toEqual([]);
    expect(refusals).toHaveLength(1);
    expect(JSON.parse(refusals[0]!)).toMatchObject({
      level: 'error',
      reason: expect.stringMatching(/throughput|throttl/i),
    });
    expect(db.commandCalls(PutCommand, { TableName: 'decisions-table' }).length).toBeGreaterThan(0);
  });
});
