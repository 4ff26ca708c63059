import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from '../../functions/adapters/dynamodb-rule-statistics.js';
import { FileOfficeDirectory } from '../../functions/adapters/file-office-directory.js';
import type { Actor, StaffPrincipal } from '../../functions/core/access/roles.js';
import { MAX_CORRECTIONS } from '../../functions/core/review/case-transitions.js';
import { type Finding, FindingSchema } from '../../functions/core/review/outcome.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import type { ReviewItem } from '../../functions/ports/review-queue.js';
import {
  makeClaimParcel,
  makeCorrectOutcome,
  makeRecordOutcome,
} from '../../functions/review/case-actions.js';
import type { ReviewDeps } from '../../functions/review/review-deps.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { scanAll } from '../support/embedded.js';
import { aFlaggedItem } from '../support/factories.js';
import { partyKeys } from '../support/party-history-contract.js';
import { wuzhouOfficer } from '../support/staff.js';

/**
 * DynamoDB refuses an item over 400 KB, counted in UTF-8 (dynalite counts UTF-16 units, so it would take
 * what DynamoDB refuses). A parcel's corrections stay on its review item, so every save of one, with its
 * pending audit entry, must fit when all MAX_CORRECTIONS corrections have every field at its bound in
 * Chinese (3 bytes a character).
 */

const DYNAMODB_ITEM_LIMIT = 400 * 1024;

/** An item's size as DynamoDB counts it, rounded up: names and UTF-8 strings, 21 bytes a number, 3 a container and 1 an element. */
const dynamoDbSize = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return 21;
  if (Array.isArray(value)) return value.reduce((sum: number, entry) => sum + 4 + dynamoDbSize(entry), 3);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).reduce(
      (sum, [name, entry]) => sum + 1 + Buffer.byteLength(name, 'utf8') + dynamoDbSize(entry),
      3,
    );
  return 1;
};

const ADMIN: { principal: StaffPrincipal; actor: Actor } = {
  principal: { subject: 'sub-admin', username: 'admin', roles: ['admin'], offices: ['yunnan-guangxi'] },
  actor: { subject: 'sub-admin', username: 'admin', role: 'admin' },
};
const WUZHOU = wuzhouOfficer('wuzhou');
/** `length` characters of Chinese text. */
const chinese = (length: number, seed: string) => seed.repeat(length).slice(0, length);
/** A seizure with every text at its bound. */
const seizureAtBounds = (seed: string): Finding =>
  FindingSchema.parse({
    outcome: 'seized',
    seizure: {
      substance: chinese(200, seed),
      quantity: { amount: 4.2, unit: 'kg' },
      concealment: chinese(500, seed),
    },
    notes: chinese(2000, seed),
  });

describe('a review item with every correction a parcel may have, each at the bounds of its fields', () => {
  let dynamo: LocalDynamoDb;
  let deps: ReviewDeps;
  let now = new Date('2026-11-28T10:00:00.000Z');
  /** The size of every item saved, as DynamoDB counts it. */
  const saved: number[] = [];

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    for (const name of ['reviewQueue', 'auditLog', 'partyHistory', 'ruleStatistics'] as const)
      await dynamo.createTable(name, TABLES[name]);
    const queue = new DynamoDbReviewQueue(dynamo.doc, 'reviewQueue');
    const measured = Object.create(queue) as DynamoDbReviewQueue;
    measured.save = (item: ReviewItem, version: number) => {
      saved.push(dynamoDbSize(item));
      return queue.save(item, version);
    };
    deps = {
      reviewQueue: measured,
      auditLog: new DynamoDbAuditLog(dynamo.doc, 'auditLog'),
      history: new DynamoDbPartyHistory(dynamo.doc, 'partyHistory'),
      ruleStatistics: new DynamoDbRuleStatistics(dynamo.doc, 'ruleStatistics'),
      decisions: undefined as never,
      offices: new FileOfficeDirectory(`${REPO_ROOT}/rules/reference/offices.yaml`).load(),
      clock: { now: () => now },
      leaseMinutes: 30,
      pageSize: 25,
    };
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('fits in a DynamoDB item at every save, and so does every audit entry', async () => {
    // Prepare: a seizure recorded at the bounds of its fields
    const parcelId = 'SWF7781009999';
    const parcelKey = `southwest-freight#${parcelId}`;
    await deps.reviewQueue.enqueue(aFlaggedItem(parcelId, partyKeys({ consignee: parcelId })));
    await makeClaimParcel(deps)({ ...WUZHOU, parcelKey, requestId: 'claim' });
    await makeRecordOutcome(deps)({ ...WUZHOU, parcelKey, requestId: 'outcome' }, seizureAtBounds('海洛因'));

    // Act: every correction the parcel may have, each with the longest reason
    for (let n = 0; n < MAX_CORRECTIONS; n += 1) {
      now = new Date(now.getTime() + 60_000);
      await makeCorrectOutcome(deps)(
        { ...ADMIN, parcelKey, requestId: `correction-${n}` },
        seizureAtBounds(n % 2 === 0 ? '甲基苯丙胺' : '海洛因'),
        chinese(2000, `更正原因${n}`),
        n,
      );
    }

    // Assess
    expect(saved).toHaveLength(2 + MAX_CORRECTIONS);
    expect(Math.max(...saved)).toBeLessThan(DYNAMODB_ITEM_LIMIT);
    const entries = (await scanAll(dynamo.doc, 'auditLog')).filter((entry) => entry.target === parcelKey);
    expect(entries.map((entry) => entry.action)).toEqual([
      'claim',
      'outcome',
      ...Array.from({ length: MAX_CORRECTIONS }, () => 'correction'),
    ]);
    expect(Math.max(...entries.map(dynamoDbSize))).toBeLessThan(DYNAMODB_ITEM_LIMIT);
    // Each correction's entry holds that correction whole, and the count before and after it
    expect(entries.at(-1)).toMatchObject({
      before: { corrections: MAX_CORRECTIONS - 1 },
      after: {
        corrections: MAX_CORRECTIONS,
        correction: { reason: chinese(2000, `更正原因${MAX_CORRECTIONS - 1}`), correctedByName: 'admin' },
      },
    });
  });
});
