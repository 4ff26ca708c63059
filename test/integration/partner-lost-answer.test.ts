import { describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbPartnerSecrets } from '../../functions/adapters/dynamodb-partner-secrets.js';
import { useFaultyStack } from '../support/faulty-stack.js';
import { partnerTool as partner } from '../support/tools.js';

/**
 * The SDK retries a write whose answer was lost; the retry then fails the write's own condition. The
 * partner tool must still report what it stored: a new secret nobody saw would lock the partner out.
 */
describe('npm run partner when the answer to its write is lost', () => {
  const faulty = useFaultyStack();
  const addPartner = (partnerId: string) => partner(['add', partnerId, '--region', 'guangdong']);
  const secretsOf = (partnerId: string) =>
    new DynamoDbPartnerSecrets(faulty.stack.db, faulty.stack.tables.partners).read(partnerId);

  it('rotate prints the new secret it stored and exits 0', async () => {
    // Prepare
    const before = await secretsOf('pearl-express');
    const fault = faulty.faults.inject({
      operation: 'UpdateItem',
      resource: faulty.stack.tables.partners,
      times: 1,
      fault: { kind: 'lose-answer' },
    });

    // Act
    const run = await partner(['rotate', 'pearl-express']);

    // Assess
    expect(fault.injected).toBe(1);
    expect(run.code).toBe(0);
    const after = await secretsOf('pearl-express');
    expect(after!.version).toBe(before!.version + 1);
    expect(after!.secrets.at(-1)!.secret).toBe(run.stdout.trim());
  });

  it('add prints the first secret of the partner it stored and exits 0', async () => {
    // Prepare
    const fault = faulty.faults.inject({
      operation: 'PutItem',
      resource: faulty.stack.tables.partners,
      times: 1,
      fault: { kind: 'lose-answer' },
    });

    // Act
    const run = await addPartner('lost-answer-co');

    // Assess
    expect(fault.injected).toBe(1);
    expect(run.code).toBe(0);
    expect((await secretsOf('lost-answer-co'))!.secrets).toEqual([{ secret: run.stdout.trim() }]);
  });

  it('callback records the URL it replaced, not the one its own retried write finds in place', async () => {
    // Prepare: a URL in place, then a change whose answer is lost (the SDK sends it again)
    expect((await partner(['callback', 'pearl-express', '--url', 'http://127.0.0.1:4999/a'])).code).toBe(0);
    const fault = faulty.faults.inject({
      operation: 'UpdateItem',
      resource: faulty.stack.tables.partners,
      times: 1,
      fault: { kind: 'lose-answer' },
    });

    // Act
    const run = await partner(['callback', 'pearl-express', '--url', 'http://127.0.0.1:4999/b']);

    // Assess: set, and audited as a → b
    expect(fault.injected).toBe(1);
    expect(run.code).toBe(0);
    const entries = (await new DynamoDbAuditLog(faulty.stack.db, faulty.stack.tables.auditLog).readAll()).get(
      'operations',
    );
    expect(entries?.at(-1)).toMatchObject({
      action: 'partner.callback',
      before: { callbackUrl: 'http://127.0.0.1:4999/a' },
      after: { callbackUrl: 'http://127.0.0.1:4999/b' },
    });
  });

  it('add still refuses a partner that was there before it', async () => {
    // Act
    const run = await addPartner('pearl-express');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/already exists: nothing changed/);
    expect(run.stdout).toBe('');
  });
});
