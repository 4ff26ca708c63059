import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../functions/core/audit/audit-chain.js';
import { findDevUser } from '../../functions/local/dev-issuer.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { runAuditCli } from '../../functions/tools/audit-cli.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { runInProcess } from '../support/in-process.js';
import { asStaff, SEIZURE, tokenFor } from '../support/staff.js';
import { auditTool as audit } from '../support/tools.js';

const PARCEL = 'SWF7781000123';
const PARCEL_KEY = `southwest-freight#${PARCEL}`;
const PARCEL_PATH = `/v1/inspections/southwest-freight/${PARCEL}`;

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

describe('npm run audit -- show on the embedded stack', () => {
  let stack: EmbeddedStack;
  const officer = findDevUser('officer', 'wuzhou');
  let actedSince: string;

  beforeAll(async () => {
    stack = await startEmbeddedStack();
    const manifest = readSample(RUILI_MANIFEST);
    expect((await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest))).status).toBe(202);
    await stack.waitForIdle();
    actedSince = new Date().toISOString();
    const wuzhou = await tokenFor('officer', 'wuzhou');
    expect((await asStaff(stack.apiUrl, wuzhou, 'POST', `${PARCEL_PATH}/claim`)).status).toBe(200);
    expect((await asStaff(stack.apiUrl, wuzhou, 'POST', `${PARCEL_PATH}/outcome`, SEIZURE)).status).toBe(200);
    await stack.waitForIdle();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("prints the parcel's claim and outcome, who made them and as what, each intact, and how many matched", async () => {
    // Prepare: show reads the log alone, without the anchors' bucket verify needs
    const env = { ...stack.toolEnv, AUDIT_ANCHOR_BUCKET: '' };
    const read = (await scanAll(stack.db, stack.tables.auditLog)).length;

    // Act
    const run = await audit(['show', '--parcel', PARCEL], env);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [claim, outcome, footer, ...rest] = lines(run.stdout);
    expect(rest).toEqual([]);
    const actor = `${officer.sub} \\(wuzhou, officer\\)`;
    expect(claim).toMatch(
      new RegExp(
        `^ok {7}#1 \\S+Z wuzhou-customs ${actor} claim ${PARCEL_KEY} \\{"status":"open"\\} → \\{.*"status":"open".*\\} request \\S+$`,
      ),
    );
    expect(outcome).toMatch(
      new RegExp(
        `^ok {7}#2 \\S+Z wuzhou-customs ${actor} outcome ${PARCEL_KEY} \\{.*\\} → \\{.*"seized".*\\} request \\S+$`,
      ),
    );
    expect(footer).toBe(
      `audit show: 2 of ${read} entries matched, each intact in its chain (npm run audit -- verify also holds the chains to their anchors)`,
    );
    // The officer by the user name the console shows, or the city office above theirs (as a grant of it
    // covers the offices under it), lists the same entries as their staff id and their own office
    const byName = await audit(['show', '--parcel', PARCEL, '--actor', 'wuzhou'], env);
    expect(byName).toMatchObject({ code: 0, stdout: run.stdout });
    const byCity = await audit(['show', '--parcel', PARCEL, '--chain', 'wuzhou'], env);
    expect(byCity).toMatchObject({ code: 0, stdout: run.stdout });
    const byRegion = await audit(['show', '--chain', 'guangdong', '--parcel', PARCEL], env);
    expect(byRegion.stdout).toMatch(/^audit show: 0 of \d+ entries matched/);
  });

  it('combines the filters, and prints one JSON object a line with --json, the count on stderr', async () => {
    // Act
    const run = await audit(
      [
        'show',
        '--json',
        '--parcel',
        PARCEL_KEY,
        '--actor',
        officer.sub,
        '--chain',
        'wuzhou-customs',
        '--since',
        actedSince,
      ],
      stack.toolEnv,
    );
    const nobody = await audit(['show', '--parcel', PARCEL, '--until', actedSince], stack.toolEnv);

    // Assess
    expect(run.code).toBe(0);
    const entries = lines(run.stdout).map((line) => JSON.parse(line) as AuditEntry & { altered: boolean });
    expect(
      entries.map(({ action, target, actorName, altered }) => ({ action, target, actorName, altered })),
    ).toEqual([
      { action: 'claim', target: PARCEL_KEY, actorName: 'wuzhou', altered: false },
      { action: 'outcome', target: PARCEL_KEY, actorName: 'wuzhou', altered: false },
    ]);
    expect(run.stderr).toMatch(/^audit show: 2 of \d+ entries matched, each intact in its chain/);
    expect(nobody).toMatchObject({ code: 0, stderr: '' });
    expect(nobody.stdout).toMatch(
      /^audit show: 0 of \d+ entries matched \(filters match exactly, case included: .*\)\n$/,
    );
  });

  it.each([
    [['show', '--since', 'yesterday'], /^--since yesterday is not an instant/],
    [['show', '--until', '2026-11-29T10:00:00'], /^--until 2026-11-29T10:00:00 is not an instant/],
    [['show', '--parcel', PARCEL, '--parcel', 'SWF7781000124'], /^--parcel is given 2 times/],
    [['show', '--office', 'wuzhou-customs'], /'--office'/],
    [['show', PARCEL], new RegExp(`'${PARCEL}'`)],
    [
      ['show', '--chain', 'wuzhou-custom'],
      /^--chain wuzhou-custom is no chain of this log: the chains are rules, operations and the offices of rules\/reference\/offices.yaml; did you mean wuzhou-customs\?/,
    ],
  ])('refuses %j with exit 2, naming the argument, then the usage', async (args, named) => {
    // Act
    const run = await audit(args, stack.toolEnv);

    // Assess
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(named);
    expect(run.stderr).toMatch(
      /\nusage: npm run audit -- verify \| anchor \| show \[--chain <office\|city\|region\|rules\|operations>\]/,
    );
  });

  it('names a missing table setting with exit 2, and a log it cannot read with exit 3', async () => {
    // Act
    const unset = await audit(['show'], { ...stack.toolEnv, AUDIT_LOG_TABLE: '' });
    const unreachable = await runInProcess(runAuditCli, ['show'], {
      ...stack.toolEnv,
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
    });

    // Assess
    expect(unset).toMatchObject({ code: 2, stdout: '' });
    expect(unset.stderr).toContain('AUDIT_LOG_TABLE');
    expect(unreachable).toMatchObject({ code: 3, stdout: '' });
    expect(unreachable.stderr).toMatch(/^audit show could not read the log: /);
  });

  it('marks an entry altered in the table, prints the others as intact, and exits 1', async () => {
    // Prepare: a writer of the table rewrites who claimed the parcel
    const entries = (await scanAll(stack.db, stack.tables.auditLog)) as AuditEntry[];
    const claim = entries.find((entry) => entry.target === PARCEL_KEY && entry.action === 'claim')!;
    await stack.db.send(
      new PutCommand({ TableName: stack.tables.auditLog, Item: { ...claim, actorName: 'someone\u001b[2K' } }),
    );

    // Act
    const run = await audit(['show', '--parcel', PARCEL], stack.toolEnv);
    const json = await audit(['show', '--parcel', PARCEL, '--json'], stack.toolEnv);

    // Assess
    expect(run.code).toBe(1);
    const [altered, outcome, footer] = lines(run.stdout);
    expect(altered).toMatch(
      /^ALTERED {2}#1 \S+ wuzhou-customs \S+ \(someone\\u\{1b\}\[2K, officer\) claim .* \(content does not match its hash: the entry was altered\)$/,
    );
    expect(outcome).toMatch(/^ok {7}#2 /);
    expect(footer).toMatch(/^audit show FAILED: 2 of \d+ entries matched, 1 ALTERED/);
    expect(json.code).toBe(1);
    expect(lines(json.stdout).map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        action: 'claim',
        altered: true,
        problems: [expect.stringMatching(/altered/)],
      }),
      expect.objectContaining({ action: 'outcome', altered: false }),
    ]);
  });
});
