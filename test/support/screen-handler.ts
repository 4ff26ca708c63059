import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { BatchGetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse } from 'aws-lambda';
import type { AwsStub } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, vi } from 'vitest';

type ScreenHandler = (event: unknown, context: unknown) => Promise<SQSBatchResponse>;

/**
 * For a describe: screen's handler, imported once under `env` (it reads its settings at import), with
 * `db` and `sqs` cleared before each test and answering as an empty stack: no party history, every
 * write and send accepted.
 */
export const useScreenHandler = (
  env: Record<string, string>,
  db: AwsStub<any, any, any>,
  sqs: AwsStub<any, any, any>,
): ScreenHandler => {
  let handler: ScreenHandler;
  beforeAll(async () => {
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/screen/handler.js')) as unknown as {
      handler: ScreenHandler;
    });
  });
  beforeEach(() => {
    db.reset();
    sqs.reset();
    db.on(BatchGetCommand).resolves({ Responses: {} });
    db.on(PutCommand).resolves({});
    db.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });
  return (event, context) => handler(event, context);
};
