import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { awsError, inputsTo } from '../support/aws-mocks.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { aContext, anSqsEvent, SCREEN_ENV } from '../support/lambda.js';
import { useScreenHandler } from '../support/screen-handler.js';
import { aScreeningMessage, screeningMessagesOf } from '../support/screening-messages.js';

const ENV = SCREEN_ENV;

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

const messagesTo = (queueUrl: string) =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .filter((call) => call.args[0].input.QueueUrl === queueUrl)
    .flatMap((call) => call.args[0].input.Entries!.map((entry) => JSON.parse(entry.MessageBody!)));

describe('screen handler', () => {
  const handler = useScreenHandler(ENV, db, sqs);

  it('records a decision per parcel and sends the flagged ones to review, inspection and referral', async () => {
    // Prepare
    // Prepare: the Ruili manifest's parcels are inspected in two regions, so ingest sends two messages
    const event = anSqsEvent(screeningMessagesOf(RUILI_MANIFEST).map((message) => JSON.stringify(message)));
    // Act
    const response = await handler(event, aContext('screen'));
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const decisions = inputsTo(db, PutCommand, 'decisions-table');
    expect(decisions.map((put) => put.ConditionExpression)).toEqual([
      'attribute_not_exists(pk) OR expiresAt <= :now OR receivedAt < :receivedAt OR (attribute_not_exists(receivedAt) AND (manifestId <> :manifestId OR decidedAt < :receivedAt))',
      'attribute_not_exists(pk) OR expiresAt <= :now OR receivedAt < :receivedAt OR (attribute_not_exists(receivedAt) AND (manifestId <> :manifestId OR decidedAt < :receivedAt))',
    ]);
    const lanes = Object.fromEntries(decisions.map((put) => [put.Item!.parcelId, put.Item!.lane]));
    expect(lanes.SWF7781000123).toBe('hold');
    expect(lanes.SWF7781000124).not.toBe('release');
    const furniture = decisions.find((put) => put.Item!.parcelId === 'SWF7781000123')!.Item!;
    expect(furniture.ruleSetVersion).toMatch(/^sha256:/);
    expect(furniture.facts.parcel.parcelId).toBe('SWF7781000123');

    const review = inputsTo(db, PutCommand, 'review-table');
    expect(review.map((put) => put.Item!.officeStatus).sort()).toEqual([
      'guangzhou-customs#open',
      'wuzhou-customs#open',
    ]);
    expect(
      review.every(
        (put) =>
          put.ConditionExpression ===
          'attribute_not_exists(pk) OR expiresAt <= :now OR flaggedAt < :flaggedAt',
      ),
    ).toBe(true);

    expect(
      messagesTo(ENV.INSPECTION_QUEUE_URL)
        .map((message) => message.parcelId)
        .sort(),
    ).toEqual(['SWF7781000123', 'SWF7781000124']);
    const referrals = messagesTo(ENV.REFERRAL_QUEUE_URL);
    expect(referrals.map((message) => message.parcelId)).toContain('SWF7781000123');
    for (const referral of referrals) expect(JSON.stringify(referral)).not.toMatch(/reason|score|rule/i);

    const effectsDone = inputsTo(db, UpdateCommand, 'decisions-table');
    expect(effectsDone.map((update) => update.Key!.pk).sort()).toEqual([
      'southwest-freight#SWF7781000123',
      'southwest-freight#SWF7781000124',
    ]);
    expect(inputsTo(db, UpdateCommand, 'history-table').length).toBeGreaterThan(0);
  });

  it("screens each parcel with its manifest's transport among the facts it records", async () => {
    // Prepare
    const event = anSqsEvent([JSON.stringify(aScreeningMessage(RUILI_MANIFEST))]);

    // Act
    await handler(event, aContext('screen'));

    // Assess
    const decisions = inputsTo(db, PutCommand, 'decisions-table');
    expect(decisions[0]!.Item!.facts.manifest.transport).toEqual(readSample(RUILI_MANIFEST).transport);
  });

  it('releases ordinary parcels without touching the review queue or the inspection queue', async () => {
    // Act
    const response = await handler(
      anSqsEvent([JSON.stringify(aScreeningMessage(SHENZHEN_MANIFEST))]),
      aContext(),
    );
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(inputsTo(db, PutCommand, 'decisions-table').map((put) => put.Item!.lane)).toEqual([
      'release',
      'release',
      'release',
    ]);
    expect(inputsTo(db, PutCommand, 'review-table')).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('repeats nothing for a parcel whose decision and effects are already recorded', async () => {
    // Prepare
    const message = aScreeningMessage(SHENZHEN_MANIFEST);
    const stored = message.items.map((item) => ({
      pk: `pearl-express#${item.parcel.parcelId}`,
      parcelKey: `pearl-express#${item.parcel.parcelId}`,
      parcelId: item.parcel.parcelId,
      manifestId: message.manifestId,
      decidedAt: '2026-11-27T01:00:00.000Z',
      lane: 'release',
      firedRules: [],
      effectsDoneAt: '2026-11-27T01:00:05.000Z',
    }));
    db.on(BatchGetCommand).callsFake((input) =>
      input.RequestItems['decisions-table']
        ? { Responses: { 'decisions-table': stored } }
        : { Responses: {} },
    );
    // Act
    const response = await handler(anSqsEvent([JSON.stringify(message)]), aContext());
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
    expect(db.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('reports a malformed record as a batch item failure and screens the others', async () => {
    // Prepare
    const event = anSqsEvent([
      '{"type":"ScreeningRequested"',
      JSON.stringify(aScreeningMessage(SHENZHEN_MANIFEST)),
    ]);
    // Act
    const response = await handler(event, aContext());
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
    expect(inputsTo(db, PutCommand, 'decisions-table')).toHaveLength(3);
  });

  it('sends flagged parcels to officers and partners before the bookkeeping, so a history that keeps failing delays only the history', async () => {
    // Prepare: every party history update refused, as for an item at DynamoDB's size limit
    db.on(UpdateCommand, { TableName: 'history-table' }).rejects(
      awsError('ValidationException', 'Item size to update has exceeded the maximum allowed size'),
    );
    // Act
    const response = await handler(
      anSqsEvent(screeningMessagesOf(RUILI_MANIFEST).map((message) => JSON.stringify(message))),
      aContext('screen'),
    );
    // Assess: the records are retried (and in the end dead-lettered), their effects are not marked done...
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'message-0' },
      { itemIdentifier: 'message-1' },
    ]);
    expect(inputsTo(db, UpdateCommand, 'decisions-table')).toHaveLength(0);
    // ...the rule hits, recorded beside the history, are counted (once: a retry counts nothing again)...
    expect(inputsTo(db, UpdateCommand, 'statistics-table').length).toBeGreaterThan(0);
    // ...and the flagged parcels are in their offices' review queues, on the inspection queue and referred
    expect(inputsTo(db, PutCommand, 'review-table')).toHaveLength(2);
    expect(messagesTo(ENV.INSPECTION_QUEUE_URL)).toHaveLength(2);
    expect(messagesTo(ENV.REFERRAL_QUEUE_URL).map((message) => message.parcelId)).toContain('SWF7781000123');
  });

  it('refuses, without screening any of them, a message holding a parcel inspected in another region', async () => {
    // Prepare: a Guangdong parcel slipped into the Yunnan–Guangxi message (ingest never sends one)
    const [yunnanGuangxi, guangdong] = screeningMessagesOf(RUILI_MANIFEST);
    const forged = { ...yunnanGuangxi!, items: [...yunnanGuangxi!.items, ...guangdong!.items] };
    const output = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    // Act
    const response = await handler(anSqsEvent([JSON.stringify(forged)]), aContext('screen'));
    // Assess: retried and in the end dead-lettered, and no history of either region was read or written
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
    expect(db.commandCalls(BatchGetCommand)).toHaveLength(0);
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    // ...and the log says which parcel, where and why
    const logged = output.mock.calls.map(([line]) => String(line)).join('');
    output.mockRestore();
    expect(logged).toContain('VALIDATION_FAILED');
    expect(logged).toContain(
      "items[1].parcel.route.inspectionOffice: guangzhou-customs is in region guangdong, not in the message's region yunnan-guangxi",
    );
  });

  it('bounds the goods summary of a review item, keeping every goods line in the decision', async () => {
    // Prepare: the furniture parcel with 50 goods lines of 512 unbroken characters, as the contract allows
    const message = aScreeningMessage(RUILI_MANIFEST);
    const { parcel } = message.items[0]!;
    const line = { ...parcel.goods[0]!, description: `CARVEDROSEWOODFURNITURE-${'X'.repeat(488)}` };
    parcel.goods = Array.from({ length: 50 }, () => ({ ...line }));
    // Act
    const response = await handler(anSqsEvent([JSON.stringify(message)]), aContext('screen'));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const review = inputsTo(db, PutCommand, 'review-table').find(
      (put) => put.Item!.parcelId === parcel.parcelId,
    )!.Item!;
    expect(review.goodsSummary).toHaveLength(300);
    expect(review.goodsSummary).toMatch(/^CARVEDROSEWOODFURNITURE-X+…$/);
    const decision = inputsTo(db, PutCommand, 'decisions-table').find(
      (put) => put.Item!.parcelId === parcel.parcelId,
    )!.Item!;
    expect(decision.facts.parcel.goods).toHaveLength(50);
  });

  it('reports a record as failed when DynamoDB stays throttled, so SQS retries it', async () => {
    // Prepare
    db.on(PutCommand).rejects(awsError('ProvisionedThroughputExceededException', 'slow down'));
    // Act
    const response = await handler(
      anSqsEvent([JSON.stringify(aScreeningMessage(SHENZHEN_MANIFEST))]),
      aContext(),
    );
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
