import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PARTY_DAY_FULL, SHARED_COUNTERPARTS_FULL } from '../../infra/definitions.js';
import { awsError } from '../support/aws-mocks.js';
import { RUILI_MANIFEST } from '../support/factories.js';
import { aContext, anSqsEvent, SCREEN_ENV } from '../support/lambda.js';
import { screeningMessagesOf } from '../support/screening-messages.js';

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: (event: unknown, context: unknown) => Promise<SQSBatchResponse>;
const lines: string[] = [];

/**
 * Screens the sample Ruili manifest with every update of an item `tooLarge` names refused as DynamoDB
 * refuses an item outgrowing 400 KB; the handler's answer.
 */
const screenRefusing = async (tooLarge: (key: { pk?: string; sk?: string }) => boolean) => {
  db.on(BatchGetCommand).resolves({ Responses: {} });
  db.on(PutCommand).resolves({});
  db.on(UpdateCommand).callsFake(async (input: { Key?: { pk?: string; sk?: string } }) => {
    if (tooLarge(input.Key ?? {}))
      throw awsError('ValidationException', 'Item size to update has exceeded the maximum allowed size');
    return {};
  });
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  const event = anSqsEvent(screeningMessagesOf(RUILI_MANIFEST).map((message) => JSON.stringify(message)));
  return handler(event, aContext('screen'));
};

/** The warnings logged with `message`, each checked to be a warning. */
const warningsOf = <T>(message: string): T[] =>
  lines
    .filter((line) => line.includes(`"message":"${message}"`))
    .map((line) => JSON.parse(line) as T & { level: string })
    .map((warning) => {
      expect(warning.level).toBe('warn');
      return warning;
    });

describe('screen handler, a party history item full', () => {
  beforeAll(async () => {
    // Warnings logged, as in production; the test support's screen env logs errors only
    for (const [key, value] of Object.entries({ ...SCREEN_ENV, LOG_LEVEL: 'warn' })) vi.stubEnv(key, value);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n'));
      return true;
    });
    ({ handler } = (await import('../../functions/screen/handler.js')) as never);
  });

  beforeEach(() => {
    db.reset();
    sqs.reset();
  });

  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('warns which shared counterparts item is full, and screens the parcels all the same', async () => {
    // Act: every update of a shared item (`S#…`) refused for size
    const response = await screenRefusing(({ pk }) => pk?.startsWith('S#') === true);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    // One warning for each shared item refused (`S#<key>` / `R#<region>#M#<month>`), naming it
    const refused = db
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input.Key as { pk?: string; sk: string })
      .filter(({ pk }) => pk?.startsWith('S#'))
      .map(({ pk, sk }) => `${pk!.slice(2)} ${sk.replace(/^R#(.+)#M#(.+)$/, '$1 $2')}`);
    // Logged as the metric filter behind its alarm matches it (infra/definitions.ts)
    const warned = warningsOf<{ key: string; region: string; month: string }>(SHARED_COUNTERPARTS_FULL).map(
      (warning) => `${warning.key} ${warning.region} ${warning.month}`,
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(warned)).toEqual(new Set(refused));
  });

  it('warns which party days are full, and screens the parcels all the same', async () => {
    // Act: every update of a day bucket or overflow bucket (`D#…`) refused for size: every party's day is full
    const response = await screenRefusing(({ sk }) => sk?.startsWith('D#') === true);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    // The party history's updates: `H#<region>#<key>` / `D#<day>`, `D#<day>#<n>` (buckets), `PROFILE`
    const updates = db
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input.Key as { pk?: string; sk?: string } | undefined)
      .flatMap((key) =>
        key?.pk?.startsWith('H#')
          ? [{ party: key.pk.replace(/^H#([^#]+)#(.+)$/, '$1 $2'), sk: String(key.sk) }]
          : [],
      );
    const refused = updates
      .filter(({ sk }) => sk.startsWith('D#'))
      .map(({ party, sk }) => `${party} ${sk.split('#')[1]}`);
    const warned = warningsOf<{ key: string; region: string; day: string }>(PARTY_DAY_FULL).map(
      (warning) => `${warning.region} ${warning.key} ${warning.day}`,
    );
    // One warning for each party day refused, naming it
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(warned)).toEqual(new Set(refused));
    expect(warned).toHaveLength(new Set(warned).size);
    // Every party's profile written all the same
    const profiles = updates.filter(({ sk }) => sk === 'PROFILE').map(({ party }) => party);
    expect(new Set(profiles)).toEqual(new Set(refused.map((day) => day.slice(0, day.lastIndexOf(' ')))));
  });
});
