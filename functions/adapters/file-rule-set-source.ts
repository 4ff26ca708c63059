import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse } from 'yaml';
import { hashWatchlists } from '../core/parties/watchlist-keys.js';
import {
  type CompiledRuleSet,
  compileRuleSet,
  RULE_CASE_PARTY_KEY_SALT,
  RuleSetError,
  type RuleSetInput,
  type RuleSetIssue,
  type RuleSetSourceFile,
} from '../core/rules/index.js';

/**
 * Reads a rule set directory from disk:
 *   rule-set.yaml (or .yml / .json)   the rule set
 *   lists/<list-name>.yaml            one list per file, named after the list
 *   cases/*.yaml                      test cases (read by the tester, never by screening)
 */

const RULE_SET_FILES = ['rule-set.yaml', 'rule-set.yml', 'rule-set.json'];
const DATA_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface RuleSetFiles {
  directory: string;
  input: RuleSetInput;
  cases: RuleSetSourceFile[];
}

export interface LoadedRuleSet extends RuleSetFiles {
  policy: CompiledRuleSet;
}

const fail = (issue: RuleSetIssue, cause?: unknown): never => {
  throw new RuleSetError([issue], { cause });
};

/** Parses one YAML or JSON file (JSON is YAML); a syntax error names the file and line. */
export const readDataFile = (file: string): RuleSetSourceFile => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail({ file, path: '(root)', reason: `cannot read file: ${(error as Error).message}` }, error);
  }
  try {
    return { file, document: parse(text) as unknown };
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] ?? 'invalid YAML';
    return fail({ file, path: '(root)', reason: `not valid YAML/JSON: ${reason}` }, error);
  }
};

const dataFilesIn = (directory: string): string[] =>
  existsSync(directory)
    ? readdirSync(directory)
        .filter((name) => DATA_EXTENSIONS.has(extname(name)))
        .sort()
        .map((name) => join(directory, name))
    : [];

export const isRuleSetDirectory = (directory: string): boolean =>
  RULE_SET_FILES.some((name) => existsSync(join(directory, name)));

/** Reads every file of a rule set directory, without compiling. */
export const readRuleSetDirectory = (directory: string): RuleSetFiles => {
  const ruleSetFile = RULE_SET_FILES.map((name) => join(directory, name)).find((file) => existsSync(file));
  if (ruleSetFile === undefined) {
    return fail({
      file: directory,
      path: '(root)',
      reason: `no ${RULE_SET_FILES.join(' or ')} in this directory`,
    });
  }
  const lists = dataFilesIn(join(directory, 'lists')).map(readDataFile);
  const mismatched: RuleSetIssue[] = lists.flatMap((list) => {
    const name = (list.document as { name?: unknown } | null)?.name;
    const stem = basename(list.file, extname(list.file));
    return typeof name === 'string' && name !== stem
      ? [
          {
            file: list.file,
            path: 'name',
            reason: `list ${name} must live in a file named ${name}${extname(list.file)}`,
          },
        ]
      : [];
  });
  if (mismatched.length > 0) throw new RuleSetError(mismatched);
  return {
    directory,
    input: { ruleSet: readDataFile(ruleSetFile), lists },
    cases: dataFilesIn(join(directory, 'cases')).map(readDataFile),
  };
};

/**
 * Reads a rule set directory with its watchlists hashed with `partyKeySalt` (docs/parties-and-history.md,
 * lists and watchlists). The tools and tests default to the rule-case salt, which their cases' party
 * keys are derived with; the screen function and `npm run lists` pass the deployment's.
 */
export const readHashedRuleSetDirectory = (
  directory: string,
  partyKeySalt: string = RULE_CASE_PARTY_KEY_SALT,
): RuleSetFiles => {
  const files = readRuleSetDirectory(directory);
  return { ...files, input: { ...files.input, lists: hashWatchlists(files.input.lists, partyKeySalt) } };
};

/** Reads and compiles a rule set directory, keeping its cases for the tester. */
export const loadRuleSet = (
  directory: string,
  partyKeySalt: string = RULE_CASE_PARTY_KEY_SALT,
): LoadedRuleSet => {
  const files = readHashedRuleSetDirectory(directory, partyKeySalt);
  return { ...files, policy: compileRuleSet(files.input) };
};

/** The compiled rule set of one directory, from its files only. */
export const loadRuleSetFromDirectory = (
  directory: string,
  partyKeySalt: string = RULE_CASE_PARTY_KEY_SALT,
): CompiledRuleSet => loadRuleSet(directory, partyKeySalt).policy;

/** Rule set directories at or directly under `root` (e.g. `rules/` → `rules/default`). */
export const findRuleSetDirectories = (root: string): string[] => {
  if (isRuleSetDirectory(root)) return [root];
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .map((name) => join(root, name))
    .filter((path) => statSync(path).isDirectory() && isRuleSetDirectory(path));
};
