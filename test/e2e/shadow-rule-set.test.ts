import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidedMonthOf } from '../../functions/adapters/decided-month.js';
import { loadRuleSet } from '../../functions/adapters/file-rule-set-source.js';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { expectEffectivelyOnce } from '../support/effects.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { seizeRuiliParcel } from '../support/staff.js';
import { rulesTool as rules } from '../support/tools.js';

const RUILI_PARCEL = 'southwest-freight#SWF7781000123';

const PREPAID_RULE = `
  - id: prepaid
    title: Prepaid
    owner: risk-analytics
    severity: low
    score: 100
    reason: paid in advance
    when: { fact: parcel.paymentMethod, eq: prepaid }
`;

describe('a shadow rule set on the embedded stack', () => {
  let stack: EmbeddedStack;
  let scratch: string;
  let candidate: string;
  const started = new Date().toISOString();

  beforeAll(async () => {
    // The candidate: the default rule set with every score 1, so it would release what the default holds,
    // and a rule of its own that would hold every prepaid parcel, which the default releases
    scratch = mkdtempSync(join(tmpdir(), 'shadow-'));
    candidate = join(scratch, 'lenient');
    cpSync(resolve(REPO_ROOT, 'rules/default'), candidate, { recursive: true });
    const file = join(candidate, 'rule-set.yaml');
    const lenient = readFileSync(file, 'utf8').replaceAll(/^(\s+)score: \d+$/gm, '$1score: 1');
    writeFileSync(file, lenient.replace('\nlanes:', `${PREPAID_RULE}\nlanes:`));
    stack = await startEmbeddedStack({ env: { SHADOW_RULES_DIR: candidate } });
  });

  afterAll(async () => {
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('records what the shadow decided beside every decision, and acts only on the active rule set', async () => {
    // Act
    for (const sample of [RUILI_MANIFEST, SHENZHEN_MANIFEST]) {
      const manifest = readSample(sample);
      expect((await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest))).status).toBe(202);
    }
    await stack.waitForIdle();

    // Assess
    const decisions = await scanAll(stack.db, stack.tables.decisions);
    expect(decisions).toHaveLength(5);
    for (const decision of decisions) {
      const fired = decision.firedRules.map((rule: { ruleId: string }) => rule.ruleId);
      const prepaid = decision.facts.parcel.paymentMethod === 'prepaid';
      expect(decision.shadow).toMatchObject({
        ruleSetId: 'default',
        ruleSetVersion: expect.not.stringMatching(decision.ruleSetVersion),
        firedRuleIds: prepaid ? [...fired, 'prepaid'] : fired,
      });
      // The shadow's own rule and stricter lane reach nothing: not the decision, not its effects
      expect(fired).not.toContain('prepaid');
      if (prepaid) expect(decision.shadow.lane).not.toBe('release');
    }
    const ruili = decisions.find((decision) => decision.pk === RUILI_PARCEL)!;
    expect(ruili).toMatchObject({ lane: 'hold', shadow: { lane: 'release', score: 7 } });
    const queued = await scanAll(stack.db, stack.tables.reviewQueue);
    const held = decisions.filter((decision) => decision.lane !== 'release').map((decision) => decision.pk);
    expect(queued.map((item) => item.pk).sort()).toEqual(held.sort());
    expect(decisions.filter((decision) => decision.lane === 'release')).not.toHaveLength(0);
    await expectEffectivelyOnce(stack, 5);
  });

  it('reports, per shadow version, the lanes, the seizures it would have missed and its rules', async () => {
    // Prepare: the Ruili parcel held by the active rule set, inspected and seized
    await seizeRuiliParcel(stack.apiUrl);

    // Act
    const run = await rules(['shadow', '--since', started], stack.toolEnv);
    const misused = await rules(['shadow', 'rules/default'], stack.toolEnv);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/: 5, 0 without a shadow decision$/m);
    expect(run.stdout).toMatch(/^shadow default \(sha256:[0-9a-f]{16}\) on 5 parcels decided /m);
    expect(run.stdout).toContain(`MISSED seizure ${RUILI_PARCEL}`);
    // Worded for the shadow, where a backtest says candidate
    expect(run.stdout).toMatch(/seized parcels flagged: {2}recorded 1\/1, shadow 0\/1/);
    expect(run.stdout).toMatch(/^lanes, recorded \(rows\) → shadow \(columns\); /m);
    expect(run.stdout).toMatch(/^rules +recorded +shadow +inspected +seized +seized\/inspected$/m);
    expect(run.stdout).toMatch(/: recorded hold, shadow release$/m);
    expect(run.stdout).not.toContain('candidate');
    // Without the shadow's folder, one line says how to list its rules that never fired
    expect(run.stdout.split('\n').filter((line) => line.includes('never fired'))).toEqual([
      'rules that never fired are listed with --rule-set <folder>',
    ]);
    // The seized parcel fired origin-border-town under the shadow too, but the shadow would release it:
    // no inspection of the shadow's rules, as the rule statistics count only parcels a rule set flags
    expect(run.stdout).toMatch(/^origin-border-town +2 +2 +0 +0 +–$/m);
    // Without the folder's salt, the recorded versions' rules are not known: the shadow's own rule shows 0
    expect(run.stdout).toMatch(/^prepaid +0 +[1-9]\d* +/m);
    expect(run.stdout).not.toContain('new: in none');
    expect(misused.code).toBe(2);
    expect(misused.stderr).toContain(
      'shadow takes no folder: the shadow deployed decided, not rules/default (its rules that never fired: --rule-set rules/default)',
    );
  });

  it('reports the shadow versions in the order they first decided', async () => {
    // Prepare: an earlier shadow version, which decided one parcel before the deployed one decided any
    const decisions = await scanAll(stack.db, stack.tables.decisions);
    const deployed = decisions[0]!.shadow.ruleSetVersion as string;
    const parcelKey = 'southwest-freight#SWF-EARLIER-SHADOW';
    const decidedAt = new Date(Date.parse(started) + 1).toISOString();
    await stack.db.send(
      new PutCommand({
        TableName: stack.tables.decisions,
        Item: {
          ...decisions[0],
          pk: parcelKey,
          parcelKey,
          decidedAt,
          decidedMonth: decidedMonthOf(parcelKey, decidedAt),
          shadow: { ...decisions[0]!.shadow, ruleSetVersion: 'sha256:0000000000000000' },
        },
      }),
    );

    // Act
    const run = await rules(['shadow', '--since', started], stack.toolEnv);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const headings = run.stdout.split('\n').filter((line) => line.startsWith('shadow default ('));
    expect(headings.map((line) => line.slice('shadow default ('.length, line.indexOf(')')))).toEqual([
      'sha256:0000000000000000',
      deployed,
    ]);
  });

  it("lists, with the shadow's folder, its enabled rules that never fired, under the report of its version", async () => {
    // Prepare: the folder as the deployment loaded it, and the rules its version fired on the period's parcels
    const { policy } = loadRuleSet(candidate, stack.toolEnv.PARTY_KEY_SALT);
    const decisions = await scanAll(stack.db, stack.tables.decisions);
    const fired = new Set(
      decisions
        .filter((decision) => decision.shadow?.ruleSetVersion === policy.version)
        .flatMap((decision) => decision.shadow.firedRuleIds as string[]),
    );
    const neverFired = policy.enabledRuleIds.filter((ruleId) => !fired.has(ruleId));

    // Act
    const run = await rules(['shadow', '--since', started, '--rule-set', candidate], stack.toolEnv);

    // Assess: listed in rule-set order, after the report of the folder's version, not the earlier one's
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(neverFired.length).toBeGreaterThan(0);
    expect(neverFired).not.toContain('prepaid');
    const lines = run.stdout.split('\n');
    const heading = lines.indexOf(
      `shadow rules that never fired (${neverFired.length} of ${policy.enabledRuleIds.length} enabled):`,
    );
    expect(heading).toBeGreaterThan(
      lines.findIndex((line) => line.startsWith(`shadow default (${policy.version})`)),
    );
    expect(lines.slice(heading + 1, heading + 1 + neverFired.length)).toEqual(
      neverFired.map((ruleId) => `  ${ruleId}`),
    );
    expect(lines[heading + 1 + neverFired.length] ?? '').not.toMatch(/^ {2}\S/);
    expect(run.stdout).not.toContain('--rule-set <folder>');
    // The shadow's own rule, which no recorded version (rules/default) had, is new there, not a recorded 0;
    // a rule the recorded version had keeps its count
    expect(run.stdout).toMatch(/^prepaid +new +[1-9]\d* +/m);
    expect(run.stdout).toMatch(/^origin-border-town +2 +2 +/m);
    expect(run.stdout).toContain(
      'new: in none of the recorded rule set versions, so it could not fire when the parcels were decided',
    );
    // Under that version's report only, not the earlier version's
    expect(
      lines.filter((line) => /^(shadow rules that never fired|every enabled rule)/.test(line)),
    ).toHaveLength(1);
  });

  it('says which versions decided, and exits 2, when the folder holds no shadow version of the period', async () => {
    // Prepare: the active rule set's folder, not the shadow's
    const active = resolve(REPO_ROOT, 'rules/default');
    const { version } = loadRuleSet(active, stack.toolEnv.PARTY_KEY_SALT).policy;
    const deployed = loadRuleSet(candidate, stack.toolEnv.PARTY_KEY_SALT).policy.version;

    // Act
    const run = await rules(['shadow', '--since', started, '--rule-set', 'rules/default'], stack.toolEnv);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `--rule-set rules/default is version ${version}, which decided no parcel from `,
    );
    expect(run.stderr).toContain(
      `the shadow decided with sha256:0000000000000000 (1 parcel), ${deployed} (5 parcels)`,
    );
    expect(run.stderr).toContain('usage: npm run rules -- shadow ');
  });

  it('names a rule that fired only as recorded among those that never fired, and says when every rule fired', async () => {
    // Prepare: two more versions of the shadow's folder (a title changed), each with a parcel of its own
    // that fired every enabled rule under the one, and all but one the recorded decision fired under the other
    const decisions = await scanAll(stack.db, stack.tables.decisions);
    const ruili = decisions.find((decision) => decision.pk === RUILI_PARCEL)!;
    const firedOnlyAsRecorded = ruili.firedRules[0].ruleId as string;
    const versionOf = (title: string) => {
      const folder = join(scratch, title);
      cpSync(candidate, folder, { recursive: true });
      const file = join(folder, 'rule-set.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('title: Prepaid', `title: ${title}`));
      return { folder, policy: loadRuleSet(folder, stack.toolEnv.PARTY_KEY_SALT).policy };
    };
    const everyFired = versionOf('every-fired');
    const oneNot = versionOf('one-not');
    const decidedBy = async (index: number, version: string, firedRuleIds: readonly string[]) => {
      const parcelKey = `southwest-freight#SWF-SHADOW-${index}`;
      const decidedAt = new Date(Date.parse(started) + index).toISOString();
      await stack.db.send(
        new PutCommand({
          TableName: stack.tables.decisions,
          Item: {
            ...ruili,
            pk: parcelKey,
            parcelKey,
            decidedAt,
            decidedMonth: decidedMonthOf(parcelKey, decidedAt),
            shadow: { ...ruili.shadow, ruleSetVersion: version, firedRuleIds },
          },
        }),
      );
    };
    await decidedBy(2, everyFired.policy.version, everyFired.policy.enabledRuleIds);
    const allButOne = oneNot.policy.enabledRuleIds.filter((ruleId) => ruleId !== firedOnlyAsRecorded);
    await decidedBy(3, oneNot.policy.version, allButOne);

    // Act
    const shadowOf = (folder: string) =>
      rules(['shadow', '--since', started, '--rule-set', folder], stack.toolEnv);
    const all = await shadowOf(everyFired.folder);
    const some = await shadowOf(oneNot.folder);

    // Assess
    expect(
      new Set([everyFired.policy.version, oneNot.policy.version, ruili.shadow.ruleSetVersion]).size,
    ).toBe(3);
    expect(oneNot.policy.enabledRuleIds).toContain(firedOnlyAsRecorded);
    // From the one line on the rules that never fired to the end of the report of the folder's version
    const listed = (run: typeof all) => {
      const lines = run.stdout.split('\n');
      const at = lines.findIndex((line) => /^(shadow rules that never fired|every enabled rule)/.test(line));
      const end = lines.findIndex((line, index) => index > at && line.startsWith('shadow default ('));
      return lines.slice(at, end === -1 ? undefined : end).filter((line) => line !== '');
    };
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(listed(all)).toEqual([
      `every enabled rule of the shadow fired (${everyFired.policy.enabledRuleIds.length})`,
    ]);
    expect(some).toMatchObject({ code: 0, stderr: '' });
    expect(listed(some)).toEqual([
      `shadow rules that never fired (1 of ${oneNot.policy.enabledRuleIds.length} enabled):`,
      `  ${firedOnlyAsRecorded}`,
    ]);
  });
});
