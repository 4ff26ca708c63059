import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { writeToolEnvFile } from '../../functions/local/tool-env-file.js';
import type { CliRun } from '../support/cli.js';

/**
 * The operator tools on the stack `npm start` runs, as the README shows: from another shell that knows
 * nothing of the stack but the file `npm start` leaves in .tmp/. The shell gets only PATH and HOME.
 */
const inFreshShell = (script: string, envFile: string): Promise<CliRun> =>
  new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `. "$1" && ${script}`, 'bash', envFile],
      {
        cwd: REPO_ROOT,
        env: { PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}`, HOME: tmpdir() },
        timeout: 30_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });

describe('operator tools on the stack npm start runs', () => {
  let stack: EmbeddedStack;
  let directory: string;
  let envFile: string;

  beforeAll(async () => {
    stack = await startEmbeddedStack();
    directory = mkdtempSync(join(tmpdir(), 'tool-env-'));
    envFile = join(directory, 'embedded-stack.env');
  });

  afterAll(async () => {
    await stack?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('loads the lists and verifies the audit log with nothing but the env file npm start writes', async () => {
    // Prepare
    const loadCommand = writeToolEnvFile(stack.toolEnv, envFile);

    // Act
    const loaded = await inFreshShell('tsx functions/tools/lists-cli.ts load --actor li.na', envFile);
    const verified = await inFreshShell('tsx functions/tools/audit-cli.ts verify', envFile);

    // Assess
    expect(loadCommand).toMatch(/^\. .*embedded-stack\.env$/);
    expect(readFileSync(envFile, 'utf8')).toContain(`export AUDIT_LOG_TABLE='${stack.tables.auditLog}'`);
    expect(loaded).toMatchObject({ code: 0 });
    expect(loaded.stdout).toMatch(/lists load done: 5 published, 0 unchanged/);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toMatch(/ok {7}rules: 5 entries/);
    expect(verified.stdout).toMatch(/audit verify passed: 1 chain intact/);
  });

  it('points a partner at a loopback receiver with nothing but the env file, which carries no flag for it', async () => {
    // Prepare
    writeToolEnvFile(stack.toolEnv, envFile);
    const hook = 'http://127.0.0.1:4101/hook';

    // Act
    const run = await inFreshShell(
      `tsx functions/tools/partner.ts callback southwest-freight --url ${hook}`,
      envFile,
    );

    // Assess
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toContain(`southwest-freight: referrals posted to ${hook}`);
    expect(readFileSync(envFile, 'utf8')).not.toContain('REFERRAL_ALLOW_HTTP');
  });

  it.each([
    ['audit verify', 'tsx functions/tools/audit-cli.ts verify', /audit verify could not read the log/],
    [
      'partner rotate',
      'tsx functions/tools/partner.ts rotate southwest-freight',
      /rotation failed: DEPENDENCY_UNAVAILABLE/,
    ],
  ])(
    '%s says its table could not be read (exit 3), not that something is wrong with it, when the table is unreachable',
    async (_, script, said) => {
      // Prepare: the settings of a stack that has stopped (nothing listens on its port)
      const stale = join(directory, 'stale.env');
      writeToolEnvFile({ ...stack.toolEnv, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' }, stale);

      // Act
      const run = await inFreshShell(script, stale);

      // Assess
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(said);
      expect(run.stdout).not.toMatch(/ALTERED|FAILED/);
    },
  );

  it.each([
    ['AWS_ENDPOINT_URL_DYNAMODB', 'tsx functions/tools/lists-cli.ts load --actor li.na'],
    ['AWS_ENDPOINT_URL_S3', 'tsx functions/tools/audit-cli.ts verify'],
    ['AWS_ENDPOINT_URL', 'tsx functions/tools/redrive.ts --queue screening'],
  ])(
    'names a malformed %s as a setting to fix (exit 2), not as AWS not answering (3)',
    async (variable, script) => {
      // Prepare
      const malformed = join(directory, 'malformed.env');
      writeToolEnvFile({ ...stack.toolEnv, [variable]: 'notaurl' }, malformed);

      // Act
      const run = await inFreshShell(script, malformed);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${variable}: Invalid URL`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it.each([
    ['audit verify', 'tsx functions/tools/audit-cli.ts verify', 'AUDIT_LOG_TABLE'],
    ['lists load', 'tsx functions/tools/lists-cli.ts load --actor li.na', 'LISTS_TABLE'],
    ['redrive', 'tsx functions/tools/redrive.ts --queue screening', 'AWS_REGION'],
    ['partner rotate', 'tsx functions/tools/partner.ts rotate southwest-freight', 'PARTNERS_TABLE'],
    ['rules backtest', 'tsx functions/tools/rules-cli.ts backtest', 'DECISIONS_TABLE'],
    ['rules shadow', 'tsx functions/tools/rules-cli.ts shadow', 'DECISIONS_TABLE'],
  ])(
    '%s without its settings names what is missing and exits 2, not with a stack trace',
    async (_, script, missing) => {
      // Act
      const run = await inFreshShell(script, '/dev/null');

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(missing);
      expect(run.stderr).toContain('( . .tmp/embedded-stack.env && npm run … )');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
