import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { OUTPUT_CLOSED_EXIT } from '../../functions/tools/tool-process.js';

/** `npm run demo`, the README's first command, as a newcomer runs it (the script npm runs). */
describe('npm run demo', () => {
  it('screens the sample manifests and prints the flagged queue the README shows', async () => {
    // Prepare: the README's example block, after "npm run demo prints … e.g."
    const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
    const example = readme.split('`npm run demo` prints')[1]!.split('```')[1]!;
    const shown = example
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== '');
    // Act
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'functions/local/demo.ts'],
        { cwd: REPO_ROOT, env: process.env, timeout: 90_000 },
        (error, out) => done({ code: error ? Number(error.code ?? 1) : 0, stdout: out }),
      );
    });
    // Assess
    expect(code).toBe(0);
    const printed = stdout.split('\n').map((line) => line.trimEnd());
    expect(shown.length).toBeGreaterThan(5);
    for (const line of shown) expect(printed).toContain(line);
    const [, screened, flagged] = /(\d+) parcels screened, (\d+) flagged/.exec(stdout) ?? [];
    const parcelLines = printed.filter((line) => /^ {2}\S+ {2}score \d/.test(line));
    expect(Number(flagged)).toBe(parcelLines.length);
    expect(Number(screened)).toBeGreaterThan(Number(flagged));
    expect(stdout).toMatch(
      /^AWS calls: [1-9]\d* by ingest, notify, screen, each within its function's IAM grants \(infra\/grants\.ts\)$/m,
    );
  }, 120_000);

  it('stops quietly, with 141 as a closed pipe stops a process, when its output is closed early (`| head -1`)', async () => {
    // Act: read its first line, then close the pipe while it still has the queue to print
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/demo.ts'], {
        cwd: REPO_ROOT,
        env: process.env,
        timeout: 90_000,
      });
      let errors = '';
      child.stdout.once('data', () => child.stdout.destroy());
      child.stderr.on('data', (chunk) => (errors += chunk));
      child.on('error', fail);
      child.on('close', (exitCode) => done({ code: exitCode, stderr: errors }));
    });
    // Assess: no unhandled EPIPE and its stack trace, and not 0: the demo did not finish its checks
    expect({ code, stderr }).toEqual({ code: OUTPUT_CLOSED_EXIT, stderr: '' });
  }, 120_000);
});
