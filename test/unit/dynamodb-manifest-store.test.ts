import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbManifestStore } from '../../functions/adapters/dynamodb-manifest-store.js';
import { DeliveryInProgressError } from '../../functions/platform/errors.js';
import type { ManifestRecord } from '../../functions/ports/manifest-store.js';
import { awsError } from '../support/aws-mocks.js';

const RECORD: ManifestRecord = {
  partnerId: 'pearl-express',
  manifestId: 'M-1',
  region: 'yunnan-guangxi',
  bodyHash: 'h1',
  webhookId: 'msg_1',
  receivedAt: '2026-11-29T08:00:00.000Z',
  parcelIds: ['P0'],
  status: 'received',
};

describe('DynamoDbManifestStore.createOrGet', () => {
  /** A table whose conditional puts fail `conflicts` times, the record they met gone when read. */
  const vanishing = (conflicts: number) => {
    const calls: string[] = [];
    const db = {
      send: async (command: unknown) => {
        if (command instanceof PutCommand) {
          calls.push('put');
          if (calls.filter((call) => call === 'put').length <= conflicts)
            throw awsError('ConditionalCheckFailedException', 'The conditional request failed');
          return {};
        }
        if (command instanceof GetCommand) {
          calls.push('get');
          return {};
        }
        throw new Error('unexpected command');
      },
    };
    return { store: new DynamoDbManifestStore(db as never, 'manifests'), calls };
  };

  it('stores the manifest when the record its put met is gone before it is read (a tombstone replaced)', async () => {
    // Prepare
    const { store, calls } = vanishing(1);

    // Act
    const stored = await store.createOrGet(RECORD);

    // Assess
    expect(stored).toEqual({ created: true });
    expect(calls).toEqual(['put', 'get', 'put']);
  });

  it('asks for the manifest again as a delivery in progress (503, not an outage), not 409, when it vanishes twice', async () => {
    // Prepare
    const { store, calls } = vanishing(2);

    // Act
    const refusal = await store.createOrGet(RECORD).catch((error) => error);

    // Assess
    expect(refusal).toBeInstanceOf(DeliveryInProgressError);
    expect(refusal).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
    expect(refusal.message).toBe(
      'another delivery of manifest M-1 is being handled at this moment; send it again after retry-after',
    );
    expect(calls).toEqual(['put', 'get', 'put', 'get']);
  });
});
