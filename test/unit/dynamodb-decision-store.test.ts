import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbDecisionStore } from '../../functions/adapters/dynamodb-decision-store.js';
import { ConflictError } from '../../functions/platform/errors.js';
import type { DecisionRecord } from '../../functions/ports/decision-store.js';
import { awsError } from '../support/aws-mocks.js';

const DECISION = {
  parcelKey: 'pearl-express#P-1',
  partnerId: 'pearl-express',
  manifestId: 'M-1',
  parcelId: 'P-1',
  decidedAt: '2026-11-29T08:00:00.000Z',
} as DecisionRecord;

describe('DynamoDbDecisionStore.createOrGet', () => {
  it('fails, never answering the decision it could not store, when the one its put met is gone before it is read', async () => {
    // Prepare: the put meets a decision a concurrent screening (or TTL) removes before the read
    const db = {
      send: async (command: unknown) => {
        if (command instanceof PutCommand) {
          throw awsError('ConditionalCheckFailedException', 'The conditional request failed');
        }
        if (command instanceof BatchGetCommand) return { Responses: { decisions: [] } };
        throw new Error('unexpected command');
      },
    };
    const store = new DynamoDbDecisionStore(db as never, 'decisions');

    // Act / Assess: never the decision it failed to store, as if it were recorded
    await expect(store.createOrGet(DECISION, '2026-11-29T07:59:00.000Z')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('DynamoDbDecisionStore.lanesOf', () => {
  it('reads only the lane, referral id and what tells the delivery apart, never the facts, and answers those', async () => {
    // Prepare: the table answers whatever it is asked for
    const requests: BatchGetCommand['input'][] = [];
    const stored = {
      pk: 'pearl-express#P-1',
      lane: 'hold',
      referralId: 'ref_1',
      manifestId: 'M-1',
      receivedAt: '2026-11-29T07:59:00.000Z',
      decidedAt: '2026-11-29T08:00:00.000Z',
    };
    const db = {
      send: async (command: unknown) => {
        if (!(command instanceof BatchGetCommand)) throw new Error('unexpected command');
        requests.push(command.input);
        return { Responses: { decisions: [stored] } };
      },
    };
    const store = new DynamoDbDecisionStore(db as never, 'decisions');

    // Act
    const lanes = await store.lanesOf(['pearl-express#P-1'], {
      manifestId: 'M-1',
      receivedAt: '2026-11-29T07:59:00.000Z',
      at: '2026-11-29T09:00:00.000Z',
    });

    // Assess
    const { ProjectionExpression, ExpressionAttributeNames } = requests[0]!.RequestItems!.decisions!;
    const read = ProjectionExpression!.split(', ').map((name) => ExpressionAttributeNames![name]);
    expect(read.sort()).toEqual(
      ['decidedAt', 'expiresAt', 'lane', 'manifestId', 'pk', 'receivedAt', 'referralId'].sort(),
    );
    expect(lanes).toEqual(
      new Map([['pearl-express#P-1', { lane: 'hold', referralId: 'ref_1', manifestId: 'M-1' }]]),
    );
  });
});
