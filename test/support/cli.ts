import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { format } from 'node:util';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import type { ToolName } from '../../infra/definitions.js';

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
export const runTool = (script: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--import', TOOL_ROLE_CHECK, script, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, INIT_CWD: REPO_ROOT, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

/** The run a write belongs to: what the embedded stack's functions log meanwhile, in this process, is not the tool's. */
const runOfWrite = new AsyncLocalStorage<{ stdout: string; stderr: string }>();

const runAlone = async (
  command: (argv: string[]) => Promise<number>,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun> => {
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture =
    (stream: 'stdout' | 'stderr') =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const captured = runOfWrite.getStore();
      if (captured === undefined)
        return (writes[stream] as (...all: unknown[]) => boolean).call(process[stream], chunk, ...rest);
      captured[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  // The test runner's console does not write to this process's streams: the tool's lines would escape.
  const logs = { log: console.log, error: console.error };
  const overlay = { INIT_CWD: REPO_ROOT, ...env };
  const saved = Object.fromEntries(Object.keys(overlay).map((name) => [name, process.env[name]]));
  const folder = process.cwd();
  Object.assign(process.env, overlay);
  process.stdout.write = capture('stdout') as typeof process.stdout.write;
  process.stderr.write = capture('stderr') as typeof process.stderr.write;
  console.log = (...values: unknown[]) =>
    runOfWrite.getStore() === undefined
      ? logs.log(...values)
      : process.stdout.write(`${format(...values)}\n`);
  console.error = (...values: unknown[]) =>
    runOfWrite.getStore() === undefined
      ? logs.error(...values)
      : process.stderr.write(`${format(...values)}\n`);
  const captured = { stdout: '', stderr: '' };
  try {
    return { code: await runOfWrite.run(captured, () => command(args)), ...captured };
  } catch (error) {
    // As an uncaught error ends a process: exit 1, its stack on stderr.
    return { code: 1, stdout: captured.stdout, stderr: `${captured.stderr}${(error as Error).stack}\n` };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    Object.assign(console, logs);
    process.chdir(folder);
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
};

/** The last run started: runs given at once (Promise.all) wait for the one before, as they swap process state. */
let previousRun: Promise<unknown> = Promise.resolve();

/**
 * Runs a tool's command in this process, as runTool runs its script (INIT_CWD the repository root
 * unless `env` names another, this environment with `env` over it), capturing what it writes and logs:
 * a fraction of a spawn's cost (about 1 s each on 2 busy cores). Without its policy's check: the tests
 * use runToolInProcess (tools.ts), but for a run whose calls the policy would refuse before they are
 * sent. What only a process shows (its exit code as set, output closed early, the folder it is started
 * in) keeps runTool. One runs at a time, the others waiting: each swaps this process's output, folder
 * and environment while it runs.
 */
export const runInProcess = (
  command: (argv: string[]) => Promise<number>,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun> => {
  const run = previousRun.then(() => runAlone(command, args, env));
  previousRun = run.catch(() => undefined);
  return run;
};

/**
 * runInProcess for a tool that calls AWS, under its policy's grants as runTool starts it
 * (tool-grant-check.ts): exit 70 naming a call refused on the stack's own resources. Its clients are
 * built afresh from the run's environment, and closed after it.
 */
export const runToolInProcess = async (
  tool: ToolName,
  command: (argv: string[]) => Promise<number>,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun> => {
  const [{ checkToolCalls, REFUSED_CALL_EXIT }, { forgetClients, TOOL_REQUEST_HANDLER }] = await Promise.all([
    import('./tool-grant-check.js'),
    import('../../functions/platform/clients.js'),
  ]);
  let refused: Error | undefined;
  const run = await runInProcess(
    async (argv) => {
      forgetClients(TOOL_REQUEST_HANDLER);
      const check = checkToolCalls(tool);
      try {
        return await command(argv);
      } finally {
        check.release();
        forgetClients(TOOL_REQUEST_HANDLER);
        refused = check.refusedOnStack();
      }
    },
    args,
    env,
  );
  return refused === undefined
    ? run
    : { ...run, code: REFUSED_CALL_EXIT, stderr: `${run.stderr}${refused.message}\n` };
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
