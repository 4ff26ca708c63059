import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbPartnerSecrets } from '../../functions/adapters/dynamodb-partner-secrets.js';
import type { AuditEntry } from '../../functions/core/audit/audit-chain.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { FaultPlan } from '../../functions/local/fault-proxy.js';
import { operationsChainOutage } from '../support/faulty-stack.js';
import { auditTool as audit, partnerTool as partner } from '../support/tools.js';

/**
 * The partner tool's changes in the audit log's operations chain: who, what, on which partner, before
 * and after, never a secret; and a change the audit log fails to record still stands, said so (exit 3).
 * (The redrive tool's run is asserted in redrive.test.ts.)
 */
describe('npm run partner, audited', () => {
  let stack: EmbeddedStack;
  const faults = new FaultPlan();

  const operations = async (): Promise<AuditEntry[]> =>
    (await new DynamoDbAuditLog(stack.db, stack.tables.auditLog).readAll()).get('operations') ?? [];

  beforeAll(async () => {
    stack = await startEmbeddedStack({ faults });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('records an add, a rotation and two callback changes, each once, under the operator who made it', async () => {
    // Act
    const added = await partner(['add', 'audit-cargo', '--region', 'guangdong', '--actor', 'ops.li']);
    const rotated = await partner(['rotate', 'audit-cargo', '--overlap-hours', '2'], { USER: 'ops.wang' });
    const pointed = await partner(['callback', 'audit-cargo', '--url', 'http://127.0.0.1:4999/hook'], {
      USER: 'ops.wang',
    });
    const removed = await partner(['callback', 'audit-cargo', '--none', '--actor', 'ops.li']);
    const verified = await audit(['verify']);

    // Assess
    expect([added.code, rotated.code, pointed.code, removed.code]).toEqual([0, 0, 0, 0]);
    const entries = await operations();
    expect(
      entries.map(({ action, actor, role, target, before, after }) => ({
        action,
        actor,
        role,
        target,
        before,
        after,
      })),
    ).toEqual([
      {
        action: 'partner.add',
        actor: 'ops.li',
        role: 'operator',
        target: 'partner/audit-cargo',
        before: null,
        after: { region: 'guangdong', callbackUrl: null, secrets: 1 },
      },
      {
        action: 'partner.rotate',
        actor: 'ops.wang',
        role: 'operator',
        target: 'partner/audit-cargo',
        before: { liveSecrets: 1 },
        after: { liveSecrets: 2, previousValidUntil: expect.any(String), expiredRemoved: 0 },
      },
      {
        action: 'partner.callback',
        actor: 'ops.wang',
        role: 'operator',
        target: 'partner/audit-cargo',
        before: { callbackUrl: null },
        after: { callbackUrl: 'http://127.0.0.1:4999/hook' },
      },
      {
        action: 'partner.callback',
        actor: 'ops.li',
        role: 'operator',
        target: 'partner/audit-cargo',
        before: { callbackUrl: 'http://127.0.0.1:4999/hook' },
        after: { callbackUrl: null },
      },
    ]);
    // The rotation's end of overlap is the one the tool told the operator
    expect(rotated.stderr).toContain(
      `verify until ${(entries[1]!.after as { previousValidUntil: string }).previousValidUntil}`,
    );
    // No secret, in any form, is in the log
    for (const secret of [added.stdout.trim(), rotated.stdout.trim()]) {
      expect(secret).toMatch(/^whsec_/);
      expect(JSON.stringify(entries)).not.toContain(secret.slice('whsec_'.length, 'whsec_'.length + 16));
    }
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^ok\s+operations: 4 entries/m);
  });

  it('refuses a blank --actor before changing anything (exit 2)', async () => {
    // Act
    const run = await partner(['rotate', 'audit-cargo', '--actor', ' ']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^--actor needs a name: the audit log records who acted$/m);
    expect(run.stdout).toBe('');
    expect((await operations()).filter((entry) => entry.action === 'partner.rotate')).toHaveLength(1);
  });

  it('keeps a rotation the audit log fails to record, prints its secret, and exits 3 saying so', async () => {
    // Prepare: every append to the operations chain fails
    const outage = operationsChainOutage(faults, stack.tables.auditLog);

    // Act
    const run = await partner(['rotate', 'audit-cargo', '--actor', 'ops.li']);
    outage.clear();

    // Assess: the new secret is stored and handed over; the stderr says what stands unrecorded
    expect(run.code).toBe(3);
    const secret = run.stdout.trim();
    const stored = await new DynamoDbPartnerSecrets(stack.db, stack.tables.partners).read('audit-cargo');
    expect(stored?.secrets.map((entry) => entry.secret)).toContain(secret);
    expect(run.stderr).toMatch(
      /^the change stands, but the audit log did not record it \(.+\): tell your auditors of partner\.rotate partner\.rotate:audit-cargo:\S+ by ops\.li$/m,
    );
    expect(outage.injected).toBeGreaterThan(0);
    expect((await operations()).filter((entry) => entry.action === 'partner.rotate')).toHaveLength(1);
  });
});
