import { relative, resolve } from 'node:path';
import { REPO_ROOT } from '../local/repo-root.js';
import { loadConfig, UserDirectoryConfigSchema } from '../platform/config.js';

/**
 * `npm run` runs every script in the package root and names the folder it was run from in INIT_CWD.
 * The tools an analyst or operator gives paths to (rules, lists) work from that folder, so that
 * `npm run rules -- validate rule-set.yaml` typed in rules/default means rules/default/rule-set.yaml,
 * and every path they print is the path as typed. What they read from the repository on purpose (its
 * rules/, the offices file) they name from REPO_ROOT, never from the working folder.
 *
 * Returns why the tool cannot work from that folder (exit 2), or undefined once it does.
 */
export const workFromUserDirectory = (): string | undefined => {
  const directory = loadConfig(UserDirectoryConfigSchema).INIT_CWD;
  if (directory === undefined || directory === '') return undefined;
  try {
    process.chdir(directory);
    return undefined;
  } catch (error) {
    return `INIT_CWD ${directory} (the folder npm was run from): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}: paths cannot be read from it`;
  }
};

/** A path in the repository (a default such as rules/default), as the working folder reaches it. */
export const repositoryPath = (path: string): string =>
  relative(process.cwd(), resolve(REPO_ROOT, path)) || '.';
