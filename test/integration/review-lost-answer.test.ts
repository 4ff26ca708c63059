import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { ConflictError } from '../../functions/platform/errors.js';
import type { ReviewItem, ReviewQueue } from '../../functions/ports/review-queue.js';
import { makeClaimParcel, makeReleaseParcel } from '../../functions/review/case-actions.js';
import type { ReviewDeps } from '../../functions/review/review-deps.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { scanAll } from '../support/embedded.js';
import { aFlaggedItem } from '../support/factories.js';
import { partyKeys } from '../support/party-history-contract.js';
import { claimAndReleaseDeps, wuzhouOfficer } from '../support/staff.js';

const WUZHOU = wuzhouOfficer('wuzhou');
const WUZHOU_2 = wuzhouOfficer('wuzhou-2');

/**
 * A write that landed but whose answer was lost (a timeout, a dropped connection) is retried by the
 * AWS SDK, and the retry fails its condition against the write itself: `save` then throws
 * ConflictError and `claimPending` answers false, though both took effect. The queue below does
 * exactly that to the next write it is told to lose, on the real adapter over dynalite.
 */
describe('a case action whose write landed but was answered as refused (dynalite)', () => {
  let dynamo: LocalDynamoDb;
  let deps: ReviewDeps;
  let parcelId: string;
  let cases = 0;
  let now: Date;
  /** The next `save` or `claimPending` to lose, and what happens between its write and its answer. */
  let lose: { write: 'save' | 'claimPending'; meanwhile?: () => Promise<unknown> } | undefined;

  const parcelKey = () => `southwest-freight#${parcelId}`;
  const context = (who: typeof WUZHOU, requestId: string) => ({ ...who, parcelKey: parcelKey(), requestId });
  const audited = async () =>
    (await scanAll(dynamo.doc, 'audit-log'))
      .filter((entry) => entry.target === parcelKey())
      .map((entry) => `${entry.action} by ${entry.actorName} (${entry.requestId})`);

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable('review-queue', TABLES.reviewQueue);
    await dynamo.createTable('audit-log', TABLES.auditLog);
    const real = new DynamoDbReviewQueue(dynamo.doc, 'review-queue');
    const losing: ReviewQueue = Object.assign(Object.create(real) as DynamoDbReviewQueue, {
      save: async (item: ReviewItem, expectedVersion: number) => {
        const stored = await real.save(item, expectedVersion);
        if (lose?.write !== 'save') return stored;
        const { meanwhile } = lose;
        lose = undefined;
        await meanwhile?.();
        throw new ConflictError('update review item: condition failed');
      },
      claimPending: async (...args: Parameters<ReviewQueue['claimPending']>) => {
        const claimed = await real.claimPending(...args);
        if (!claimed || lose?.write !== 'claimPending') return claimed;
        lose = undefined;
        return false;
      },
    });
    deps = claimAndReleaseDeps(losing, new DynamoDbAuditLog(dynamo.doc, 'audit-log'), () => now);
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  beforeEach(async () => {
    // Prepare: a fresh flagged parcel per case, at 10:00
    cases += 1;
    parcelId = `SWF778200${String(cases).padStart(4, '0')}`;
    await deps.reviewQueue.enqueue(aFlaggedItem(parcelId, partyKeys({ consignee: parcelId })));
    now = new Date('2026-11-28T10:00:00.000Z');
    lose = undefined;
  });

  it('stores and audits a claim once when the answer to its save is lost', async () => {
    // Prepare
    lose = { write: 'save' };

    // Act
    const claimed = await makeClaimParcel(deps)(context(WUZHOU, 'claim-1'));

    // Assess
    expect(lose).toBeUndefined();
    expect(claimed).toMatchObject({
      status: 'claimed',
      lease: { heldBy: 'wuzhou', until: '2026-11-28T10:30:00.000Z' },
    });
    const item = await deps.reviewQueue.get(parcelKey());
    expect(item?.version).toBe(1);
    expect(item?.pending).toBeUndefined();
    expect(await audited()).toEqual(['claim by wuzhou (claim-1)']);
  });

  it('recognises its stored claim after another request has finished it before the answer came', async () => {
    // Prepare: wuzhou-2 claims in between, finishes wuzhou's pending claim and is refused
    let refusal: unknown;
    lose = {
      write: 'save',
      meanwhile: () =>
        makeClaimParcel(deps)(context(WUZHOU_2, 'claim-2')).catch((error: unknown) => {
          refusal = error;
        }),
    };

    // Act
    const claimed = await makeClaimParcel(deps)(context(WUZHOU, 'claim-1'));

    // Assess
    expect(refusal).toMatchObject({ details: { heldBy: 'wuzhou' } });
    expect(claimed).toMatchObject({ status: 'claimed', lease: { heldBy: 'wuzhou' } });
    expect((await deps.reviewQueue.get(parcelKey()))?.version).toBe(1);
    expect(await audited()).toEqual(['claim by wuzhou (claim-1)']);
  });

  it('stores and audits a release once when the answer to its save is lost', async () => {
    // Prepare
    await makeClaimParcel(deps)(context(WUZHOU, 'claim-1'));
    now = new Date('2026-11-28T10:05:00.000Z');
    lose = { write: 'save' };

    // Act
    const released = await makeReleaseParcel(deps)(context(WUZHOU, 'release-1'));

    // Assess
    expect(lose).toBeUndefined();
    expect(released).toMatchObject({ status: 'open' });
    expect((await deps.reviewQueue.get(parcelKey()))?.version).toBe(2);
    expect(await audited()).toEqual(['claim by wuzhou (claim-1)', 'release by wuzhou (release-1)']);
  });

  it('finishes what its action owes itself when the answer to its finishing claim is lost', async () => {
    // Prepare
    lose = { write: 'claimPending' };

    // Act
    await makeClaimParcel(deps)(context(WUZHOU, 'claim-1'));

    // Assess: audited and no longer pending now, not left to the sweep once the lost claim runs out
    expect(lose).toBeUndefined();
    expect((await deps.reviewQueue.get(parcelKey()))?.pending).toBeUndefined();
    expect(await audited()).toEqual(['claim by wuzhou (claim-1)']);
  });
});
