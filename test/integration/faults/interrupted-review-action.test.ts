import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbPartyHistory } from '../../../functions/adapters/dynamodb-party-history.js';
import { DynamoDbReviewQueue } from '../../../functions/adapters/dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from '../../../functions/adapters/dynamodb-rule-statistics.js';
import { loadSharingAgreements } from '../../../functions/adapters/file-sharing-agreements.js';
import { makeVerifyAuditLog } from '../../../functions/audit/verify-audit-log.js';
import { REPO_ROOT } from '../../../functions/local/embedded-stack.js';
import type { ReviewItem } from '../../../functions/ports/review-queue.js';
import type { SweepReport } from '../../../functions/review-sweep/sweep-pending.js';
import { InMemoryAuditAnchors } from '../../support/audit-anchors.js';
import { expectEffectivelyOnce } from '../../support/effects.js';
import { scanAll } from '../../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../../support/factories.js';
import { useFaultyStack } from '../../support/faulty-stack.js';
import { asStaff, tokenFor } from '../../support/staff.js';

const SEIZURE = {
  outcome: 'seized',
  seizure: { substance: 'heroin', quantity: { amount: 46, unit: 'kg' }, concealment: 'carved table legs' },
};

/**
 * A staff action is stored, then its request fails before the audit entry and feedback are written,
 * and nobody acts on the parcel again: the scheduled review sweep finishes what it owed.
 */
