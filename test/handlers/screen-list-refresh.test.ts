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
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readHashedRuleSetDirectory } from '../../functions/adapters/file-rule-set-source.js';
import type { ListDocument } from '../../functions/core/rules/index.js';
import {
  LISTS_NOT_REFRESHED,
  PUBLISHED_LIST_REFUSED,
  SHADOW_RULE_SET_REFUSED,
} from '../../infra/definitions.js';
import { inputsTo } from '../support/aws-mocks.js';
import { SHENZHEN_MANIFEST } from '../support/factories.js';
import { aContext, anSqsEvent, SCREEN_ENV } from '../support/lambda.js';
import { aScreeningMessage } from '../support/screening-messages.js';

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

const START = Date.parse('2026-11-29T08:00:00Z');
/** The screen function's default LIST_REFRESH_SECONDS. */
const REFRESH_SECONDS = 300;

const bundledList = (name: string): ListDocument =>
  readHashedRuleSetDirectory(SCREEN_ENV.RULES_DIR, SCREEN_ENV.PARTY_KEY_SALT).input.lists.find(
    (source) => (source.document as ListDocument).name === name,
  )!.document as ListDocument;

/** border-origins v2: the bundled towns and Shenzhen, where two of the sample manifest's three parcels come from. */
const borderOriginsWithShenzhen = (): ListDocument => {
  const bundled = bundledList('border-origins');
  return { ...bundled, version: 2, values: [...bundled.values, 'Shenzhen'] as ListDocument['values'] };
};

const throttled = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
    name: 'ProvisionedThroughputExceededException',
    $metadata: { httpStatusCode: 400 },
    $retryable: { throttling: true },
  });

/** The lists table, as the mocked DynamoDB answers screen's queries: what is published, or throttled. */
const listsTable = {
  published: [] as ListDocument[],
  throttled: false,
  queries: 0,
  publish(list: ListDocument) {
    listsTable.published.push(JSON.parse(JSON.stringify(list)) as ListDocument);
  },
};

const answerListQueries = () =>
  db.on(QueryCommand, { TableName: 'lists-table' }).callsFake((input) => {
    listsTable.queries += 1;
    if (listsTable.throttled) throw throttled();
    const { ':name': name, ':below': below } = input.ExpressionAttributeValues;
    const newest = listsTable.published
      .filter((list) => list.name === name && (below === undefined || list.version < below))
      .sort((a, b) => b.version - a.version)[0];
    const item = newest && {
      name: newest.name,
      version: newest.version,
      document: newest,
      contentVersion: `sha256:${newest.name}-${newest.version}`,
      publishedAt: '2026-11-29T08:00:00.000Z',
      publishedBy: 'analyst',
    };
    return { Items: item === undefined ? [] : [item] };
  });

/** A fresh screen function (a cold start), with `env` over the handler tests' settings. */
const coldStart = async (env: Record<string, string> = {}) => {
  vi.resetModules();
  for (const [key, value] of Object.entries({ ...SCREEN_ENV, LOG_LEVEL: 'info', ...env }))
    vi.stubEnv(key, value);
  const { handler } = (await import('../../functions/screen/handler.js')) as unknown as {
    handler: (event: unknown, context: unknown) => Promise<SQSBatchResponse>;
  };
  return handler;
};

/** Moves the clock to `seconds` after the first batch. */
const secondsLater = (seconds: number) => vi.setSystemTime(START + seconds * 1_000);

/** One batch of the Shenzhen sample's message, and the decisions it recorded. */
const screenABatch = async (handler: Awaited<ReturnType<typeof coldStart>>) => {
  const before = inputsTo(db, PutCommand, 'decisions-table').length;
  const response = await handler(
    anSqsEvent([JSON.stringify(aScreeningMessage(SHENZHEN_MANIFEST))]),
    aContext('screen'),
  );
  const decisions = inputsTo(db, PutCommand, 'decisions-table')
    .slice(before)
    .map((put) => put.Item!);
  return {
    response,
    versions: [...new Set(decisions.map((decision) => decision.ruleSetVersion))],
    borderTown: decisions.filter((decision) =>
      decision.firedRules.some((rule: { ruleId: string }) => rule.ruleId === 'origin-border-town'),
    ).length,
    decisions,
  };
};

/** What screen wrote to stdout in the test so far, line by line. */
const lines: string[] = [];

/** The JSON log lines with this message. */
const logged = (message: string) =>
  lines.filter((line) => line.includes(`"message":"${message}"`)).map((line) => JSON.parse(line));

