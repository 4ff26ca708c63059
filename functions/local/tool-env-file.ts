import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

/**
 * Where `npm start` leaves the environment that points the operator tools at the stack it runs: dynalite
 * and fauxqs listen on ports picked at start, so no fixed setting could. Under `.tmp/`, which git ignores.
 * One file per checkout, so a second stack takes it over while it runs and hands it back when it stops;
 * a stack removes only a file it wrote (the owner is its pid, in the file), and each running stack keeps
 * a copy under `.tmp/stacks/` for the hand-back.
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

/** Where each running stack keeps its own copy, `<pid>.env` beside the file: what a hand-back restores. */
const copiesOf = (file: string): string => join(dirname(file), 'stacks');
const copyOf = (file: string, pid: number): string => join(copiesOf(file), `${pid}.env`);

/** The newest copy of a stack still running, other than this one's: who the file goes back to. */
const newestOtherLiveCopy = (file: string): string | undefined => {
  let names: string[];
  try {
    names = readdirSync(copiesOf(file));
  } catch {
    return undefined;
  }
  const live = names
    .map((name) => ({ path: join(copiesOf(file), name), pid: Number(/^(\d+)\.env$/.exec(name)?.[1]) }))
    .filter(({ pid }) => Number.isInteger(pid) && pid !== process.pid)
    .filter(({ path, pid }) => {
      if (isAlive(pid)) return true;
      rmSync(path, { force: true }); // a stack that died without removing its copy
      return false;
    })
    .map(({ path }) => ({ path, at: statSync(path).mtimeMs }));
  return live.sort((a, b) => b.at - a.at)[0]?.path;
};

/** Writes the file, and this stack's copy of it; returns the command that loads it, relative to the repository root. */
export const writeToolEnvFile = (env: Record<string, string>, file = TOOL_ENV_FILE): string => {
  const text = renderToolEnv(env);
  mkdirSync(copiesOf(file), { recursive: true });
  writeFileSync(copyOf(file, process.pid), text, { mode: 0o600 });
  writeFileSync(file, text, { mode: 0o600 });
  return `. ${relative(REPO_ROOT, file)}`;
};

/**
 * Removes this stack's copy, and the file when this stack wrote it: given back to the newest other stack
 * still running, if any (however many took it over in turn), else removed. A file another stack wrote
 * since is left to that stack.
 */
export const removeToolEnvFile = (file = TOOL_ENV_FILE): void => {
  rmSync(copyOf(file, process.pid), { force: true });
  if (ownerOf(readIfThere(file)) !== process.pid) return;
  const other = newestOtherLiveCopy(file);
  if (other === undefined) rmSync(file, { force: true });
  else writeFileSync(file, readFileSync(other, 'utf8'), { mode: 0o600 });
};
