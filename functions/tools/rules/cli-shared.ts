import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import {
  findRuleSetDirectories,
  isRuleSetDirectory,
  type LoadedRuleSet,
  loadRuleSet,
  ruleSetFileIn,
} from '../../adapters/file-rule-set-source.js';
import { describeExpression } from '../../core/rules/compile-expression.js';
import {
  formatIssue,
  type RuleSetDocument,
  RuleSetDocumentSchema,
  RuleSetError,
} from '../../core/rules/index.js';
import type { Tally } from '../../core/rules/rule-set-schema.js';
import { repositoryPath } from '../user-directory.js';

/** What the rule commands share: exit codes, output, usage errors and finding the rule sets a path names. */

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** The deployment's tables did not answer (backtest, shadow). */
export const EXIT_UNREACHABLE = 3;
export const DAY_MS = 86_400_000;

/** Wrong usage or unreadable input (exit 2): one line (or one line and its list), then a hint, not the whole usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly fullUsage = false,
  ) {
    super(message);
  }
}

export const out = (line = '') => process.stdout.write(`${line}\n`);
export const err = (line: string) => process.stderr.write(`${line}\n`);

/**
 * A rule-set file names its directory when it is the file the loader reads there (not a rule-set.json
 * beside a rule-set.yaml, which the loader would skip); any other file is a usage error.
 */
const directoryOfRuleSetFile = (file: string): string => {
  const directory = dirname(file);
  const read = ruleSetFileIn(directory);
  if (read !== undefined && resolve(read) === resolve(file)) return directory;
  if (read !== undefined && basename(file).startsWith('rule-set.')) {
    throw new UsageError(`${file} is not read: the rule set in ${directory} is ${read}; pass the directory`);
  }
  throw new UsageError(`${file} is a file, not a rule set: pass the directory that holds rule-set.yaml`);
};

/** The one rule set `path` names (explain, backtest): its directory, or the rule-set file in it. */
export const ruleSetDirectory = (path: string, what: string): string => {
  if (!existsSync(path)) throw new UsageError(`${what} ${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) return directoryOfRuleSetFile(path);
  if (!isRuleSetDirectory(path)) throw new UsageError(`${what} ${path}: no rule set (rule-set.yaml) in it`);
  return path;
};

/** The rule set a command reads (`--rule-set`, or `backtest [dir]`), and whether it was given or is the default. */
export interface RuleSetRead {
  /** As given, or the repository's rules/default as the working folder reaches it. */
  path: string;
  /** None was given: the repository's rules/default. */
  isDefault: boolean;
  /** How another is given: `--rule-set <dir>`, or `backtest <dir>`. */
  option: string;
}

export const ruleSetRead = (given: string | undefined, option = '--rule-set <dir>'): RuleSetRead =>
  given === undefined
    ? { path: repositoryPath('rules/default'), isDefault: true, option }
    : { path: given, isDefault: false, option };

/** After a rule set's directory, when it is the default: how to read another (`, the default: --rule-set <dir> reads another`). */
export const defaultNote = (read: RuleSetRead): string =>
  read.isDefault ? `, the default: ${read.option} reads another` : '';

/**
 * The rule set a message about its own names (tallies, derived facts, lists) is about, so that a copy's
 * user is not told of another's silently: `rule set ../../../rules/default, the default: --rule-set
 * <dir> reads another`, or `rule set .` when given.
 */
export const nameRuleSet = (read: RuleSetRead, directory = read.path): string =>
  `rule set ${ruleSetPlace(read, directory)}`;

/** Where a rule set was read from, as nameRuleSet names it without `rule set ` (`.`, or the default with its note). */
export const ruleSetPlace = (read: RuleSetRead, directory = read.path): string =>
  `${directory}${defaultNote(read)}`;

/** Every rule set at or under a directory (validate, test), or the one a rule-set file path names. */
export const ruleSetDirectories = (path: string): string[] => {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) return [directoryOfRuleSetFile(path)];
  const directories = findRuleSetDirectories(path);
  if (directories.length === 0) throw new UsageError(`no rule set (rule-set.yaml) at or under ${path}`);
  return directories;
};

/** What a tally counts, after its window: `, distinct parties.phone`, `, sum of derived.goodsValueCny`, or nothing (parcels). */
const countedBy = ({ distinct, sum }: Tally): string =>
  distinct !== undefined
    ? `, distinct ${distinct}`
    : sum !== undefined
      ? `, sum of ${describeExpression(sum)}`
      : '';

/**
 * A rule set's tallies as validate and explain name them: `consignee-phones (14 days, distinct
 * parties.phone)`, `value-to-address (30 days, sum of derived.goodsValueCny)`, the sum as written (as
 * explain's `its sum … is missing` names it).
 */
export const describeTallies = (document: Pick<RuleSetDocument, 'tallies'>): string =>
  Object.entries(document.tallies ?? {})
    .map(([id, tally]) => `${id} (${tally.days} day${tally.days === 1 ? '' : 's'}${countedBy(tally)})`)
    .join(', ');

/** The document of a rule set that loaded (so the schema takes it), as the schema gives it: tallies, derived facts. */
export const documentOf = (loaded: LoadedRuleSet): RuleSetDocument =>
  RuleSetDocumentSchema.parse(loaded.input.ruleSet.document);

export const printInvalid = (error: RuleSetError): void => {
  err(`rule set invalid: ${error.issues.length} issue(s)`);
  for (const issue of error.issues) err(`  ${formatIssue(issue)}`);
};

/** Loads the rule set in `directory`, or prints why it is invalid and returns undefined. */
export const loadOrReport = (directory: string, partyKeySalt?: string): LoadedRuleSet | undefined => {
  try {
    return loadRuleSet(directory, partyKeySalt);
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    printInvalid(error);
    return undefined;
  }
};
