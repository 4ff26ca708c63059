import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEffects } from '../../functions/local/effects-check.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';

describe('the effects check of the load test', () => {
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await startEmbeddedStack({});
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reports a rule counter in a region that screened no parcel, as hits that should not be', async () => {
    // Prepare: nothing screened, yet a hit counted under guangdong
    await stack.db.send(
      new UpdateCommand({
        TableName: stack.tables.ruleStatistics,
        Key: { ruleId: 'new-consignee', counter: 'guangdong#2026-11-28#1' },
        UpdateExpression: 'ADD hits :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );

    // Act
    const report = await checkEffects(stack);

    // Assess
    expect(report.ruleHits).toEqual([
      { key: 'guangdong#2026-11-28#1 of new-consignee', counter: 'hits', expected: 0, actual: 1 },
    ]);
  });
});
