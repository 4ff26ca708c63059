import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { inRoleOf } from '../../functions/local/granted-calls.js';
import { getDocumentClient } from '../../functions/platform/clients.js';
import { TOOLS } from '../../infra/definitions.js';
import { runTool } from '../support/cli.js';
import { REFUSED_CALL_EXIT } from '../support/tool-grant-check.js';

/**
 * The embedded stack checks the functions' own SDK clients (functions/platform/clients.ts) against their
 * roles' grants, and the tests run the operator tools under their policies' grants. Here each is made to
 * reach a table its grants do not name.
 */
describe('the functions’ IAM roles and the tools’ policies, played locally', () => {
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await startEmbeddedStack();
  });

  it.each([
    [
      'partner',
      'the audit log for its partners',
      ['rotate', 'pearl-express'],
      { PARTNERS_TABLE: 'auditLog' },
      'auditLog',
    ],
    [
      'rules',
      'the parcels for its decisions, the command after an option',
      ['--since', '2026-11-01', 'backtest', 'rules/default'],
      { DECISIONS_TABLE: 'parcels', PARTY_KEY_SALT: 'local-development-salt-not-for-production' },
      'parcels/index/byDecidedMonth',
    ],
  ] as const)(
    'refuses the %s tool a table outside its policy (%s), and it exits 70 naming the call',
    async (tool, _, args, pointed, refused) => {
      // Prepare: a setting pointed at another table of the stack
      const env = Object.fromEntries(
        Object.entries(pointed).map(([variable, table]) => [
          variable,
          table in stack.tables ? stack.tables[table as keyof typeof stack.tables] : table,
        ]),
      );

      // Act
      const run = await runTool(TOOLS[tool].entry, [...args], env);

      // Assess
      expect(run.code).toBe(REFUSED_CALL_EXIT);
      expect(run.stderr).toContain(`${tool} is not granted dynamodb:`);
      expect(run.stderr).toMatch(
        new RegExp(
          `^AWS calls were made outside their IAM grants \\(infra/grants\\.ts\\), refused: ${tool} dynamodb:\\w+ ${refused} ×1$`,
          'm',
        ),
      );
    },
  );

  it('refuses a function a call outside its role, and fails as it stops though the caller caught the refusal', async () => {
    // Prepare: the statistics function's role, through the client its handler uses
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
      { role: 'statistics', grant: 'dynamodb:PutItem decisions', count: 1, granted: false },
    ]);
    expect((stopped as Error).message).toBe(
      'AWS calls were made outside their IAM grants (infra/grants.ts), refused: statistics dynamodb:PutItem decisions ×1',
    );
  });
});
