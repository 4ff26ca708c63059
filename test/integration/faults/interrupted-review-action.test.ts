import { describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbPartyHistory } from '../../../functions/adapters/dynamodb-party-history.js';
import { DynamoDbReviewQueue } from '../../../functions/adapters/dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from '../../../functions/adapters/dynamodb-rule-statistics.js';
import { makeVerifyAuditLog } from '../../../functions/audit/verify-audit-log.js';
import type { SweepReport } from '../../../functions/review/sweep-pending.js';
import { scanAll } from '../../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../../support/factories.js';
import { useFaultyStack } from '../../support/faulty-stack.js';
import { asStaff, tokenFor } from '../../support/staff.js';

const PARCEL = 'SWF7781000123';
const PARCEL_KEY = `southwest-freight#${PARCEL}`;
const PARCEL_PATH = `/v1/inspections/southwest-freight/${PARCEL}`;
const SEIZURE = {
  outcome: 'seized',
  seizure: { substance: 'heroin', quantity: { amount: 46, unit: 'kg' }, concealment: 'carved table legs' },
};

/**
 * An officer's outcome is stored, then the request dies before its audit entry and feedback are
 * written, and nobody acts on the parcel again: the scheduled review sweep finishes what it owed.
 */
describe('a staff action interrupted after it was stored', () => {
  // No grace: the sweep may finish an action the moment it is interrupted.
  const env = useFaultyStack({ env: { PENDING_GRACE_SECONDS: '0' } });
  const { faults } = env;

  const auditActions = async () =>
    (await scanAll(env.stack.db, env.stack.tables.auditLog))
      .filter((entry) => entry.target === PARCEL_KEY)
      .map((entry) => entry.action);
  const pendingIndex = async () =>
    (await scanAll(env.stack.db, env.stack.tables.reviewQueue)).filter((item) => item.pendingQueue);

  it('is finished by the sweep: audited once, fed to history and statistics, and no longer pending', async () => {
    // Prepare: a flagged parcel, claimed; the audit log stops answering while the outcome is recorded
    await env.post(readSample(RUILI_MANIFEST));
    await env.stack.waitForIdle();
    const officer = await tokenFor('officer', 'wuzhou');
    expect((await asStaff(env.stack.apiUrl, officer, 'POST', `${PARCEL_PATH}/claim`)).status).toBe(200);
    const outage = faults.inject({
      operation: 'PutItem',
      resource: env.stack.tables.auditLog,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'drop' },
    });
    const interrupted = await asStaff(env.stack.apiUrl, officer, 'POST', `${PARCEL_PATH}/outcome`, SEIZURE);
    outage.clear();
    const queue = new DynamoDbReviewQueue(env.stack.db, env.stack.tables.reviewQueue);
    const stranded = await queue.get(PARCEL_KEY);
    const history = new DynamoDbPartyHistory(env.stack.db, env.stack.tables.partyHistory);
    const consignee = async () =>
      (await history.summarize([stranded!.partyKeys], stranded!.region, new Date().toISOString()))[0]!
        .consignee;
    const seizuresBefore = (await consignee()).seizures;

    // Act
    const swept = (await env.stack.runScheduled('reviewSweep')) as SweepReport;
    const sweptAgain = (await env.stack.runScheduled('reviewSweep')) as SweepReport;

    // Assess: the officer was told it failed, but the outcome was stored with what it still owed
    expect(outage.injected).toBeGreaterThan(0);
    expect(interrupted.status).toBe(503);
    expect(interrupted.contentType).toBe('application/problem+json');
    expect(stranded).toMatchObject({ status: 'closed', pending: { audit: { action: 'outcome' } } });
    expect(seizuresBefore).toBe(0);
    // Assess: the sweep finished it, once
    expect(swept).toEqual({ finished: [PARCEL_KEY], failed: [], more: false });
    expect(sweptAgain).toEqual({ finished: [], failed: [], more: false });
    expect((await queue.get(PARCEL_KEY))?.pending).toBeUndefined();
    expect(await pendingIndex()).toEqual([]);
    expect(await auditActions()).toEqual(['claim', 'outcome']);
    expect(
      (await makeVerifyAuditLog(new DynamoDbAuditLog(env.stack.db, env.stack.tables.auditLog))()).ok,
    ).toBe(true);
    expect(await consignee()).toMatchObject({ seizures: 1, inspections: 1 });
    const statistics = await new DynamoDbRuleStatistics(env.stack.db, env.stack.tables.ruleStatistics).read();
    // Counters are kept per day and shard: summed per rule, each fired rule has one seizure.
    for (const { ruleId } of stranded!.firedRules) {
      const counters = statistics.filter((rule) => rule.ruleId === ruleId);
      expect(counters.reduce((sum, rule) => sum + rule.inspections, 0)).toBe(1);
      expect(counters.reduce((sum, rule) => sum + rule.seizures, 0)).toBe(1);
    }
  });

  it('fails the run and leaves the parcel pending while the effects still cannot be written, then finishes it', async () => {
    // Prepare: a correction is stored, its audit entry cannot be written, by the request nor the sweep
    const outage = faults.inject({
      operation: 'PutItem',
      resource: env.stack.tables.auditLog,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'drop' },
    });
    const corrected = await asStaff(
      env.stack.apiUrl,
      await tokenFor('admin'),
      'POST',
      `${PARCEL_PATH}/correction`,
      {
        finding: { outcome: 'cleared' },
        reason: 'lab found no controlled substance',
      },
    );

    // Act
    const failedRun = env.stack.runScheduled('reviewSweep');
    await expect(failedRun).rejects.toThrow(/1 parcel\(s\) still owe the effects of a staff action/);
    const stillPending = await pendingIndex();
    outage.clear();
    const swept = (await env.stack.runScheduled('reviewSweep')) as SweepReport;

    // Assess
    expect(corrected.status).toBe(503);
    expect(stillPending.map((item) => item.pk)).toEqual([PARCEL_KEY]);
    expect(swept.finished).toEqual([PARCEL_KEY]);
    expect(await auditActions()).toEqual(['claim', 'outcome', 'correction']);
    expect(await pendingIndex()).toEqual([]);
  });
});
