import { resolve } from 'node:path';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { scheduledEvent } from '../../functions/local/scheduled-event.js';
import type { SweepReport } from '../../functions/review-sweep/sweep-pending.js';
import { awsError, inputsTo } from '../support/aws-mocks.js';
import { aFlaggedItem, anAuditDraft } from '../support/factories.js';
import { aContext } from '../support/lambda.js';
import { partyKeys } from '../support/party-history-contract.js';

const ENV = {
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'error',
  REVIEW_QUEUE_TABLE: 'review-table',
  PARTY_HISTORY_TABLE: 'history-table',
  RULE_STATISTICS_TABLE: 'statistics-table',
  AUDIT_LOG_TABLE: 'audit-table',
  SHARING_AGREEMENTS_FILE: resolve(REPO_ROOT, 'rules/sharing/agreements.yaml'),
  PENDING_GRACE_SECONDS: '120',
};

const flagged = aFlaggedItem('SWF7781000123', partyKeys({ consignee: 'c' }));
const ACTION = `claim:${flagged.parcelKey}:v1`;
/** A claim stored an hour ago whose audit entry is still owed. */
const strandedClaim = () => ({
  pk: flagged.parcelKey,
  ...flagged,
  version: 1,
  pending: {
    actionId: ACTION,
    audit: anAuditDraft(flagged, 'claim', ACTION, new Date(Date.now() - 3_600_000).toISOString()),
  },
});

const db = mockClient(DynamoDBDocumentClient);
let handler: (event: ScheduledEvent, context: Context) => Promise<SweepReport>;

describe('review sweep handler', () => {
  let context: Context;

  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
    ({ handler } = (await import('../../functions/review-sweep/handler.js')) as never);
  });

  beforeEach(() => {
    db.reset();
    context = aContext('reviewSweep');
    db.on(QueryCommand, { TableName: 'review-table' }).resolves({
      Items: [{ pk: flagged.parcelKey, pendingQueue: 'pending', pendingSince: '2026-11-28T09:00:00.000Z' }],
    });
    db.on(QueryCommand, { TableName: 'audit-table' }).resolves({ Items: [] });
    db.on(GetCommand, { TableName: 'review-table' }).resolves({ Item: strandedClaim() });
  });

  it('claims a stranded action for this run, appends its audit entry, then clears it', async () => {
    // Act
    const report = await handler(scheduledEvent('reviewSweep-schedule', 'us-east-1'), context);

    // Assess
    expect(report).toEqual({ finished: [flagged.parcelKey], busy: [], failed: [], more: false });
    const [pendingQuery] = inputsTo(db, QueryCommand, 'review-table');
    expect(pendingQuery).toMatchObject({
      IndexName: 'byPendingSince',
      KeyConditionExpression: 'pendingQueue = :q AND pendingSince < :before',
    });
    // Two minutes' grace: actions younger than that are left to their own request.
    expect(
      Date.now() - Date.parse(pendingQuery!.ExpressionAttributeValues[':before']),
    ).toBeGreaterThanOrEqual(120_000);
    const [claim, clear] = inputsTo(db, UpdateCommand, 'review-table');
    expect(claim).toMatchObject({
      UpdateExpression: 'SET pendingFinisher = :f, pendingFinishUntil = :u',
      ExpressionAttributeValues: { ':a': ACTION, ':f': `sweep:${context.awsRequestId}` },
    });
    expect(inputsTo(db, PutCommand, 'audit-table')[0]).toMatchObject({
      Item: { actionId: ACTION, action: 'claim' },
    });
    expect(clear).toMatchObject({
      UpdateExpression: 'REMOVE #p, pendingQueue, pendingSince, pendingFinisher, pendingFinishUntil',
      ExpressionAttributeValues: { ':a': ACTION, ':f': `sweep:${context.awsRequestId}` },
    });
  });

  it('runs on to the Lambda timeout instead of answering early, starting no parcel in its last 20 s', async () => {
    // Prepare: 1 ms left; the index answers a little later
    db.on(QueryCommand, { TableName: 'review-table' }).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { Items: [{ pk: flagged.parcelKey }] };
    });
    const almostOut = { ...context, getRemainingTimeInMillis: () => 1 };

    // Act
    const report = await handler(scheduledEvent('reviewSweep-schedule', 'us-east-1'), almostOut);

    // Assess: middy's default would have thrown a TimeoutError and left the run going
    expect(report).toEqual({ finished: [], busy: [], failed: [], more: true });
    expect(inputsTo(db, UpdateCommand, 'review-table')).toEqual([]);
  });

  it('fails the run with a retryable error when a parcel cannot be finished, giving its claim back', async () => {
    // Prepare
    db.on(PutCommand, { TableName: 'audit-table' }).rejects(
      awsError('ServiceUnavailable', 'service unavailable', 'server'),
    );

    const written = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    const run = handler(scheduledEvent('reviewSweep-schedule', 'us-east-1'), context);

    // Assess: one report of the failure, the error the runtime logs, naming the parcel and why
    await expect(run).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: `1 parcel(s) still owe the effects of a staff action; they stay pending for the next sweep: ${flagged.parcelKey} (DEPENDENCY_UNAVAILABLE)`,
    });
    const logged = written.mock.calls.map(([line]) => String(line));
    written.mockRestore();
    expect(logged.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    const updates = inputsTo(db, UpdateCommand, 'review-table').map((input) => input.UpdateExpression);
    expect(updates).toEqual([
      'SET pendingFinisher = :f, pendingFinishUntil = :u',
      'REMOVE pendingFinisher, pendingFinishUntil',
    ]);
  });

  it('leaves an action another finisher holds to it', async () => {
    // Prepare: the claim's condition fails, as when a request or an earlier run holds it
    db.on(UpdateCommand, { TableName: 'review-table' }).rejects(
      awsError('ConditionalCheckFailedException', 'The conditional request failed'),
    );

    // Act
    const report = await handler(scheduledEvent('reviewSweep-schedule', 'us-east-1'), context);

    // Assess
    expect(report).toEqual({ finished: [], busy: [flagged.parcelKey], failed: [], more: false });
    expect(inputsTo(db, PutCommand, 'audit-table')).toEqual([]);
  });
  it('asks the index for no more than SWEEP_MAX_ITEMS parcels a run, as deployed', async () => {
    // Prepare: a deployment that bounds a run at one parcel
    vi.stubEnv('SWEEP_MAX_ITEMS', '1');
    vi.resetModules();
    const bounded = ((await import('../../functions/review-sweep/handler.js')) as { handler: typeof handler })
      .handler;
    vi.stubEnv('SWEEP_MAX_ITEMS', undefined);

    // Act
    const report = await bounded(scheduledEvent('reviewSweep-schedule', 'us-east-1'), context);

    // Assess
    expect(inputsTo(db, QueryCommand, 'review-table')[0]).toMatchObject({ Limit: 1 });
    expect(report.finished).toEqual([flagged.parcelKey]);
  });
});
