import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { chainEntry } from '../../functions/core/audit/audit-chain.js';
import { makeClaimParcel, makeReleaseParcel } from '../../functions/review/case-actions.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { scanAll } from '../support/embedded.js';
import { aFlaggedItem } from '../support/factories.js';
import { partyKeys } from '../support/party-history-contract.js';
import { claimAndReleaseDeps, wuzhouOfficer } from '../support/staff.js';

/**
 * The audit log keeps every action for good, and finds an action already recorded by its id: an id that
 * another action could have, or that an entry planted in the table could take, would keep an action out.
 */
describe('audit entries of staff actions', () => {
  let dynamo: LocalDynamoDb;
  let tables = 0;
  const fresh = async () => {
    tables += 1;
    await dynamo.createTable(`review-${tables}`, TABLES.reviewQueue);
    await dynamo.createTable(`audit-${tables}`, TABLES.auditLog);
    return {
      reviewTable: `review-${tables}`,
      auditTable: `audit-${tables}`,
      queue: new DynamoDbReviewQueue(dynamo.doc, `review-${tables}`),
      log: new DynamoDbAuditLog(dynamo.doc, `audit-${tables}`),
    };
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it("records the actions on a parcel key used again after the earlier parcel's review item expired", async () => {
    // Prepare: a claim on the first parcel; 400 days on, TTL removed its review item and the partner
    // used the house document number again for a parcel that is flagged too
    const { reviewTable, auditTable, queue, log } = await fresh();
    let now = new Date('2026-11-28T10:00:00.000Z');
    const deps = claimAndReleaseDeps(queue, log, () => now);
    const parcelKey = 'southwest-freight#SWF7782000001';
    await queue.enqueue(aFlaggedItem('SWF7782000001', partyKeys({ consignee: 'a' })));
    await makeClaimParcel(deps)({ ...wuzhouOfficer('wuzhou'), parcelKey, requestId: 'r-1' });
    await dynamo.doc.send(new DeleteCommand({ TableName: reviewTable, Key: { pk: parcelKey } }));
    await queue.enqueue({
      ...aFlaggedItem('SWF7782000001', partyKeys({ consignee: 'b' })),
      flaggedAt: '2028-01-10T08:00:00.000Z',
    });
    now = new Date('2028-01-10T10:00:00.000Z');

    // Act
    await makeClaimParcel(deps)({ ...wuzhouOfficer('wuzhou-2'), parcelKey, requestId: 'r-2' });

    // Assess
    const entries = await scanAll(dynamo.doc, auditTable);
    expect(entries.map((entry) => [entry.seq, entry.action, entry.actorName, entry.requestId])).toEqual([
      [1, 'claim', 'wuzhou', 'r-1'],
      [2, 'claim', 'wuzhou-2', 'r-2'],
    ]);
  });

  it('records an action whose id an entry planted in the table has taken, under a marked id', async () => {
    // Prepare: a claim; then someone able to write the table plants, as a chain of its own, an entry
    // under the id the release will have (built from what the item shows)
    const { auditTable, queue, log } = await fresh();
    const deps = claimAndReleaseDeps(queue, log, () => new Date('2026-11-28T10:00:00.000Z'));
    const parcelKey = 'southwest-freight#SWF7782000002';
    await queue.enqueue(aFlaggedItem('SWF7782000002', partyKeys({ consignee: 'c' })));
    const officer = wuzhouOfficer('wuzhou');
    await makeClaimParcel(deps)({ ...officer, parcelKey, requestId: 'r-1' });
    const item = await queue.get(parcelKey);
    const releaseId = `release:${parcelKey}:${item!.flaggedAt}:v${(item!.version ?? 0) + 1}`;
    const planted = chainEntry(
      {
        chain: 'zz-planted',
        actionId: releaseId,
        actor: 'sub-x',
        actorName: 'x',
        role: 'officer',
        at: '2026-11-28T09:00:00.000Z',
        action: 'claim',
        target: 'x#P1',
        before: {},
        after: {},
        requestId: 'req-x',
      },
      undefined,
    );
    await dynamo.doc.send(new PutCommand({ TableName: auditTable, Item: planted }));

    // Act
    await makeReleaseParcel(deps)({ ...officer, parcelKey, requestId: 'r-2' });

    // Assess: the release is recorded in its office's chain, its id marked; nothing is left owed
    const entries = await scanAll(dynamo.doc, auditTable);
    const office = entries.filter((entry) => entry.chain === 'wuzhou-customs');
    expect(office.map((entry) => entry.action)).toEqual(['claim', 'release']);
    expect(String(office[1]?.actionId).startsWith(`${releaseId}#taken-`)).toBe(true);
    expect((await queue.get(parcelKey))?.pending).toBeUndefined();
  });
});