describe('a staff action interrupted after it was stored', () => {
  // No grace: the sweep may finish an action the moment it is interrupted.
  const env = useFaultyStack({ env: { PENDING_GRACE_SECONDS: '0' } });
  const { faults } = env;

  beforeAll(async () => {
    await env.post(readSample(RUILI_MANIFEST));
    await env.stack.waitForIdle();
  });

  const pathOf = (parcelId: string) => `/v1/inspections/southwest-freight/${parcelId}`;
  const keyOf = (parcelId: string) => `southwest-freight#${parcelId}`;
  const queue = () => new DynamoDbReviewQueue(env.stack.db, env.stack.tables.reviewQueue);
  const history = () =>
    new DynamoDbPartyHistory(
      env.stack.db,
      env.stack.tables.partyHistory,
      loadSharingAgreements(`${REPO_ROOT}/rules/sharing/agreements.yaml`),
    );
  const auditActions = async (parcelId: string) =>
    (await scanAll(env.stack.db, env.stack.tables.auditLog))
      .filter((entry) => entry.target === keyOf(parcelId))
      .map((entry) => entry.action);
  const pendingIndex = async () =>
    (await scanAll(env.stack.db, env.stack.tables.reviewQueue))
      .filter((item) => item.pendingQueue !== undefined)
      .map((item) => item.pk);
  const consignee = async (item: ReviewItem, region = item.region) =>
    (await history().summarize([item.partyKeys], region, new Date().toISOString()))[0]!;
  /** Per fired rule, summed over days and shards. */
  const ruleCounters = async (item: ReviewItem) => {
    const statistics = await new DynamoDbRuleStatistics(env.stack.db, env.stack.tables.ruleStatistics).read(
      item.region,
    );
    return item.firedRules.map(({ ruleId }) => {
      const counters = statistics.filter((rule) => rule.ruleId === ruleId);
      return {
        ruleId,
        inspections: counters.reduce((sum, rule) => sum + rule.inspections, 0),
        seizures: counters.reduce((sum, rule) => sum + rule.seizures, 0),
      };
    });
  };
  /** The audit log refuses every write until the outage is cleared. */
  const auditOutage = () =>
    faults.inject({
      operation: 'PutItem',
      resource: env.stack.tables.auditLog,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'drop' },
    });

  it('is finished by the sweep: audited once, fed to history and statistics, and no longer pending', async () => {
    // Prepare: a flagged parcel, claimed; the audit log stops answering while the outcome is recorded
    const parcelId = 'SWF7781000123';
    const officer = await tokenFor('officer', 'wuzhou');
    expect((await asStaff(env.stack.apiUrl, officer, 'POST', `${pathOf(parcelId)}/claim`)).status).toBe(200);
    const outage = auditOutage();
    const interrupted = await asStaff(
      env.stack.apiUrl,
      officer,
      'POST',
      `${pathOf(parcelId)}/outcome`,
      SEIZURE,
    );
    outage.clear();
    const stranded = (await queue().get(keyOf(parcelId)))!;
    const seizuresBefore = (await consignee(stranded)).consignee.seizures;

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
    expect(swept).toEqual({ finished: [keyOf(parcelId)], busy: [], failed: [], more: false });
    expect(sweptAgain).toEqual({ finished: [], busy: [], failed: [], more: false });
    expect((await queue().get(keyOf(parcelId)))?.pending).toBeUndefined();
    expect(await pendingIndex()).toEqual([]);
    expect(await auditActions(parcelId)).toEqual(['claim', 'outcome']);
    const verified = await makeVerifyAuditLog(
      new DynamoDbAuditLog(env.stack.db, env.stack.tables.auditLog),
      new InMemoryAuditAnchors(),
    )();
    expect(verified.ok).toBe(true);
    expect((await consignee(stranded)).consignee).toMatchObject({ seizures: 1, inspections: 1 });
    for (const counters of await ruleCounters(stranded)) {
      expect(counters).toMatchObject({ inspections: 1, seizures: 1 });
    }
    await expectEffectivelyOnce(env.stack, env.accepted);
  });

  it('fails the run and leaves the parcel pending while its effects cannot be written, then finishes it', async () => {
    // Prepare: a seizure recorded normally, then an admin's correction to cleared is stored but
    // its audit entry can be written neither by the request nor by the sweep
    const parcelId = 'SWF7781000124';
    const officer = await tokenFor('officer', 'guangzhou');
    expect((await asStaff(env.stack.apiUrl, officer, 'POST', `${pathOf(parcelId)}/claim`)).status).toBe(200);
    const seized = await asStaff(env.stack.apiUrl, officer, 'POST', `${pathOf(parcelId)}/outcome`, SEIZURE);
    const item = (await queue().get(keyOf(parcelId)))!;
    // Screened and inspected in guangdong (its office's region), the seizure is shared with yunnan-guangxi.
    const sharedBefore = (await consignee(item, 'yunnan-guangxi')).sharedSeizures;
    const countersBefore = await ruleCounters(item);
    const outage = auditOutage();
    const corrected = await asStaff(
      env.stack.apiUrl,
      await tokenFor('admin'),
      'POST',
      `${pathOf(parcelId)}/correction`,
      {
        finding: { outcome: 'cleared' },
        reason: 'lab found no controlled substance',
        corrections: 0,
      },
    );

    // Act
    const failedRun = env.stack.runScheduled('reviewSweep');
    await expect(failedRun).rejects.toThrow(/1 parcel\(s\) still owe the effects of a staff action/);
    const stillPending = await pendingIndex();
    outage.clear();
    const swept = (await env.stack.runScheduled('reviewSweep')) as SweepReport;

    // Assess: the correction's effects are all done, once: the seizure is withdrawn everywhere
    expect(seized.status).toBe(200);
    expect(sharedBefore).toBe(1);
    expect(corrected.status).toBe(503);
    expect(stillPending).toEqual([keyOf(parcelId)]);
    expect(swept.finished).toEqual([keyOf(parcelId)]);
    expect(await pendingIndex()).toEqual([]);
    expect(await auditActions(parcelId)).toEqual(['claim', 'outcome', 'correction']);
    expect((await consignee(item)).consignee).toMatchObject({ seizures: 0, inspections: 1 });
    expect(item.region).toBe('guangdong');
    expect((await consignee(item, 'yunnan-guangxi')).sharedSeizures).toBe(0);
    // The rules' counters also hold the other parcel's seizure: this one's is taken out, once.
    expect(await ruleCounters(item)).toEqual(
      countersBefore.map((counters) => ({ ...counters, seizures: counters.seizures - 1 })),
    );
    await expectEffectivelyOnce(env.stack, env.accepted);
  });
});
