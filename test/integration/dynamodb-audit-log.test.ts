import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { makeVerifyAuditLog } from '../../functions/audit/verify-audit-log.js';
import type { AuditDraft } from '../../functions/core/audit/audit-chain.js';
import { TABLES } from '../../infra/definitions.js';
import { InMemoryAuditAnchors } from '../support/audit-anchors.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';

const draft = (chain: string, index: number): AuditDraft => ({
  chain,
  actionId: `claim:${chain}#P${index}:v1`,
  actor: 'sub-1',
  actorName: 'wuzhou',
  role: 'officer',
  at: new Date(Date.UTC(2026, 10, 28, 10, 0, index)).toISOString(),
  action: 'claim',
  target: `southwest-freight#P${index}`,
  before: { status: 'open' },
  after: { status: 'open', lease: { holder: 'sub-1' } },
  requestId: `req-${index}`,
});

describe('DynamoDbAuditLog', () => {
  let dynamo: LocalDynamoDb;
  let counter = 0;
  const freshLog = async () => {
    counter += 1;
    const table = `audit-${counter}`;
    await dynamo.createTable(table, TABLES.auditLog);
    return { table, log: new DynamoDbAuditLog(dynamo.doc, table) };
  };

  /** Edits a stored wuzhou-customs entry's actor name, as someone able to write the table could. */
  const alterActorName = (table: string, seq: number) =>
    dynamo.doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { chain: 'wuzhou-customs', seq },
        UpdateExpression: 'SET actorName = :someone',
        ExpressionAttributeValues: { ':someone': 'nanning' },
      }),
    );

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('serializes concurrent appends to one chain into one unbroken sequence', async () => {
    // Prepare
    const { log } = await freshLog();
    // Act
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => log.appendOnce(draft('wuzhou-customs', index))),
    );
    // Assess
    const chains = await log.readAll();
    expect(
      chains
        .get('wuzhou-customs')!
        .map((entry) => entry.seq)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect((await makeVerifyAuditLog(log, new InMemoryAuditAnchors())()).ok).toBe(true);
  });

  it('records an action whose id an entry of another action holds under a marked id, once', async () => {
    // Prepare: someone able to write the table planted, in another office's chain, an entry under the
    // action id a later action will have, to keep that action out of the log
    const { log } = await freshLog();
    const real = draft('wuzhou-customs', 7);
    await log.appendOnce({ ...draft('nanning-customs', 1), actionId: real.actionId });
    // Act
    const appended = await log.appendOnce(real);
    const again = await log.appendOnce(real);
    // Assess
    expect(appended).toMatchObject({
      chain: 'wuzhou-customs',
      seq: 1,
      target: real.target,
      actionId: expect.stringMatching(/^claim:wuzhou-customs#P7:v1#taken-[0-9a-f]{16}$/),
    });
    expect(again).toEqual(appended);
    expect((await log.readAll()).get('wuzhou-customs')).toHaveLength(1);
  });

  it('records an action whose id an entry of another action holds in its own chain under a marked id, though its index has not seen that entry yet', async () => {
    // Prepare: an entry of another action in the same chain holds the action's id; the index lags behind
    const { table, log } = await freshLog();
    const real = draft('wuzhou-customs', 7);
    await log.appendOnce({ ...draft('wuzhou-customs', 1), actionId: real.actionId });
    const laggingIndex = {
      send: (command: { input: { IndexName?: string } }) =>
        command.input.IndexName === undefined
          ? dynamo.doc.send(command as never)
          : Promise.resolve({ Items: [] }),
    } as unknown as DynamoDBDocumentClient;

    // Act
    const appended = await new DynamoDbAuditLog(laggingIndex, table).appendOnce(real);

    // Assess
    expect(appended).toMatchObject({
      chain: 'wuzhou-customs',
      seq: 2,
      target: real.target,
      actionId: expect.stringMatching(/^claim:wuzhou-customs#P7:v1#taken-[0-9a-f]{16}$/),
    });
    expect((await log.readAll()).get('wuzhou-customs')).toHaveLength(2);
  });

  it('refuses, loudly, an action whose id and marked id entries of other actions both hold', async () => {
    // Prepare
    const { log } = await freshLog();
    const real = draft('wuzhou-customs', 8);
    const taken = (await log.appendOnce({ ...draft('nanning-customs', 1), actionId: real.actionId }))
      .actionId;
    const marked = (await log.appendOnce(real)).actionId;
    const { log: other } = await freshLog();
    await other.appendOnce({ ...draft('nanning-customs', 1), actionId: taken });
    await other.appendOnce({ ...draft('nanning-customs', 2), actionId: marked });
    // Act
    const appending = other.appendOnce(real);
    // Assess
    await expect(appending).rejects.toMatchObject({ code: 'AUDIT_LOG_INCONSISTENT', retryable: false });
  });

  it('records an action appended twice once', async () => {
    // Prepare
    const { log } = await freshLog();
    // Act
    const first = await log.appendOnce(draft('nanning-customs', 1));
    const again = await log.appendOnce(draft('nanning-customs', 1));
    // Assess
    expect(again).toEqual(first);
    expect((await log.readAll()).get('nanning-customs')).toHaveLength(1);
  });

  it('records an action appended twice at once once, though its index has not seen either yet', async () => {
    // Prepare
    const { log } = await freshLog();
    // Act
    const [one, two] = await Promise.all([
      log.appendOnce(draft('dehong-customs', 1)),
      log.appendOnce(draft('dehong-customs', 1)),
    ]);
    // Assess
    expect(two).toEqual(one);
    expect((await log.readAll()).get('dehong-customs')).toHaveLength(1);
  });

  it('reads every entry of a log its scan returns in several pages', async () => {
    // Prepare: pages of two items, as a log past 1 MB is read in pages
    const { table, log } = await freshLog();
    for (let index = 1; index <= 5; index += 1) await log.appendOnce(draft('wuzhou-customs', index));
    const smallPages = {
      send: (command: { input: Record<string, unknown> }) => {
        if (command.input.KeyConditionExpression === undefined) command.input.Limit = 2;
        return dynamo.doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;

    // Act
    const chains = await new DynamoDbAuditLog(smallPages, table).readAll();

    // Assess
    expect(chains.get('wuzhou-customs')!.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('fails verification at exactly the stored entry that was altered, and only in its chain', async () => {
    // Prepare
    const { table, log } = await freshLog();
    for (let index = 1; index <= 5; index += 1) await log.appendOnce(draft('wuzhou-customs', index));
    for (let index = 1; index <= 3; index += 1) await log.appendOnce(draft('guangzhou-customs', index));
    // Act
    await alterActorName(table, 3);
    const result = await makeVerifyAuditLog(log, new InMemoryAuditAnchors())();
    // Assess
    expect(result.ok).toBe(false);
    expect(result.firstFailure).toMatchObject({
      chain: 'wuzhou-customs',
      seq: 3,
      problem: expect.stringMatching(/altered/),
    });
    expect(result.chains.find((chain) => chain.chain === 'guangzhou-customs')).toMatchObject({
      ok: true,
      entries: 3,
    });
  });

  it.each([
    ['an integer past 2^53', '9007199254740993'],
    ['a fraction past 2^53', '9007199254740993.5'],
  ])('fails only the chain of an entry planted with %s, and verifies the others', async (_name, number) => {
    // Prepare: an altered entry in one chain, and a number no append writes planted in another
    const { table, log } = await freshLog();
    for (let index = 1; index <= 3; index += 1) await log.appendOnce(draft('wuzhou-customs', index));
    for (let index = 1; index <= 2; index += 1) await log.appendOnce(draft('rules', index));
    await alterActorName(table, 2);
    await dynamo.doc.send(
      // A plain command: the document client would refuse to write the number as a JavaScript number
      new UpdateItemCommand({
        TableName: table,
        Key: { chain: { S: 'rules' }, seq: { N: '2' } },
        UpdateExpression: 'SET planted = :number',
        ExpressionAttributeValues: { ':number': { N: number } },
      }) as never,
    );

    // Act
    const result = await makeVerifyAuditLog(log, new InMemoryAuditAnchors())();

    // Assess
    expect(result.chains.find((chain) => chain.chain === 'wuzhou-customs')).toMatchObject({
      ok: false,
      failures: [{ seq: 2, problem: expect.stringMatching(/altered/) }],
    });
    expect(result.chains.find((chain) => chain.chain === 'rules')).toMatchObject({
      ok: false,
      failures: [{ seq: 2, problem: expect.stringMatching(/altered/) }],
    });
  });
});
