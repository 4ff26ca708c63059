import { execFile } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';

/** Checks an operator tool's AWS calls against its policy's grants (tool-role-check.ts). */
const TOOL_ROLE_CHECK = resolvePath(import.meta.dirname, 'tool-role-check.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool as `npm run <tool>` does (tsx on the project's Node), under its IAM policy's grants
 * (tool-role-check.ts), with this process's environment:
 * after startEmbeddedStack, that points it at the embedded stack. Asynchronous, so the stack keeps serving.
 * As npm run in the repository root, unless `env` names another INIT_CWD (the folder npm was run from,
 * which the tools read paths from): not the one npm set for this test run.
 */
export const runTool = (
  script: string,
  args: string[],
  env: Record<string, string> = {},
  /** false: with any credentials, not its policy's (how the tool answers what a policy would refuse first). */
  { underPolicy = true }: { underPolicy?: boolean } = {},
): Promise<CliRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', ...(underPolicy ? ['--import', TOOL_ROLE_CHECK] : []), script, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, INIT_CWD: REPO_ROOT, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

/**
 * Runs a tool's command in this process, as runTool runs its script (INIT_CWD the repository root
 * unless `env` names another, this environment with `env` over it), capturing what it writes: a
 * fraction of a spawn's cost, for the many tests of a tool's files-only commands. What only a process
 * shows (its exit code as set, output closed early) and the AWS calls checked against its policy keep
 * runTool. Nothing may run beside it: it swaps this process's output, folder and environment while it runs.
 */
export const runInProcess = async (
  command: (argv: string[]) => Promise<number>,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun> => {
  const captured = { stdout: '', stderr: '' };
  const capture =
    (stream: 'stdout' | 'stderr') =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  const overlay = { INIT_CWD: REPO_ROOT, ...env };
  const saved = Object.fromEntries(Object.keys(overlay).map((name) => [name, process.env[name]]));
  const folder = process.cwd();
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  Object.assign(process.env, overlay);
  process.stdout.write = capture('stdout') as typeof process.stdout.write;
  process.stderr.write = capture('stderr') as typeof process.stderr.write;
  try {
    return { code: await command(args), ...captured };
  } catch (error) {
    // As an uncaught error ends a process: exit 1, its stack on stderr.
    return { code: 1, stdout: captured.stdout, stderr: `${captured.stderr}${(error as Error).stack}\n` };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.chdir(folder);
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
};

/** Polls until `condition` holds, or fails after `timeoutMs`. */
export const waitUntil = async (
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
};
