import { resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { inputsTo } from '../support/aws-mocks.js';
import { readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { aContext, anSqsEvent, SCREEN_ENV } from '../support/lambda.js';
import { useScreenHandler } from '../support/screen-handler.js';
import { aScreeningMessage, screeningMessagesOf } from '../support/screening-messages.js';

/**
 * The manifest's times reach the rules from a screening message: screen runs the local-time example rule
 * set (test/fixtures/rule-sets/local-time), whose rules read `manifest.submittedAt` in China time.
 */
const ENV = {
  ...SCREEN_ENV,
  RULES_DIR: resolve(import.meta.dirname, '../fixtures/rule-sets/local-time'),
};

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

const recordedDecisions = () => inputsTo(db, PutCommand, 'decisions-table').map((put) => put.Item!);

describe('screen: the manifest times among the facts', () => {
  const handler = useScreenHandler(ENV, db, sqs);

  it("carries the manifest's submittedAt, as written, in every screening message ingest builds", () => {
    // Act
    const messages = screeningMessagesOf(SHENZHEN_MANIFEST);

    // Assess
    expect(messages.map((message) => message.submittedAt)).toEqual(
      messages.map(() => readSample(SHENZHEN_MANIFEST).submittedAt),
    );
  });

  it('gives the rules submittedAt and receivedAt: a manifest submitted at 01:30 China time fires the night rule', async () => {
    // Prepare
    const message = {
      ...aScreeningMessage(SHENZHEN_MANIFEST, { receivedAt: '2026-11-26T17:30:02.000Z' }),
      submittedAt: '2026-11-27T01:30:00+08:00',
    };

    // Act
    const response = await handler(anSqsEvent([JSON.stringify(message)]), aContext('screen'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const decisions = recordedDecisions();
    expect(decisions).toHaveLength(message.items.length);
    for (const decision of decisions) {
      expect(decision.facts.manifest).toMatchObject({
        submittedAt: '2026-11-27T01:30:00+08:00',
        receivedAt: '2026-11-26T17:30:02.000Z',
      });
      expect(decision.firedRules.map((fired: { ruleId: string }) => fired.ruleId)).toContain(
        'submitted-at-night-china-time',
      );
    }
  });

  it('does not fire it for the same manifest submitted at 10:05 China time', async () => {
    // Act
    await handler(anSqsEvent([JSON.stringify(aScreeningMessage(SHENZHEN_MANIFEST))]), aContext('screen'));

    // Assess
    const decisions = recordedDecisions();
    expect(decisions.length).toBeGreaterThan(0);
    for (const decision of decisions) {
      expect(decision.facts.manifest.submittedAt).toBe('2026-11-27T10:05:00+08:00');
      expect(decision.firedRules).toEqual([]);
    }
  });

  it('screens a message queued before submittedAt was carried: the rules read it as missing', async () => {
    // Prepare: a message as an ingest from before sends it
    const { submittedAt: _left, ...message } = aScreeningMessage(SHENZHEN_MANIFEST);

    // Act
    const response = await handler(anSqsEvent([JSON.stringify(message)]), aContext('screen'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const decisions = recordedDecisions();
    expect(decisions.length).toBeGreaterThan(0);
    for (const decision of decisions) {
      expect(decision.facts.manifest).not.toHaveProperty('submittedAt');
      expect(decision.facts.manifest.receivedAt).toBe(message.receivedAt);
      expect(decision.lane).toBe('release');
    }
  });
});
