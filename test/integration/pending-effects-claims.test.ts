import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamoDbReviewEffects } from '../../functions/adapters/dynamodb-review-effects.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { makeLogger } from '../../functions/platform/logger.js';
import type { PendingEffects, ReviewItem } from '../../functions/ports/review-queue.js';
import { FINISH_CLAIM_MS, finishPending } from '../../functions/review/finish-pending.js';
import { TABLES, type TableName } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { scanAll } from '../support/embedded.js';
import { aFlaggedItem, anAuditDraft } from '../support/factories.js';
import { partyKeys } from '../support/party-history-contract.js';

/**
 * dynalite answers an update of a path inside a missing map with a failed condition, where DynamoDB
 * may refuse it as invalid: the claim's attributes are top-level so that no update names such a path
 * (the handler tests pin the expressions).
 *
 * Finishing an action's effects is claimed: two finishers (a request, a retry, the review sweep)
 * never work on one action at once, and one that read the item before a later action was stored
 * cannot replay the earlier action's effects over the later one's.
 */

describe('claims on pending review effects (dynalite, the real adapters)', () => {
  let dynamo: LocalDynamoDb;
  let now: Date;
  let parcel = 0;
  let deps: ReturnType<typeof dynamoDbReviewEffects> & { clock: { now: () => Date } };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    for (const name of Object.keys(TABLES) as TableName[]) await dynamo.createTable(name, TABLES[name]);
    deps = {
      ...dynamoDbReviewEffects(
        dynamo.doc,
        {
          AWS_REGION: 'local',
          LOG_LEVEL: 'warn',
          REVIEW_QUEUE_TABLE: 'reviewQueue',
          AUDIT_LOG_TABLE: 'auditLog',
          PARTY_HISTORY_TABLE: 'partyHistory',
          RULE_STATISTICS_TABLE: 'ruleStatistics',
          SHARING_AGREEMENTS_FILE: `${REPO_ROOT}/rules/sharing/agreements.yaml`,
        },
        makeLogger('error'),
      ),
      clock: { now: () => now },
    };
  });
  afterAll(async () => {
    await dynamo?.stop();
  });
  beforeEach(() => {
    now = new Date('2026-11-28T09:00:00.000Z');
    parcel += 1;
  });

  /** A parcel whose seizure was stored and is still owed to history, statistics and the audit log. */
  const seizedPending = async (): Promise<ReviewItem> => {
    const flagged: ReviewItem = {
      ...aFlaggedItem(
        `P${parcel}`,
        partyKeys({ consignee: `smuggler-${parcel}`, address: `drop-${parcel}` }),
      ),
      // A rule of its own, so the statistics of one test's parcel are not another's.
      firedRules: [{ ruleId: `rule-${parcel}`, title: 't', score: 50, reason: 'r', values: {} }],
    };
    await deps.reviewQueue.enqueue(flagged);
    const at = now.toISOString();
    const pending: PendingEffects = {
      actionId: `outcome:${flagged.parcelKey}:v1`,
      audit: anAuditDraft(flagged, 'outcome', `outcome:${flagged.parcelKey}:v1`, at),
      feedback: { kind: 'outcome', outcome: 'seized', recordedAt: at },
    };
    return deps.reviewQueue.save({ ...flagged, status: 'closed', pending }, 0);
  };
  const correctedToCleared = (item: ReviewItem, at: string): PendingEffects => ({
    actionId: `correction:${item.parcelKey}:v3`,
    audit: anAuditDraft(item, 'correction', `correction:${item.parcelKey}:v3`, at),
    feedback: { kind: 'correction', from: 'seized', to: 'cleared', correctedAt: at },
  });
  const seizuresCounted = async (item: ReviewItem) =>
    (await deps.ruleStatistics.read(item.region))
      .filter((counter) => counter.ruleId === item.firedRules[0]!.ruleId)
      .reduce((sum, counter) => sum + counter.seizures, 0);
  const sharedWithGuangdong = async (item: ReviewItem) =>
    (await deps.history.summarize([item.partyKeys], 'guangdong', '2026-11-30T00:00:00.000Z'))[0]!
      .sharedSeizures;
  const auditedActions = async (item: ReviewItem) =>
    (await scanAll(dynamo.doc, 'auditLog'))
      .filter((entry) => entry.target === item.parcelKey)
      .map((entry) => entry.action);

  it('does nothing for a finisher that read the action before a later one changed its effects', async () => {
    // Prepare: the sweep reads the seizure while it is pending...
    const stale = await seizedPending();
    // ...a correction request finishes the seizure, then stores and finishes its correction to cleared
    const byRequest = (await deps.reviewQueue.get(stale.parcelKey))!;
    expect(await finishPending(deps, byRequest, 'req-correction')).toBe(true);
    const settled = (await deps.reviewQueue.get(stale.parcelKey))!;
    now = new Date('2026-11-28T10:00:00.000Z');
    const correction = await deps.reviewQueue.save(
      { ...settled, pending: correctedToCleared(settled, now.toISOString()) },
      settled.version!,
    );
    expect(await finishPending(deps, correction, 'req-correction')).toBe(true);
    const beforeReplay = { seizures: await seizuresCounted(stale), shared: await sharedWithGuangdong(stale) };

    // Act: the sweep, resumed, tries to finish what it read
    const replayed = await finishPending(deps, stale, 'sweep:1');

    // Assess
    expect(beforeReplay).toEqual({ seizures: 0, shared: 0 });
    expect(replayed).toBe(false);
    expect({ seizures: await seizuresCounted(stale), shared: await sharedWithGuangdong(stale) }).toEqual(
      beforeReplay,
    );
    expect(await auditedActions(stale)).toEqual(['outcome', 'correction']);
  });

  it('does nothing for a finisher that read the action before a later one was stored, still pending', async () => {
    // Prepare: the sweep reads the seizure; a request finishes it and stores a correction it has yet to finish
    const stale = await seizedPending();
    expect(await finishPending(deps, (await deps.reviewQueue.get(stale.parcelKey))!, 'req-seizure')).toBe(
      true,
    );
    const settled = (await deps.reviewQueue.get(stale.parcelKey))!;
    now = new Date('2026-11-28T10:00:00.000Z');
    await deps.reviewQueue.save(
      { ...settled, pending: correctedToCleared(settled, now.toISOString()) },
      settled.version!,
    );

    // Act
    const replayed = await finishPending(deps, stale, 'sweep:1');

    // Assess: the seizure counted once, the correction untouched and still owed
    expect(replayed).toBe(false);
    expect(await seizuresCounted(stale)).toBe(1);
    expect(await sharedWithGuangdong(stale)).toBe(1);
    expect((await deps.reviewQueue.get(stale.parcelKey))?.pending).toMatchObject({
      actionId: `correction:${stale.parcelKey}:v3`,
    });
    expect((await deps.reviewQueue.get(stale.parcelKey))?.pending?.finisher).toBeUndefined();
  });

  it('leaves an action another finisher holds to it, even under the same name, until it is given back', async () => {
    // Prepare
    const item = await seizedPending();
    const claim = {
      finisher: 'sweep:1',
      now: now.toISOString(),
      until: new Date(now.getTime() + FINISH_CLAIM_MS).toISOString(),
    };
    const held = await deps.reviewQueue.claimPending(item.parcelKey, item.pending!.actionId, claim);

    // Act
    const byRequest = await finishPending(deps, item, 'req-claim');
    await deps.reviewQueue.clearPending(item.parcelKey, item.pending!.actionId, 'req-claim');
    const twin = await deps.reviewQueue.claimPending(item.parcelKey, item.pending!.actionId, claim);
    const whileHeld = (await deps.reviewQueue.get(item.parcelKey))?.pending;
    await deps.reviewQueue.releasePending(item.parcelKey, item.pending!.actionId, 'sweep:1');
    const afterRelease = await finishPending(deps, item, 'req-claim');

    // Assess
    expect(held).toBe(true);
    expect(byRequest).toBe(false);
    expect(twin).toBe(false);
    expect(whileHeld).toMatchObject({ finisher: 'sweep:1', finishUntil: claim.until });
    expect(await auditedActions(item)).toEqual(['outcome']);
    expect(afterRelease).toBe(true);
    expect((await deps.reviewQueue.get(item.parcelKey))?.pending).toBeUndefined();
    expect(await sharedWithGuangdong(item)).toBe(1);
  });

  it('takes over a claim that ran out, its holder having died', async () => {
    // Prepare
    const item = await seizedPending();
    await deps.reviewQueue.claimPending(item.parcelKey, item.pending!.actionId, {
      finisher: 'req-died',
      now: now.toISOString(),
      until: new Date(now.getTime() + FINISH_CLAIM_MS).toISOString(),
    });
    now = new Date(now.getTime() + FINISH_CLAIM_MS + 1_000);

    // Act
    const finished = await finishPending(deps, item, 'sweep:2');

    // Assess
    expect(finished).toBe(true);
    expect((await deps.reviewQueue.get(item.parcelKey))?.pending).toBeUndefined();
    expect(await auditedActions(item)).toEqual(['outcome']);
  });
});
