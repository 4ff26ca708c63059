import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbPartyHistory } from '../functions/adapters/dynamodb-party-history.js';
import { DynamoDbReviewQueue } from '../functions/adapters/dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from '../functions/adapters/dynamodb-rule-statistics.js';
import { FileOfficeDirectory } from '../functions/adapters/file-office-directory.js';
import { verifyChain } from '../functions/core/audit/audit-chain.js';
import { REPO_ROOT } from '../functions/local/embedded-stack.js';
import { makeClaimParcel, makeCorrectOutcome, makeRecordOutcome } from '../functions/review/case-actions.js';
import type { ReviewDeps } from '../functions/review/review-deps.js';
import { TABLES } from '../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './support/dynamodb.js';
import { scanAll } from './support/embedded.js';
import { aFlaggedItem } from './support/factories.js';
import { partyKeys } from './support/party-history-contract.js';
import { wuzhouOfficer } from './support/staff.js';

const A = wuzhouOfficer('wuzhou');
const B = wuzhouOfficer('wuzhou-2');
const ADMIN = {
  principal: { subject: 'sub-admin', username: 'admin', roles: ['admin'], offices: ['wuzhou-customs'] },
  actor: { subject: 'sub-admin', username: 'admin', role: 'admin' },
} as never as typeof A;
const ADMIN2 = {
  principal: { subject: 'sub-admin2', username: 'admin2', roles: ['admin'], offices: ['wuzhou-customs'] },
  actor: { subject: 'sub-admin2', username: 'admin2', role: 'admin' },
} as never as typeof A;
const SEIZED = {
  outcome: 'seized',
  seizure: { substance: 'heroin', quantity: { amount: 1, unit: 'kg' }, concealment: 'panel' },
} as never;

describe('race review: review actions', () => {
  let dynamo: LocalDynamoDb;
  let deps: ReviewDeps;
  let now = new Date('2026-11-28T10:00:00.000Z');
  let n = 0;
  const fresh = async () => {
    n += 1;
    const id = `RACE${String(n).padStart(6, '0')}`;
    await deps.reviewQueue.enqueue({
      ...aFlaggedItem(id, partyKeys({ consignee: id })),
      firedRules: [{ ruleId: 'r1', score: 50, reason: 'x' }] as never,
    });
    return id;
  };
  const ctx = (who: typeof A, id: string, requestId: string) => ({
    ...who,
    parcelKey: `southwest-freight#${id}`,
    requestId,
  });
  const audit = async (id: string) =>
    (await scanAll(dynamo.doc, 'audit-log'))
      .filter((e) => e.target === `southwest-freight#${id}`)
      .map((e) => `${e.action}:${e.actorName}`);
  const stats = async () => new DynamoDbRuleStatistics(dynamo.doc, 'stats').read('yunnan-guangxi');

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable('review-queue', TABLES.reviewQueue);
    await dynamo.createTable('audit-log', TABLES.auditLog);
    await dynamo.createTable('history', TABLES.partyHistory);
    await dynamo.createTable('stats', TABLES.ruleStatistics);
    deps = {
      reviewQueue: new DynamoDbReviewQueue(dynamo.doc, 'review-queue'),
      auditLog: new DynamoDbAuditLog(dynamo.doc, 'audit-log'),
      history: new DynamoDbPartyHistory(dynamo.doc, 'history', { agreements: [] } as never),
      ruleStatistics: new DynamoDbRuleStatistics(dynamo.doc, 'stats'),
      decisions: undefined as never,
      offices: new FileOfficeDirectory(`${REPO_ROOT}/rules/reference/offices.yaml`).load(),
      clock: { now: () => now },
      leaseMinutes: 30,
      pageSize: 25,
    };
  });
  afterAll(async () => dynamo?.stop());

  it('two officers claim at once', async () => {
    const id = await fresh();
    const results = await Promise.allSettled([
      makeClaimParcel(deps)(ctx(A, id, 'c-a')),
      makeClaimParcel(deps)(ctx(B, id, 'c-b')),
    ]);
    console.log(
      'CLAIMS',
      results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message)),
    );
    console.log('AUDIT', await audit(id));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('same outcome posted twice at once', async () => {
    const id = await fresh();
    await makeClaimParcel(deps)(ctx(A, id, 'c1'));
    const results = await Promise.allSettled([
      makeRecordOutcome(deps)(ctx(A, id, 'o1'), SEIZED),
      makeRecordOutcome(deps)(ctx(A, id, 'o2'), SEIZED),
    ]);
    console.log(
      'OUTCOMES',
      results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message)),
    );
    console.log('AUDIT', await audit(id));
    console.log('STATS', JSON.stringify(await stats()));
  });

  it('two admins correct at once', async () => {
    const id = await fresh();
    await makeClaimParcel(deps)(ctx(A, id, 'c1'));
    await makeRecordOutcome(deps)(ctx(A, id, 'o1'), SEIZED);
    now = new Date(now.getTime() + 60_000);
    const results = await Promise.allSettled([
      makeCorrectOutcome(deps)(ctx(ADMIN, id, 'k1'), { outcome: 'cleared' } as never, 'wrong', 0),
      makeCorrectOutcome(deps)(ctx(ADMIN2, id, 'k2'), { outcome: 'not-found' } as never, 'wrong2', 0),
    ]);
    console.log(
      'CORRECTIONS',
      results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message)),
    );
    console.log('AUDIT', await audit(id));
    console.log('STATS', JSON.stringify(await stats()));
  });

  it('40 concurrent appends to one chain', async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, () => fresh()));
    const results = await Promise.allSettled(
      ids.map((id, i) => makeClaimParcel(deps)(ctx(i % 2 ? A : B, id, `m${i}`))),
    );
    const failed = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason.message);
    console.log('APPEND FAILURES', failed.length, failed[0]);
    const entries = (await scanAll(dynamo.doc, 'audit-log')).filter((e) => e.chain === 'wuzhou-customs');
    console.log('CHAIN', JSON.stringify(verifyChain('wuzhou-customs', entries as never)));
    const pending = await Promise.all(ids.map((id) => deps.reviewQueue.get(`southwest-freight#${id}`)));
    console.log('STILL PENDING', pending.filter((p) => p?.pending).length);
  }, 60_000);
});
