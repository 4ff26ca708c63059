import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { OUTPUT_CLOSED_EXIT } from '../../functions/tools/tool-process.js';

/** The npm scripts that start a command-line entry taking arguments, with the command that names it in a usage line. */
const ENTRIES: Record<string, string> = {
  rules: 'npm run rules',
  lists: 'npm run lists',
  audit: 'npm run audit',
  redrive: 'npm run redrive',
  partner: 'npm run partner',
  load: 'npm run load',
  token: 'npm run token',
  'contract:schema': 'npm run --silent contract:schema',
  start: 'npm start',
};
/** Scripts that take no arguments: their run is their help. */
const WITHOUT_ARGUMENTS = ['demo', 'bench'];

const scripts = (
  JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;
const entryOf = (script: string): string => /^(?:exec )?tsx (\S+)$/.exec(scripts[script]!)![1]!;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts a script's entry as npm does (tsx on the project's Node) with `args`; with `closeOutput`, the
 * reading end of its stdout is closed before it writes, as `| head` closes it once it has read enough.
 */
const start = (script: string, args: string[], closeOutput = false): Promise<Exit> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entryOf(script), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, INIT_CWD: REPO_ROOT },
      timeout: 30_000,
    });
    let stdout = '';
    let stderr = '';
    if (closeOutput) child.stdout.destroy();
    else child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });

/** `run` on each item, three at a time (each start costs tsx about 2 s of CPU), results in the items' order. */
const inTurns = async <T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  for (let next = 0; next < items.length; next += 3)
    results.push(...(await Promise.all(items.slice(next, next + 3).map(run))));
  return results;
};

describe('the command-line entries of package.json', () => {
  it('are all known here, so that a new one is held to the same behaviour', () => {
    // Prepare
    const started = Object.keys(scripts).filter((script) => /^(?:exec )?tsx /.test(scripts[script]!));
    // Assess
    expect(started.sort()).toEqual([...Object.keys(ENTRIES), ...WITHOUT_ARGUMENTS].sort());
  });

  it('print their usage on stdout for --help, and exit 0', async () => {
    // Act
    const exits = await inTurns(Object.keys(ENTRIES), (script) => start(script, ['--help']));
    // Assess
    expect(exits.map(({ code, stdout, stderr }) => ({ code, usage: stdout.split('\n')[0], stderr }))).toEqual(
      Object.values(ENTRIES).map((command) => ({
        code: 0,
        usage: expect.stringMatching(new RegExp(`^usage: ${command.replace(/[-.]/g, '\\$&')}\\b`)),
        stderr: '',
      })),
    );
  }, 90_000);

  it.each<[string, string[], string]>([
    [
      'rules',
      [
        'explain',
        'events/samples/manifests/southwest-freight-ruili-wuzhou.json',
        '--parcel',
        'A',
        '--parcel',
        'B',
      ],
      '--parcel',
    ],
    ['lists', ['rollback', 'border-origins', '--to', '3', '--to', '2'], '--to'],
    ['redrive', ['--queue', 'referral', '--queue', 'screening'], '--queue'],
    [
      'partner',
      ['rotate', 'pearl-express', '--overlap-hours', '24', '--overlap-hours', '0'],
      '--overlap-hours',
    ],
    ['load', ['--manifests', '1', '--manifests', '2'], '--manifests'],
  ])(
    '%s refuses an option given twice (exit 2), rather than acting on the last',
    async (script, args, option) => {
      // Act
      const exit = await start(script, args);
      // Assess
      expect(exit.code).toBe(2);
      expect(exit.stderr.split('\n')[0]).toBe(`${option} is given 2 times: give it once`);
    },
    30_000,
  );

  it.each<[string, string[], string]>([
    ['load', ['--manifests', '0x10'], '--manifests must be a whole number written in digits, from 1'],
    ['token', ['officer', 'wuzhou', 'nanning'], 'unexpected arguments: nanning'],
  ])(
    '%s refuses an argument it would have misread (exit 2)',
    async (script, args, message) => {
      // Act
      const exit = await start(script, args);
      // Assess
      expect(exit.code).toBe(2);
      expect(exit.stdout).toBe('');
      expect(exit.stderr.split('\n')[0]).toBe(message);
    },
    30_000,
  );

  it('end quietly, not on an unhandled EPIPE, when their output is closed before they write', async () => {
    // Act
    const exits = await inTurns(Object.keys(ENTRIES), (script) => start(script, ['--help'], true));
    // Assess: the exit code the run had set (0, its usage written), or 141 where it had set none yet;
    // never 1 and a stack trace
    expect(exits.map(({ code, stderr }) => ({ code, stderr }))).toEqual(
      Object.keys(ENTRIES).map(() => ({ code: expect.toBeOneOf([0, OUTPUT_CLOSED_EXIT]), stderr: '' })),
    );
  }, 90_000);
});
