import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { makeVerifyAuditLog } from '../../functions/audit/verify-audit-log.js';
import type { AuditAnchor } from '../../functions/core/audit/audit-anchor.js';
import { type AuditDraft, type AuditEntry, chainEntry } from '../../functions/core/audit/audit-chain.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { InMemoryAuditAnchors } from '../support/audit-anchors.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { asStaff, tokenFor } from '../support/staff.js';
import { auditTool as audit } from '../support/tools.js';

const PARCEL_PATH = '/v1/inspections/southwest-freight/SWF7781000123';

/** The entries of the one chain the officer's actions went to, in order. */
const chainEntries = async (stack: EmbeddedStack): Promise<AuditEntry[]> =>
  ((await scanAll(stack.db, stack.tables.auditLog)) as AuditEntry[]).sort((a, b) => a.seq - b.seq);

/** What a writer of the audit table can do unseen by the chain: rewrite an entry, rehash every one after it. */
const rewriteFromFirst = async (stack: EmbeddedStack, entries: AuditEntry[]): Promise<void> => {
  let previous: AuditEntry | undefined;
  for (const { seq: _seq, prevHash: _prev, hash: _hash, ...draft } of entries) {
    const forged = chainEntry(
      previous === undefined ? { ...draft, actorName: 'someone else' } : draft,
      previous,
    );
    await stack.db.send(new PutCommand({ TableName: stack.tables.auditLog, Item: forged }));
    previous = forged;
  }
};

