import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { forgetClients, TOOL_REQUEST_HANDLER } from '../../functions/platform/clients.js';
import type { ToolName } from '../../infra/definitions.js';
import type { CliRun } from './cli.js';
import { checkToolCalls, REFUSED_CALL_EXIT } from './tool-grant-check.js';

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
  const logTo =
    (stream: 'stdout' | 'stderr', log: (...values: unknown[]) => void) =>
    (...values: unknown[]) =>
      runOfWrite.getStore() === undefined ? log(...values) : process[stream].write(`${format(...values)}\n`);
  console.log = logTo('stdout', logs.log);
  console.error = logTo('stderr', logs.error);
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
 * Runs a tool's command in this process, as runTool (cli.ts) runs its script (INIT_CWD the repository root
 * unless `env` names another, this environment with `env` over it), capturing what it writes and logs:
 * a fraction of a spawn's cost (about 1 s each on 2 busy cores). Without its policy's check: the tests
 * use runToolInProcess (through tools.ts), but for a run whose calls the policy would refuse before they are
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
