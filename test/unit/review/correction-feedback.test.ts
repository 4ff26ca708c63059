import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryPartyHistory } from '../../../functions/adapters/in-memory-party-history.js';
import { buildOfficeTree } from '../../../functions/core/access/offices.js';
import type { Actor, StaffPrincipal } from '../../../functions/core/access/roles.js';
import type { AuditDraft, AuditEntry } from '../../../functions/core/audit/audit-chain.js';
import type { PartyKeys } from '../../../functions/core/parties/party-keys.js';
import type { Finding } from '../../../functions/core/review/outcome.js';
import type { RuleCounters } from '../../../functions/core/statistics/rule-statistics.js';
import { ConflictError } from '../../../functions/platform/errors.js';
import type { AuditLog } from '../../../functions/ports/audit-log.js';
import type { DecisionRecord, DecisionStore } from '../../../functions/ports/decision-store.js';
import type {
  OutcomeCorrectionObservation,
  OutcomeObservation,
} from '../../../functions/ports/party-history.js';
import type {
  PendingPage,
  ReviewItem,
  ReviewPage,
  ReviewQueue,
} from '../../../functions/ports/review-queue.js';
import type { RuleHits, RuleStatistics } from '../../../functions/ports/rule-statistics.js';
import {
  makeClaimParcel,
  makeCorrectOutcome,
  makeRecordOutcome,
} from '../../../functions/review/case-actions.js';
import { FINISH_CLAIM_MS } from '../../../functions/review/finish-pending.js';
import type { ReviewDeps } from '../../../functions/review/review-deps.js';
import { aFlaggedItem } from '../../support/factories.js';
import { partyKeys, SHARING_WITH_GUANGDONG } from '../../support/party-history-contract.js';

/**
 * The correction use case feeds party history the way an outcome does, through the pending work kept
 * on the review item: an interrupted correction is finished by the next action on the parcel.
 */

const PARCEL_KEY = 'southwest-freight#SWF7781000123';
const REGION = 'yunnan-guangxi';
const KEYS: PartyKeys = partyKeys({ consignee: 'smuggler', address: 'drop' });
const SEIZED: Finding = {
  outcome: 'seized',
  seizure: {
    substance: 'methamphetamine',
    quantity: { amount: 2.4, unit: 'kg' },
    concealment: 'hollowed furniture panel',
  },
};

class FakeReviewQueue implements ReviewQueue {
  item: ReviewItem | undefined;

  async enqueue(item: ReviewItem): Promise<void> {
    this.item ??= item;
  }

  async list(): Promise<ReviewPage> {
    return { items: this.item ? [this.item] : [] };
  }

  async get(parcelKey: string): Promise<ReviewItem | undefined> {
    return this.item?.parcelKey === parcelKey ? structuredClone(this.item) : undefined;
  }

  async save(item: ReviewItem, expectedVersion: number): Promise<ReviewItem> {
    if ((this.item?.version ?? 0) !== expectedVersion || this.item?.pending) {
      throw new ConflictError('changed');
    }
    this.item = { ...structuredClone(item), version: expectedVersion + 1 };
    return structuredClone(this.item);
  }

  async claimPending(
    parcelKey: string,
    actionId: string,
    claim: { finisher: string; now: string; until: string },
  ): Promise<boolean> {
    const pending = this.item?.parcelKey === parcelKey ? this.item.pending : undefined;
    if (pending?.actionId !== actionId) return false;
    if (pending.finisher !== undefined && pending.finishUntil! >= claim.now) return false;
    this.item = {
      ...this.item!,
      pending: { ...pending, finisher: claim.finisher, finishUntil: claim.until },
    };
    return true;
  }

  async releasePending(parcelKey: string, actionId: string, finisher: string): Promise<void> {
    const pending = this.item?.parcelKey === parcelKey ? this.item.pending : undefined;
    if (pending?.actionId !== actionId || pending.finisher !== finisher) return;
    const { finisher: _f, finishUntil: _u, ...released } = pending;
    this.item = { ...this.item!, pending: released };
  }

  async clearPending(parcelKey: string, actionId: string, finisher: string): Promise<void> {
    const pending = this.item?.parcelKey === parcelKey ? this.item.pending : undefined;
    if (pending?.actionId !== actionId || pending.finisher !== finisher) return;
    const { pending: _done, ...rest } = this.item!;
    this.item = rest;
  }

  async listPending(before: string): Promise<PendingPage> {
    const pending = this.item?.pending !== undefined && this.item.pending.audit.at < before;
    return { parcelKeys: pending ? [this.item!.parcelKey] : [] };
  }
}

class FakeAuditLog implements AuditLog {
  readonly actions: string[] = [];

  async appendOnce(draft: AuditDraft): Promise<AuditEntry> {
    if (!this.actions.includes(draft.actionId)) this.actions.push(draft.actionId);
    return { ...draft, seq: this.actions.indexOf(draft.actionId) + 1, prevHash: '', hash: '' };
  }

