import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { ConflictError } from '../../functions/platform/errors.js';
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

/** A release whose answer was lost (a timeout, a 5xx after it was stored), sent again. */
describe('a release sent again on DynamoDB (dynalite)', () => {
  let dynamo: LocalDynamoDb;
  let deps: ReviewDeps;
  let parcelId: string;
  let cases = 0;
  let now: Date;
  const context = (who: typeof WUZHOU, requestId: string) => ({
    ...who,
    parcelKey: `southwest-freight#${parcelId}`,
    requestId,
  });
  const releases = async () =>
    (await scanAll(dynamo.doc, 'audit-log'))
      .filter((entry) => entry.target === `southwest-freight#${parcelId}` && entry.action === 'release')
      .map((entry) => entry.actorName);

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable('review-queue', TABLES.reviewQueue);
    await dynamo.createTable('audit-log', TABLES.auditLog);
    deps = claimAndReleaseDeps(
      new DynamoDbReviewQueue(dynamo.doc, 'review-queue'),
      new DynamoDbAuditLog(dynamo.doc, 'audit-log'),
      () => now,
    );
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  beforeEach(async () => {
    // Prepare: a fresh parcel per case, claimed and released by wuzhou at 10:00 and 10:05
    cases += 1;
    parcelId = `SWF778100${String(cases).padStart(4, '0')}`;
    await deps.reviewQueue.enqueue(aFlaggedItem(parcelId, partyKeys({ consignee: parcelId })));
    now = new Date('2026-11-28T10:00:00.000Z');
    await makeClaimParcel(deps)(context(WUZHOU, 'claim-1'));
    now = new Date('2026-11-28T10:05:00.000Z');
    await makeReleaseParcel(deps)(context(WUZHOU, 'release-1'));
    now = new Date('2026-11-28T10:06:00.000Z');
  });

  it('answers the officer who released it with the released case, recording nothing twice', async () => {
    // Act
    const again = await makeReleaseParcel(deps)(context(WUZHOU, 'release-2'));

    // Assess
    expect(again).toMatchObject({ parcelId, status: 'open' });
    expect(again).not.toHaveProperty('lease');
    expect((await deps.reviewQueue.get(`southwest-freight#${parcelId}`))?.version).toBe(2);
    expect(await releases()).toEqual(['wuzhou']);
    const claimed = await deps.reviewQueue.list('wuzhou-customs', 'claimed', { now: now.toISOString() });
    expect(claimed.items.map((item) => item.parcelId)).not.toContain(parcelId);
  });

  it('lists a released parcel as unclaimed even on a clock behind the one that released it', async () => {
    // Act: a server 30 s behind the release at 10:05 lists the claimed parcels
    const claimed = await deps.reviewQueue.list('wuzhou-customs', 'claimed', {
      now: '2026-11-28T10:04:30.000Z',
    });

    // Assess
    expect(claimed.items.map((item) => item.parcelId)).not.toContain(parcelId);
  });

  it('refuses another officer, who held no lease', async () => {
    // Act
    const release = makeReleaseParcel(deps)(context(WUZHOU_2, 'release-2'));

    // Assess
    await expect(release).rejects.toBeInstanceOf(ConflictError);
    expect(await releases()).toEqual(['wuzhou']);
  });

  it("refuses it once another officer has claimed the parcel, and leaves that officer's lease", async () => {
    // Prepare
    await makeClaimParcel(deps)(context(WUZHOU_2, 'claim-2'));

    // Act
    const release = makeReleaseParcel(deps)(context(WUZHOU, 'release-2'));

    // Assess
    await expect(release).rejects.toMatchObject({ details: { heldBy: 'wuzhou-2' } });
    const item = await deps.reviewQueue.get(`southwest-freight#${parcelId}`);
    expect(item?.lease).toMatchObject({ holderName: 'wuzhou-2', until: '2026-11-28T10:36:00.000Z' });
    expect(item?.lease).not.toHaveProperty('releasedAt');
  });
});
