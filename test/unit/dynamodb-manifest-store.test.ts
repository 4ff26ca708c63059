import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbManifestStore } from '../../functions/adapters/dynamodb-manifest-store.js';
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
  it('asks for the manifest again (503), not 409, when the record it met is gone before it is read', async () => {
    // Prepare: the put meets a record (a tombstone) that a concurrent delivery removes before the read
    const db = {
      send: async (command: unknown) => {
        if (command instanceof PutCommand) {
          throw awsError('ConditionalCheckFailedException', 'The conditional request failed');
        }
        if (command instanceof GetCommand) return {};
        throw new Error('unexpected command');
      },
    };
    const store = new DynamoDbManifestStore(db as never, 'manifests');
    // Act / Assess
    await expect(store.createOrGet(RECORD)).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retryable: true,
    });
  });
});
