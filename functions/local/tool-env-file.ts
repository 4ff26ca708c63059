import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

/**
 * Where `npm start` leaves the environment that points the operator tools at the stack it runs: dynalite
 * and fauxqs listen on ports picked at start, so no fixed setting could. Under `.tmp/`, which git ignores.
 * One file per checkout, so a second stack takes it over while it runs and hands it back when it stops;
 * a stack removes only a file it wrote (the owner is its pid, in the file).
 */
export const TOOL_ENV_FILE = resolve(REPO_ROOT, '.tmp/embedded-stack.env');

const OWNER_LINE = /^# stack pid (\d+)$/m;

const shellQuoted = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** `export NAME='value'` lines, for `. .tmp/embedded-stack.env` in a POSIX shell. */
export const renderToolEnv = (env: Record<string, string>, pid = process.pid): string =>
  [
    '# Written by `npm start` for the embedded stack it runs, and removed when it stops.',
    `# stack pid ${pid}`,
    ...Object.keys(env)
      .sort()
      .map((name) => `export ${name}=${shellQuoted(env[name]!)}`),
    '',
  ].join('\n');

const readIfThere = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const ownerOf = (text: string | undefined): number | undefined => {
  const pid = text === undefined ? undefined : OWNER_LINE.exec(text)?.[1];
  return pid === undefined ? undefined : Number(pid);
};

/** The pid of another stack, still running, that wrote the file; undefined when none does. */
export const otherLiveStackOf = (file = TOOL_ENV_FILE): number | undefined => {
  const owner = ownerOf(readIfThere(file));
  return owner !== undefined && owner !== process.pid && isAlive(owner) ? owner : undefined;
};

/** What each file held for another live stack when this process took it over, to hand back on removal. */
const handBack = new Map<string, string>();

/** Writes the file; returns the command that loads it, relative to the repository root. */
export const writeToolEnvFile = (env: Record<string, string>, file = TOOL_ENV_FILE): string => {
  const earlier = readIfThere(file);
  if (otherLiveStackOf(file) !== undefined) handBack.set(file, earlier!);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderToolEnv(env), { mode: 0o600 });
  return `. ${relative(REPO_ROOT, file)}`;
};

/**
 * Removes the file this process wrote, or gives it back to the stack it took it from if that one still
 * runs. A file another stack wrote since is left to that stack.
 */
export const removeToolEnvFile = (file = TOOL_ENV_FILE): void => {
  if (ownerOf(readIfThere(file)) !== process.pid) return;
  const earlier = handBack.get(file);
  handBack.delete(file);
  const earlierOwner = ownerOf(earlier);
  if (earlier !== undefined && earlierOwner !== undefined && isAlive(earlierOwner))
    writeFileSync(file, earlier, { mode: 0o600 });
  else rmSync(file, { force: true });
};
