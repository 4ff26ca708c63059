import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { inRoleOf } from '../../functions/local/granted-calls.js';
import { getDocumentClient } from '../../functions/platform/clients.js';

/**
 * The embedded stack checks the functions' own SDK clients (functions/platform/clients.ts) against their
 * roles' grants. Here a call made in the statistics function's role, through the client its handler uses,
 * puts a decision it is not granted to write.
 */
describe('the embedded stack playing the functions’ IAM roles', () => {
  it('refuses a call outside the role, and fails as it stops though the caller caught the refusal', async () => {
    // Prepare
    const stack = await startEmbeddedStack();
    const putDecision = inRoleOf('statistics', () =>
      getDocumentClient().send(new PutCommand({ TableName: stack.tables.decisions, Item: { pk: 'x' } })),
    );

    // Act
    const refusal = await putDecision().catch((error: unknown) => error);
    const calls = stack.awsCalls();
    const stopped = await stack.stop().catch((error: unknown) => error);

    // Assess
    expect(refusal).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect(calls).toEqual([
      { function: 'statistics', grant: 'dynamodb:PutItem decisions', count: 1, granted: false },
    ]);
    expect((stopped as Error).message).toBe(
      'the functions made AWS calls outside their IAM grants (infra/grants.ts), refused: statistics dynamodb:PutItem decisions ×1',
    );
  });
});