  async readAll(): Promise<Map<string, AuditEntry[]>> {
    return new Map();
  }
}

class UnusedDecisions implements DecisionStore {
  async getMany(): Promise<Map<string, DecisionRecord>> {
    throw new Error('not used by case actions');
  }
  async createOrGet(): Promise<DecisionRecord> {
    throw new Error('not used by case actions');
  }
  async markEffectsDone(): Promise<void> {
    throw new Error('not used by case actions');
  }
}

class FakeRuleStatistics implements RuleStatistics {
  async recordHits(_hits: RuleHits[]): Promise<void> {}
  async recordOutcome(): Promise<void> {}
  async correctOutcome(): Promise<void> {}
  async read(): Promise<RuleCounters[]> {
    return [];
  }
}

/** The party history, failing the next correction once, as a crash between two steps would. */
class InterruptibleHistory extends InMemoryPartyHistory {
  failNextCorrection = false;

  failNextOutcome = false;

  override async recordOutcome(outcomes: OutcomeObservation[]): Promise<void> {
    if (this.failNextOutcome) {
      this.failNextOutcome = false;
      throw new Error('interrupted');
    }
    await super.recordOutcome(outcomes);
  }

  override async correctOutcome(corrections: OutcomeCorrectionObservation[]): Promise<void> {
    if (this.failNextCorrection) {
      this.failNextCorrection = false;
      throw new Error('interrupted');
    }
    await super.correctOutcome(corrections);
  }
}

const principal = (subject: string, role: Actor['role']): { principal: StaffPrincipal; actor: Actor } => ({
  principal: { subject, username: subject, roles: [role], offices: ['yunnan-guangxi'] },
  actor: { subject, username: subject, role },
});
/** The parcel as screening queued it for review. */
const flagged = (): ReviewItem => aFlaggedItem('SWF7781000123', KEYS);

const OFFICER = principal('wuzhou', 'officer');
const ADMIN = principal('admin', 'admin');

