import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { translateAwsError } from '../../functions/adapters/aws-errors.js';
import {
  getDocumentClient,
  getS3Client,
  getSqsClient,
  SDK_REQUEST_HANDLER,
  TOOL_REQUEST_HANDLER,
} from '../../functions/platform/clients.js';
import { DependencyError } from '../../functions/platform/errors.js';
import { FUNCTIONS } from '../../infra/definitions.js';

/** The most the standard retry strategy waits between attempts: at most 0.1, 0.2, 0.4 s … per retry. */
const backoffBudgetMs = (attempts: number) => 100 * (2 ** (attempts - 1) - 1);

/** The shortest timeout among the functions that call DynamoDB or SQS. */
const shortestAwsFunctionTimeoutMs = Math.min(
  ...Object.values(FUNCTIONS)
    .filter((fn) => fn.tables.read.length + fn.tables.write.length + fn.sendsTo.length > 0)
    .map((fn) => fn.timeoutSeconds * 1000),
);

describe('SDK clients', () => {
  let server: Server;
  const accepted: string[] = [];

  beforeAll(async () => {
    // A dependency that accepts the connection and never answers.
    server = createServer((request) => {
      accepted.push(request.url ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', endpoint);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('give up on a dependency that never answers, with an error the adapters translate into a 503', async () => {
    // Act
    const [dynamo, sqs] = await Promise.all([
      getDocumentClient()
        .send(new GetCommand({ TableName: 'partners', Key: { partnerId: 'pearl-express' } }))
        .catch((error: unknown) => error),
      getSqsClient()
        .send(
          new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: '{}' }),
        )
        .catch((error: unknown) => error),
    ]);
    // Assess
    for (const error of [dynamo, sqs]) {
      expect(error).toMatchObject({ name: 'TimeoutError' });
      const translated = translateAwsError(error, 'call');
      expect(translated).toBeInstanceOf(DependencyError);
      expect(translated.retryable).toBe(true);
    }
    expect(accepted.length).toBeGreaterThan(1);
  }, 20_000);

  it('give up, after every attempt, well within the shortest timeout of a function that calls AWS', async () => {
    // Prepare
    const attempts = Math.max(
      await getDocumentClient().config.maxAttempts(),
      await getSqsClient().config.maxAttempts(),
    );
    // Act
    const worstCaseMs = attempts * SDK_REQUEST_HANDLER.requestTimeout + backoffBudgetMs(attempts);
    // Assess
    expect(SDK_REQUEST_HANDLER.connectionTimeout).toBeLessThanOrEqual(SDK_REQUEST_HANDLER.requestTimeout);
    expect(SDK_REQUEST_HANDLER.throwOnRequestTimeout).toBe(true);
    expect(worstCaseMs).toBeLessThanOrEqual(shortestAwsFunctionTimeoutMs * 0.75);
  });

  it('give the operator tools their own, longer attempts, and every tool uses them', () => {
    // Prepare
    const tools = readdirSync('functions/tools', { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => `${entry.parentPath}/${entry.name}`);
    expect(tools).toContain('functions/tools/rules/backtest.ts');
    // Act
    const withFunctionTimeouts = tools.filter((file) =>
      /get(DocumentClient|SqsClient)\((?!TOOL_REQUEST_HANDLER)/.test(readFileSync(file, 'utf8')),
    );
    // Assess
    expect(TOOL_REQUEST_HANDLER.requestTimeout).toBeGreaterThan(SDK_REQUEST_HANDLER.requestTimeout);
    expect(getDocumentClient(TOOL_REQUEST_HANDLER)).not.toBe(getDocumentClient());
    expect(withFunctionTimeouts).toEqual([]);
  });
  it("address an emulator's buckets by path, as `<bucket>.<emulator host>` need not resolve", async () => {
    // Act
    const client = getS3Client(TOOL_REQUEST_HANDLER, 'http://s3-emulator.internal:4566');

    // Assess
    expect(client.config.forcePathStyle).toBe(true);
  });

  it('build one S3 client per addressing style, so a later call with an endpoint is not handed a cached client', () => {
    // Act
    const byHost = getS3Client(SDK_REQUEST_HANDLER);
    const byPath = getS3Client(SDK_REQUEST_HANDLER, 'http://s3-emulator.internal:4566');

    // Assess
    expect(byHost.config.forcePathStyle).toBe(false);
    expect(byPath.config.forcePathStyle).toBe(true);
    expect(getS3Client(SDK_REQUEST_HANDLER, 'http://s3-emulator.internal:4566')).toBe(byPath);
    expect(getS3Client(SDK_REQUEST_HANDLER)).toBe(byHost);
  });
});
