import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

/**
 * Where `npm start` leaves the environment that points the operator tools at the stack it runs: dynalite
 * and fauxqs listen on ports picked at start, so no fixed setting could. Under `.tmp/`, which git ignores.
 */
export const TOOL_ENV_FILE = resolve(REPO_ROOT, '.tmp/embedded-stack.env');

const shellQuoted = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** `export NAME='value'` lines, for `. .tmp/embedded-stack.env` in a POSIX shell. */
export const renderToolEnv = (env: Record<string, string>): string =>
  [
    '# Written by `npm start` for the embedded stack it runs, and removed when it stops.',
    ...Object.keys(env)
      .sort()
      .map((name) => `export ${name}=${shellQuoted(env[name]!)}`),
    '',
  ].join('\n');

/** Writes the file; returns the command that loads it, relative to the repository root. */
export const writeToolEnvFile = (env: Record<string, string>, file = TOOL_ENV_FILE): string => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderToolEnv(env), { mode: 0o600 });
  return `. ${relative(REPO_ROOT, file)}`;
};

export const removeToolEnvFile = (file = TOOL_ENV_FILE): void => rmSync(file, { force: true });