describe('screen handler on a warm container, as lists are published', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    db.reset();
    sqs.reset();
    Object.assign(listsTable, { published: [], throttled: false, queries: 0 });
    answerListQueries();
    db.on(BatchGetCommand).resolves({ Responses: {} });
    db.on(PutCommand).resolves({});
    db.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    lines.length = 0;
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('screens with a list published after its first batch from LIST_REFRESH_SECONDS on, not before', async () => {
    // Prepare
    const handler = await coldStart();
    const first = await screenABatch(handler);
    listsTable.publish(borderOriginsWithShenzhen());
    // Act
    secondsLater(REFRESH_SECONDS - 1);
    const before = await screenABatch(handler);
    secondsLater(REFRESH_SECONDS);
    const refreshed = await screenABatch(handler);
    // Assess
    expect(first.borderTown).toBe(0);
    expect(before.borderTown).toBe(0);
    expect(before.versions).toEqual(first.versions);
    expect(refreshed.response.batchItemFailures).toEqual([]);
    expect(refreshed.borderTown).toBe(2);
    expect(refreshed.versions).toHaveLength(1);
    expect(refreshed.versions).not.toEqual(first.versions);
    expect(logged('rule set loaded')).toEqual([
      expect.objectContaining({ version: first.versions[0], listsFromTable: [] }),
      expect.objectContaining({
        version: refreshed.versions[0],
        previousVersion: first.versions[0],
        listsFromTable: ['border-origins v2'],
      }),
    ]);
  });

  it('screens on with the lists in force when the lists table is throttled, logs it, and reads it again at the next interval', async () => {
    // Prepare
    const handler = await coldStart();
    const first = await screenABatch(handler);
    listsTable.publish(borderOriginsWithShenzhen());
    listsTable.throttled = true;
    // Act
    secondsLater(REFRESH_SECONDS);
    const throttledBatch = await screenABatch(handler);
    const queriesWhenThrottled = listsTable.queries;
    listsTable.throttled = false;
    secondsLater(2 * REFRESH_SECONDS - 1);
    const meanwhile = await screenABatch(handler);
    const queriesMeanwhile = listsTable.queries;
    secondsLater(2 * REFRESH_SECONDS);
    const retried = await screenABatch(handler);
    // Assess
    expect(throttledBatch.response.batchItemFailures).toEqual([]);
    expect(throttledBatch.versions).toEqual(first.versions);
    expect(throttledBatch.decisions).toHaveLength(3);
    expect(logged(LISTS_NOT_REFRESHED)).toEqual([
      expect.objectContaining({
        level: 'error',
        ruleSet: 'live',
        version: first.versions[0],
        reason: expect.stringMatching(/throughput|throttl/i),
      }),
    ]);
    expect(meanwhile.borderTown).toBe(0);
    expect(queriesMeanwhile).toBe(queriesWhenThrottled);
    expect(retried.borderTown).toBe(2);
  });

  it('stops the refused-list alarm once a fixed version is published and read', async () => {
    // Prepare: watched-phones v9 holds consignee keys, where the deployed rule compares parties.phone
    listsTable.publish({
      ...bundledList('watched-phones'),
      version: 9,
      holds: 'consignee',
      values: ['cn_AAAAAAAAAAAAAAAAAAAAAA'],
    });
    const handler = await coldStart();
    await screenABatch(handler);
    listsTable.publish({ ...bundledList('watched-phones'), version: 10 });
    // Act
    secondsLater(REFRESH_SECONDS - 1);
    await screenABatch(handler);
    const refusedBefore = logged(PUBLISHED_LIST_REFUSED).length;
    secondsLater(REFRESH_SECONDS);
    const fixed = await screenABatch(handler);
    // Assess
    const refusals = logged(PUBLISHED_LIST_REFUSED);
    expect(refusedBefore).toBe(2);
    expect(refusals).toHaveLength(2);
    expect(refusals.map((line) => line.list)).toEqual(['watched-phones v9', 'watched-phones v9']);
    expect(fixed.response.batchItemFailures).toEqual([]);
    expect(logged('rule set loaded').at(-1)).toMatchObject({ listsFromTable: ['watched-phones v10'] });
  });

  it('tries again a shadow rule set whose lists could not be read, and records its decisions once loaded', async () => {
    // Prepare: the live rule set's five list queries answer, the shadow's after them are throttled
    const handler = await coldStart({ SHADOW_RULES_DIR: SCREEN_ENV.RULES_DIR });
    db.on(QueryCommand, { TableName: 'lists-table' }).callsFake(() => {
      listsTable.queries += 1;
      if (listsTable.queries > 5) throw throttled();
      return { Items: [] };
    });
    const first = await screenABatch(handler);
    answerListQueries();
    // Act
    secondsLater(REFRESH_SECONDS);
    const refreshed = await screenABatch(handler);
    // Assess
    expect(logged(SHADOW_RULE_SET_REFUSED)).toHaveLength(1);
    expect(first.decisions.map((decision) => decision.shadow)).toEqual([undefined, undefined, undefined]);
    expect(refreshed.decisions.map((decision) => decision.shadow?.ruleSetVersion)).toEqual([
      refreshed.versions[0],
      refreshed.versions[0],
      refreshed.versions[0],
    ]);
    expect(logged('shadow rule set loaded')).toHaveLength(1);
  });
});
