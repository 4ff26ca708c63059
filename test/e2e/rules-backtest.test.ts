import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { seizeRuiliParcel } from '../support/staff.js';
import { rulesTool as rules } from '../support/tools.js';

const SEIZED = 'southwest-freight#SWF7781000123';

/** The default rule set with `edit` applied to its rule-set.yaml, in a folder of its own. */
const candidateRuleSet = (root: string, name: string, edit: (yaml: string) => string): string => {
  const directory = join(root, name);
  cpSync(resolve(REPO_ROOT, 'rules/default'), directory, { recursive: true });
  const file = join(directory, 'rule-set.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return directory;
};

describe('rules backtest on the parcels and outcomes of the embedded stack', () => {
  let stack: EmbeddedStack;
  let scratch: string;

  beforeAll(async () => {
    stack = await startEmbeddedStack();
    scratch = mkdtempSync(join(tmpdir(), 'backtest-'));
    for (const sample of [RUILI_MANIFEST, SHENZHEN_MANIFEST]) {
      expect(
        (await postAsPartner(stack, readSample(sample).partnerId, JSON.stringify(readSample(sample)))).status,
      ).toBe(202);
    }
    await stack.waitForIdle();
    await seizeRuiliParcel(stack.apiUrl);
  });

  afterAll(async () => {
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('finds no change when the candidate is the rule set that decided, and counts the seizure', async () => {
    // Act
    const run = await rules(['backtest', 'rules/default'], stack.toolEnv);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/on 5 parcels decided/);
    expect(run.stdout).toMatch(/0 parcels change lane/);
    expect(run.stdout).toMatch(/outcomes: 1 parcels inspected, 1 seized/);
    expect(run.stdout).toMatch(/seized parcels flagged: {2}recorded 1\/1, candidate 1\/1/);
    expect(run.stdout).toMatch(/^origin-border-town +2 +2 +1 +1 +100\.0 %$/m);
  });

  it('reads a day given to --until as through the end of that day', async () => {
    // Prepare: the parcels were decided today, or on a day before it
    const today = new Date().toISOString().slice(0, 10);

    // Act
    const run = await rules(['backtest', 'rules/default', '--until', today], stack.toolEnv);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/on 5 parcels decided/);
  });

  it('starts the period 30 days before an --until in the past when --since is not given', async () => {
    // Act
    const run = await rules(['backtest', 'rules/default', '--until', '2026-01-01'], stack.toolEnv);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(
      'parcels decided from 2025-12-03T00:00:00.000Z until 2026-01-02T00:00:00.000Z: 0',
    );
  });

  it('reads an --until with a time as that instant, not through the end of its day', async () => {
    // Act
    const run = await rules(
      ['backtest', 'rules/default', '--since', '2026-01-01', '--until', '2026-01-01T12:00:00Z'],
      stack.toolEnv,
    );

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(
      'parcels decided from 2026-01-01T00:00:00.000Z until 2026-01-01T12:00:00.000Z: 0',
    );
  });

  it('names a seizure the candidate would have released, and moves lanes and hits', async () => {
    // Prepare: a candidate without the rules that held the Ruili furniture parcel
    const candidate = candidateRuleSet(scratch, 'lenient', (yaml) =>
      yaml.replaceAll(/^(\s+)score: (\d+)$/gm, (_line, indent) => `${indent}score: 1`),
    );

    // Act
    const run = await rules(['backtest', candidate, '--since', '2026-01-01'], stack.toolEnv);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/seized parcels flagged: {2}recorded 1\/1, candidate 0\/1/);
    expect(run.stdout).toContain(`MISSED seizure ${SEIZED}`);
    expect(run.stdout).toMatch(/recorded hold, candidate release/);
    expect(run.stdout).not.toMatch(/ 0 parcels change lane/);
  });

  it('refuses an invalid candidate (exit 1) and a period that ends before it starts (exit 2)', async () => {
    // Prepare
    const broken = candidateRuleSet(scratch, 'broken', (yaml) =>
      yaml.replace('fact: parcel.route.origin.city', 'fact: parcel.route.origin.town'),
    );

    // Act
    const invalid = await rules(['backtest', broken], stack.toolEnv);
    const backwards = await rules(
      ['backtest', '--since', '2026-12-01', '--until', '2026-11-01'],
      stack.toolEnv,
    );

    const notDays = await Promise.all(
      [
        ['--since', '2026-02-30'],
        ['--until', '2026-06-01T08:00:00'],
      ].map((period) => rules(['backtest', ...period], stack.toolEnv)),
    );

    // Assess
    for (const [run, text] of [
      [notDays[0]!, '--since 2026-02-30'],
      [notDays[1]!, '--until 2026-06-01T08:00:00'],
    ] as const) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `${text} is not a day (YYYY-MM-DD, UTC) or an ISO time with an offset (2026-11-01T08:00:00Z)`,
      );
    }
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/unknown fact parcel\.route\.origin\.town/);
    expect(backwards.code).toBe(2);
    // A day given to --until includes it, and is echoed as given
    expect(backwards.stderr).toContain(
      '--since 2026-12-01 is not before --until 2026-11-01 (through the end of that day)',
    );
  });

  it('refuses a PARTY_KEY_SALT other than the one the recorded parcels were keyed with (exit 2)', async () => {
    // Act
    const run = await rules(['backtest', 'rules/default'], {
      ...stack.toolEnv,
      PARTY_KEY_SALT: 'not-the-deployment-salt-0123456789',
    });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PARTY_KEY_SALT is not the one the recorded parcels were keyed with');
    expect(run.stdout).toBe('');
  });

  it('says which setting is missing, with the usage, without a stack', async () => {
    // Act
    const run = await rules(['backtest'], { DECISIONS_TABLE: '' });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/DECISIONS_TABLE/);
    expect(run.stderr).toMatch(/usage: npm run rules/);
  });
});
