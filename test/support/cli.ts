import { execFile } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { REPO_ROOT } from '../../functions/local/repo-root.js';

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