describe('outcome correction feedback to party history', () => {
  let history: InterruptibleHistory;
  let queue: FakeReviewQueue;
  let deps: ReviewDeps;
  let now: Date;

  const context = (who: typeof OFFICER, requestId: string) => ({ ...who, parcelKey: PARCEL_KEY, requestId });
  const consigneeAs = async (region: string) => {
    const [facts] = await history.summarize([KEYS], region, '2026-11-30T00:00:00.000Z');
    return facts!;
  };

  beforeEach(async () => {
    history = new InterruptibleHistory(SHARING_WITH_GUANGDONG);
    queue = new FakeReviewQueue();
    now = new Date('2026-11-28T09:00:00.000Z');
    deps = {
      reviewQueue: queue,
      decisions: new UnusedDecisions(),
      history,
      ruleStatistics: new FakeRuleStatistics(),
      auditLog: new FakeAuditLog(),
      offices: buildOfficeTree(
        {
          version: 't',
          offices: [
            {
              id: 'yunnan-guangxi',
              kind: 'region',
              name: 'r',
              children: [
                {
                  id: 'wuzhou',
                  kind: 'city',
                  name: 'c',
                  children: [{ id: 'wuzhou-customs', kind: 'county-office', name: 'w' }],
                },
              ],
            },
          ],
        },
        'test',
      ),
      clock: { now: () => now },
      leaseMinutes: 20,
      pageSize: 20,
    };
    await queue.enqueue(flagged());
    await makeClaimParcel(deps)(context(OFFICER, 'r1'));
    await makeRecordOutcome(deps)(context(OFFICER, 'r2'), SEIZED);
    now = new Date('2026-11-28T10:00:00.000Z');
  });

  it('takes a seizure corrected to cleared out of the party history and out of shared intelligence', async () => {
    // Prepare
    const seizedBefore = await consigneeAs(REGION);
    const sharedBefore = (await consigneeAs('guangdong')).sharedSeizures;

    // Act
    await makeCorrectOutcome(deps)(context(ADMIN, 'r3'), { outcome: 'cleared' }, 'lab found nothing', 0);

    // Assess
    const after = await consigneeAs(REGION);
    expect(seizedBefore.consignee).toMatchObject({ inspections: 1, seizures: 1 });
    expect(sharedBefore).toBe(1);
    expect(after.consignee).toMatchObject({ inspections: 1, seizures: 0, lastSeizureAt: null });
    expect(after.phone).toMatchObject({ inspections: 1, seizures: 0 });
    expect((await consigneeAs('guangdong')).sharedSeizures).toBe(0);
  });

  it('finishes an interrupted correction on the next action on the parcel, once', async () => {
    // Prepare
    history.failNextCorrection = true;
    await expect(
      makeCorrectOutcome(deps)(context(ADMIN, 'r3'), { outcome: 'cleared' }, 'lab found nothing', 0),
    ).rejects.toThrow('interrupted');
    const interrupted = await consigneeAs(REGION);

    // Act: the next action finishes what the correction owed, then is refused on its own merits
    await expect(makeClaimParcel(deps)(context(OFFICER, 'r4'))).rejects.toThrow(ConflictError);

    // Assess
    expect(interrupted.consignee.seizures).toBe(1);
    expect((await consigneeAs(REGION)).consignee).toMatchObject({ inspections: 1, seizures: 0 });
    expect((await consigneeAs('guangdong')).sharedSeizures).toBe(0);
    expect(queue.item?.pending).toBeUndefined();
    expect(queue.item?.outcome?.finding.outcome).toBe('cleared');
  });

  it('answers an officer retrying an interrupted outcome with the recorded case, recording it once', async () => {
    // Prepare: a fresh case, claimed; recording its outcome is interrupted after it was stored
    queue.item = undefined;
    await queue.enqueue(flagged());
    await makeClaimParcel(deps)(context(OFFICER, 'r5'));
    history.failNextOutcome = true;
    const record = () => makeRecordOutcome(deps)(context(OFFICER, 'r6'), SEIZED);
    await expect(record()).rejects.toThrow('interrupted');

    // Act
    const retried = await record();

    // Assess
    const stored = await queue.get(PARCEL_KEY);
    expect(retried.outcome).toMatchObject({ outcome: 'seized', seizure: SEIZED.seizure });
    expect(stored?.pending).toBeUndefined();
    expect(stored?.version).toBe(2);
  });

  /** A correction whose effects are owed and claimed by another finisher (the sweep) until `until`. */
  const correctionHeldBySweep = async () => {
    history.failNextCorrection = true;
    await expect(
      makeCorrectOutcome(deps)(context(ADMIN, 'r3'), { outcome: 'cleared' }, 'lab found nothing', 0),
    ).rejects.toThrow('interrupted');
    const { actionId } = queue.item!.pending!;
    const until = new Date(now.getTime() + FINISH_CLAIM_MS).toISOString();
    expect(
      await queue.claimPending(PARCEL_KEY, actionId, { finisher: 'sweep', now: now.toISOString(), until }),
    ).toBe(true);
    return { actionId, until };
  };

  it('waits while another finisher holds the previous action, then takes the next one', async () => {
    // Prepare: the sweep gives the correction back (it failed) only before the request's last try
    const { actionId } = await correctionHeldBySweep();
    setTimeout(() => void queue.releasePending(PARCEL_KEY, actionId, 'sweep'), 1_000);

    // Act: an admin corrects again, to seized
    const corrected = await makeCorrectOutcome(deps)(context(ADMIN, 'r4'), SEIZED, 'second lab confirmed', 1);

    // Assess: the held correction was finished first, then this one
    expect(corrected.outcome).toMatchObject({ outcome: 'seized' });
    expect(queue.item?.corrections).toHaveLength(2);
    expect(queue.item?.pending).toBeUndefined();
    expect((await consigneeAs(REGION)).consignee).toMatchObject({ inspections: 1, seizures: 1 });
  });

  it('answers 409 with when to come back while another finisher holds the previous action throughout', async () => {
    // Prepare
    const { until } = await correctionHeldBySweep();

    // Act
    const refused = makeCorrectOutcome(deps)(context(ADMIN, 'r4'), SEIZED, 'second lab confirmed', 1);

    // Assess
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toMatchObject({ details: { finishingUntil: until } });
    expect(queue.item?.pending?.finisher).toBe('sweep');
    expect(queue.item?.corrections).toHaveLength(1);
  });

  it('answers a retried correction as done, once what it owed is finished, and records it once', async () => {
    // Prepare
    history.failNextCorrection = true;
    const correct = () =>
      makeCorrectOutcome(deps)(context(ADMIN, 'r3'), { outcome: 'cleared' }, 'lab found nothing', 0);
    await expect(correct()).rejects.toThrow('interrupted');

    // Act
    const retried = await correct();

    // Assess
    expect(retried.outcome).toMatchObject({ outcome: 'cleared' });
    expect(queue.item?.corrections).toHaveLength(1);
    expect(queue.item?.pending).toBeUndefined();
    expect((await consigneeAs(REGION)).consignee).toMatchObject({ inspections: 1, seizures: 0 });
  });

  it('counts an outcome corrected to seized again as one seizure for the consignee', async () => {
    // Prepare
    await makeCorrectOutcome(deps)(context(ADMIN, 'r3'), { outcome: 'cleared' }, 'lab found nothing', 0);
    now = new Date('2026-11-28T11:00:00.000Z');

    // Act
    await makeCorrectOutcome(deps)(context(ADMIN, 'r4'), SEIZED, 'second lab confirmed', 1);

    // Assess
    const after = await consigneeAs(REGION);
    expect(after.consignee).toMatchObject({
      inspections: 1,
      seizures: 1,
      lastSeizureAt: '2026-11-28T09:00:00.000Z',
    });
    expect(after.address.seizures).toBe(1);
    expect((await consigneeAs('guangdong')).sharedSeizures).toBe(1);
  });
});