describe('audit anchors on the embedded stack', () => {
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await startEmbeddedStack();
    const manifest = readSample(RUILI_MANIFEST);
    expect((await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest))).status).toBe(202);
    await stack.waitForIdle();
    const wuzhou = await tokenFor('officer', 'wuzhou');
    expect((await asStaff(stack.apiUrl, wuzhou, 'POST', `${PARCEL_PATH}/claim`)).status).toBe(200);
    expect((await asStaff(stack.apiUrl, wuzhou, 'POST', `${PARCEL_PATH}/release`)).status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("anchors every chain head now on an operator's command, as the schedule would", async () => {
    // Prepare
    const entries = await chainEntries(stack);
    const chain = entries[0]!.chain;

    // Act
    const anchored = await audit(['anchor'], stack.toolEnv);
    const verified = await audit(['verify'], stack.toolEnv);
    const misused = await audit(['anchor', 'now'], stack.toolEnv);

    // Assess
    expect(anchored).toMatchObject({ code: 0, stderr: '' });
    expect(anchored.stdout).toMatch(
      new RegExp(`^anchored 1 chain at \\S+: ${chain} #${entries.length}$`, 'm'),
    );
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(
      new RegExp(`^ok +${chain}: ${entries.length} entries, anchored up to entry ${entries.length} `, 'm'),
    );
    expect(misused.code).toBe(2);
    expect(misused.stderr).toMatch(
      /^anchor takes no arguments; also given: now\nusage: npm run audit -- verify \| anchor/,
    );
  });

  it('fails on an anchor object tampered with, though every chain is intact', async () => {
    // Prepare: a writer of the bucket stores an object among the anchors that is none
    const tampered = { Bucket: stack.buckets.auditAnchors, Key: 'anchors/2026-11-01T00:00:00.000Z.json' };
    await stack.s3.send(new PutObjectCommand({ ...tampered, Body: 'not an anchor' }));

    // Act
    const run = await audit(['verify'], stack.toolEnv).finally(() =>
      stack.s3.send(new DeleteObjectCommand(tampered)),
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ok {7}\S+: \d+ entries, /m);
    expect(run.stdout).toContain(`TAMPERED anchor ${tampered.Key}: not JSON`);
    expect(run.stdout).toMatch(/^audit verify FAILED: the anchors were tampered with$/m);
  });

  it('anchors every chain head, and verify then names a chain rewritten and rehashed', async () => {
    // Prepare
    const entries = await chainEntries(stack);
    const chain = entries[0]!.chain;

    // Act: anchor, then rewrite the chain as only the anchors can show
    const anchor = (await stack.runScheduled('auditAnchor')) as AuditAnchor;
    const before = await audit(['verify'], stack.toolEnv);
    await rewriteFromFirst(stack, entries);
    const chainAlone = await makeVerifyAuditLog(
      new DynamoDbAuditLog(stack.db, stack.tables.auditLog),
      new InMemoryAuditAnchors(),
    )();
    const after = await audit(['verify'], stack.toolEnv);

    // Assess
    expect(anchor.heads).toEqual([{ chain, seq: entries.length, hash: entries.at(-1)!.hash }]);
    expect(before).toMatchObject({ code: 0, stderr: '' });
    // The operator's anchor of the test before anchored the same head first: coverage names the earliest.
    expect(before.stdout).toContain(
      `ok       ${chain}: ${entries.length} entries, anchored up to entry ${entries.length} (`,
    );
    expect(before.stdout).toContain(
      `newest anchor ${anchor.anchoredAt}: entries made since are not protected yet`,
    );
    expect(chainAlone.ok).toBe(true);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(
      new RegExp(
        `^ALTERED  ${chain}: entry ${entries.length} of ${entries.length}: entry ${entries.length} is not the entry anchored at \\S+: the chain was rewritten at entry ${entries.length} or before it$`,
        'm',
      ),
    );
    expect(after.stdout).toContain(`audit verify FAILED: ${chain} breaks at entry ${entries.length}: `);
  });

  it('names the newest entries deleted after they were anchored', async () => {
    // Prepare: the chain as it is now (rewritten by the test before) anchored
    const entries = await chainEntries(stack);
    const chain = entries[0]!.chain;
    await stack.runScheduled('auditAnchor');
    const newest = entries.at(-1)!;

    // Act
    await stack.db.send(
      new DeleteCommand({ TableName: stack.tables.auditLog, Key: { chain, seq: newest.seq } }),
    );
    const run = await audit(['verify'], stack.toolEnv);

    // Assess
    expect(run.code).toBe(1);
    // Both anchors name the deleted entry: the earlier one is reported.
    expect(run.stdout).toMatch(
      new RegExp(`entry ${newest.seq}, anchored at \\S+, is gone: the chain ends at ${newest.seq - 1}$`, 'm'),
    );
  });

  it("shows a chain that is no office's with its name escaped, so stored text cannot rewrite the terminal", async () => {
    // Prepare: a writer of the table adds a well-formed chain whose name erases a line and prints a pass
    const [entry] = await chainEntries(stack);
    const { seq: _seq, prevHash: _prev, hash: _hash, ...draft } = entry!;
    const name = '~\r\u001b[1A\u001b[2Kaudit verify passed: 1 chain(s) intact\u001b[8m';
    await stack.db.send(
      new PutCommand({
        TableName: stack.tables.auditLog,
        Item: chainEntry({ ...draft, chain: name }, undefined),
      }),
    );

    // Act
    const run = await audit(['verify'], stack.toolEnv);

    // Assess
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\r');
    const escaped = '~\\u{d}\\u{1b}[1A\\u{1b}[2Kaudit verify passed: 1 chain(s) intact\\u{1b}[8m';
    expect(run.stdout).toContain(`ok       ${escaped}: 1 entry, not anchored yet`);
    expect(run.stdout).toContain(
      `UNEXPECTED chain ${escaped}: neither rules, operations nor an office of rules/reference/offices.yaml`,
    );
  });

  it('names every break of every chain, at most 20 a chain, then how many more', async () => {
    // Prepare: three office chains written and anchored; then in one an earlier entry edited and the
    // anchored newest deleted, in another 25 entries edited, in the third exactly 20
    const put = (entry: AuditEntry) =>
      stack.db.send(new PutCommand({ TableName: stack.tables.auditLog, Item: entry }));
    const write = async (chain: string, length: number): Promise<AuditEntry[]> => {
      const entries: AuditEntry[] = [];
      for (let index = 1; index <= length; index += 1) {
        const draft: AuditDraft = {
          chain,
          actionId: `claim:p${index}:v1`,
          actor: 'sub-1',
          actorName: 'officer',
          role: 'officer',
          at: `2026-11-28T10:00:${String(index).padStart(2, '0')}.000Z`,
          action: 'claim',
          target: `southwest-freight#P${index}`,
          before: { status: 'open' },
          after: { status: 'open' },
          requestId: `req-${index}`,
        };
        entries.push(chainEntry(draft, entries.at(-1)));
        await put(entries.at(-1)!);
      }
      return entries;
    };
    const nanning = await write('nanning-customs', 6);
    const guangzhou = await write('guangzhou-customs', 30);
    const ruili = await write('ruili-checkpoint', 21);
    await stack.runScheduled('auditAnchor');
    await put({ ...nanning[1]!, actorName: 'someone' });
    await stack.db.send(
      new DeleteCommand({ TableName: stack.tables.auditLog, Key: { chain: 'nanning-customs', seq: 6 } }),
    );
    for (const entry of guangzhou.slice(1, 26)) await put({ ...entry, actorName: 'someone' });
    for (const entry of ruili.slice(1)) await put({ ...entry, actorName: 'someone' });

    // Act
    const run = await audit(['verify'], stack.toolEnv);

    // Assess
    const altered = (chain: string) =>
      run.stdout.split('\n').filter((line) => line.startsWith(`ALTERED  ${chain}: `));
    expect(run.code).toBe(1);
    expect(altered('nanning-customs')).toEqual([
      'ALTERED  nanning-customs: entry 2 of 5: content does not match its hash: the entry was altered',
      expect.stringMatching(
        /^ALTERED {2}nanning-customs: entry 6 of 5: entry 6, anchored at \S+, is gone: the chain ends at 5$/,
      ),
    ]);
    expect(altered('guangzhou-customs')).toEqual([
      ...Array.from(
        { length: 20 },
        (_, index) =>
          `ALTERED  guangzhou-customs: entry ${index + 2} of 30: content does not match its hash: the entry was altered`,
      ),
      'ALTERED  guangzhou-customs: and 5 more',
    ]);
    // Twenty breaks are all shown, with no count of more after them.
    expect(altered('ruili-checkpoint')).toEqual(
      Array.from(
        { length: 20 },
        (_, index) =>
          `ALTERED  ruili-checkpoint: entry ${index + 2} of 21: content does not match its hash: the entry was altered`,
      ),
    );
  });
});
