import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { type Document, isMap, isScalar, type Node, parseDocument } from 'yaml';
import { hashWatchlists } from '../core/parties/watchlist-keys.js';
import { RULE_CASE_PARTY_KEY_SALT } from '../core/rules/cases/index.js';
import {
  type CompiledRuleSet,
  compileRuleSet,
  RuleSetError,
  type RuleSetInput,
  type RuleSetIssue,
  type RuleSetSourceFile,
} from '../core/rules/index.js';

/**
 * Reads a rule set directory from disk:
 *   rule-set.yaml (or .yml / .json)   the rule set
 *   lists/<list-name>.yaml            one list per file, named after the list
 *   cases/*.yaml                      test cases (read by the tester alone: readCaseFiles)
 */

const RULE_SET_FILES = ['rule-set.yaml', 'rule-set.yml', 'rule-set.json'];
const DATA_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface RuleSetFiles {
  directory: string;
  input: RuleSetInput;
}

export interface LoadedRuleSet extends RuleSetFiles {
  policy: CompiledRuleSet;
}

const fail = (issue: RuleSetIssue, cause?: unknown): never => {
  throw new RuleSetError([issue], { cause });
};

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    return fail({ file, path: '(root)', reason: `cannot read file: ${(error as Error).message}` }, error);
  }
};

/**
 * What a YAML error at `offset` adds when the text there is a `[` right after a name: mostly a fact path
 * that indexes a list, unquoted in a flow map (`{ fact: parcel.goods[0].hsCode, … }`), where `[` starts a
 * YAML list. Quoted, it would still be refused: fact paths do not index lists.
 */
const indexedPathHint = (text: string, offset: number | undefined): string => {
  if (offset === undefined || text[offset] !== '[') return '';
  const list = /[A-Za-z][A-Za-z0-9.]*$/.exec(text.slice(Math.max(0, offset - 200), offset))?.[0];
  return list === undefined
    ? ''
    : `; a fact path cannot index a list (${list}[…]): use some, every or count over ${list}`;
};

/** Parses YAML or JSON (JSON is YAML) as `yaml`'s `parse` does, keeping the nodes; a syntax error names the file and line. */
const parseData = (file: string, text: string): Document.Parsed => {
  const document = parseDocument(text);
  // One line naming the file, not Node's process warning with its --trace-warnings hint.
  for (const warning of document.warnings)
    process.stderr.write(`${file}: YAML warning: ${warning.message.split('\n')[0]!.replace(/:$/, '')}\n`);
  const [error] = document.errors;
  if (error !== undefined) {
    const reason = error.message.split('\n')[0]!.replace(/:$/, '');
    const hint = indexedPathHint(text, error.pos[0]);
    return fail({ file, path: '(root)', reason: `not valid YAML/JSON: ${reason}${hint}` }, error);
  }
  return document;
};

/** The document's value; one that resolves too many aliases (a "billion laughs") is refused. */
const documentValue = (file: string, document: Document.Parsed): unknown => {
  try {
    return document.toJS();
  } catch (error) {
    return fail({ file, path: '(root)', reason: `not valid YAML/JSON: ${(error as Error).message}` }, error);
  }
};

/** Parses one YAML or JSON file (JSON is YAML); a syntax error names the file and line. */
export const readDataFile = (file: string): RuleSetSourceFile => ({
  file,
  document: documentValue(file, parseData(file, readText(file))),
});

const describeKey = (key: unknown): string => {
  if (key === null || key === undefined) return 'no key';
  if (!isScalar(key)) return 'a map or list';
  const { value } = key;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (value === null) return 'null';
  return `a ${typeof value}`;
};

/**
 * Table keys are text (HS codes, currencies), but YAML reads a plain `0813:` as the number 813 and
 * `9403:` as a number: the key would silently never match. Each key of `tables.<name>.entries` must be
 * a string in the source (quoted, or plain text such as `CNY`); JSON keys always are.
 */
const tableKeyIssues = (file: string, text: string, document: Document.Parsed): RuleSetIssue[] => {
  const tables = isMap(document.contents) ? document.contents.get('tables', true) : undefined;
  if (!isMap(tables)) return [];
  const issues: RuleSetIssue[] = [];
  for (const { key: nameNode, value: table } of tables.items) {
    const entries = isMap(table) ? table.get('entries', true) : undefined;
    if (!isMap(entries)) continue;
    const name = isScalar(nameNode) ? String(nameNode.value) : '?';
    for (const { key } of entries.items) {
      if (isScalar(key) && typeof key.value === 'string') continue;
      const range = (key as Node | null)?.range;
      const source = range === undefined || range === null ? '' : text.slice(range[0], range[1]);
      const written = source.split('\n')[0]!.trim() || '(empty)';
      issues.push({
        file,
        path: `tables.${name}.entries.${written}`,
        reason: `table keys must be quoted strings: ${written} would be read as ${describeKey(key)}`,
      });
    }
  }
  return issues;
};

/** Reads the rule-set file, refusing table keys YAML would not read as text. */
const readRuleSetFile = (file: string): RuleSetSourceFile => {
  const text = readText(file);
  const document = parseData(file, text);
  const issues = tableKeyIssues(file, text, document);
  if (issues.length > 0) throw new RuleSetError(issues);
  return { file, document: documentValue(file, document) };
};

const dataFilesIn = (directory: string): string[] => {
  if (!existsSync(directory)) return [];
  if (!statSync(directory).isDirectory()) {
    return fail({
      file: directory,
      path: '(root)',
      reason: `${basename(directory)} must be a directory of YAML or JSON files, not a file`,
    });
  }
  return readdirSync(directory)
    .filter((name) => DATA_EXTENSIONS.has(extname(name)))
    .sort()
    .map((name) => join(directory, name));
};

export const isRuleSetDirectory = (directory: string): boolean =>
  RULE_SET_FILES.some((name) => existsSync(join(directory, name)));

/** The rule-set file the loader reads in `directory` (the first of rule-set.yaml, .yml, .json), if any. */
export const ruleSetFileIn = (directory: string): string | undefined =>
  RULE_SET_FILES.map((name) => join(directory, name)).find((file) => existsSync(file));

/**
 * What a list file may not say: a name other than its file's, or `hashed`, which the loader sets when it
 * hashes a watchlist's clear values with the deployment's salt. Written in a file, it would take keys
 * made with any salt, which never match.
 */
const listFileIssues = (list: RuleSetSourceFile): RuleSetIssue[] => {
  const document = list.document as { name?: unknown; hashed?: unknown } | null;
  const issues: RuleSetIssue[] = [];
  const name = document?.name;
  const stem = basename(list.file, extname(list.file));
  if (typeof name === 'string' && name !== stem) {
    issues.push({
      file: list.file,
      path: 'name',
      reason: `list ${name} must live in a file named ${name}${extname(list.file)}`,
    });
  }
  for (const field of ['hashed', 'saltProof']) {
    if (document !== null && typeof document === 'object' && Object.hasOwn(document, field)) {
      issues.push({
        file: list.file,
        path: field,
        reason: `${field} is set by the loader when it hashes a watchlist, never in a file: write the clear values and remove it`,
      });
    }
  }
  return issues;
};

/** Reads the rule-set file of a rule set directory alone: no lists, no cases. */
export const readRuleSetFileIn = (directory: string): RuleSetSourceFile => {
  const ruleSetFile = ruleSetFileIn(directory);
  if (ruleSetFile === undefined) {
    return fail({
      file: directory,
      path: '(root)',
      reason: `no ${RULE_SET_FILES.join(' or ')} in this directory`,
    });
  }
  return readRuleSetFile(ruleSetFile);
};

/** What `read` returns, or undefined after adding its issues when it throws a RuleSetError. */
const attempt = <T>(read: () => T, issues: RuleSetIssue[]): T | undefined => {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
};

/**
 * Reads the rule-set file and lists of a rule set directory, without compiling (cases: readCaseFiles).
 * Every file is read before any issue is thrown, so one run names every file that does not parse.
 */
export const readRuleSetDirectory = (directory: string): RuleSetFiles => {
  const issues: RuleSetIssue[] = [];
  const ruleSet = attempt(() => readRuleSetFileIn(directory), issues);
  const lists = dataFilesIn(join(directory, 'lists')).flatMap(
    (file) => attempt(() => readDataFile(file), issues) ?? [],
  );
  issues.push(...lists.flatMap(listFileIssues));
  if (ruleSet === undefined || issues.length > 0) throw new RuleSetError(issues);
  return { directory, input: { ruleSet, lists } };
};

/**
 * The case files under `folder`, at any depth, depth first in name order (`cases/a.yaml`,
 * `cases/b/c.yaml`, `cases/d.yaml`), so an analyst may sort cases into folders and every run reads
 * them in the same order. Dot folders are skipped, as when looking for rule sets, and so are symbolic
 * links to folders (no loops); a folder that cannot be listed is an issue, the others are still read.
 */
const caseFilePaths = (folder: string, issues: RuleSetIssue[]): string[] => {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    issues.push({ file: folder, path: '(root)', reason: `cannot read folder: ${(error as Error).message}` });
    return [];
  }
  return entries
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : caseFilePaths(path, issues);
      return DATA_EXTENSIONS.has(extname(entry.name)) ? [path] : [];
    });
};

/**
 * Reads the case files of a rule set (cases/ and the folders under it), for the tester alone: screening
 * and the other tools never read them, so a broken case file cannot stop a rule set from loading. A file
 * that cannot be read or parsed, or a `cases` that is a file, gives its issues; the others are still read.
 */
export const readCaseFiles = (directory: string): { files: RuleSetSourceFile[]; issues: RuleSetIssue[] } => {
  const issues: RuleSetIssue[] = [];
  const folder = join(directory, 'cases');
  // dataFilesIn says what is wrong with a `cases` that is a file; the walk reads the folders under it.
  const readable = existsSync(folder) && attempt(() => dataFilesIn(folder), issues) !== undefined;
  const paths = readable ? caseFilePaths(folder, issues) : [];
  const files = paths.flatMap((file) => attempt(() => readDataFile(file), issues) ?? []);
  return { files, issues };
};

/** A case file's path in its rule set (`cases/extra/x.yaml`), which names its cases in the tester's output. */
export const caseFileName = (directory: string, file: string): string =>
  relative(directory, file).split(sep).join('/');

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

/** Reads and compiles a rule set directory. */
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

/**
 * Folders never searched for rule sets, besides dot folders (.git, .tmp, .scratch): installed packages
 * and build output, whose copies are not rule sets to check (cdk.out/asset.<hash>/rules/default).
 */
const NEVER_SEARCHED = new Set(['node_modules', 'cdk.out', 'coverage', 'dist']);
/** The folders of a rule set that hold its own files, never another rule set. */
const RULE_SET_PARTS = new Set(['lists', 'cases']);

/**
 * Rule set directories at or at any depth under `root` (e.g. `rules/` → `rules/default`, `rules/team/x`),
 * depth first in name order. Dot folders, node_modules, build output (cdk.out, coverage, dist) and a rule
 * set's lists/ and cases/ are skipped, and so are symbolic links (no loops).
 */
export const findRuleSetDirectories = (root: string): string[] => {
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  const ruleSet = isRuleSetDirectory(root);
  const children = readdirSync(root, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        !entry.name.startsWith('.') &&
        !NEVER_SEARCHED.has(entry.name) &&
        !(ruleSet && RULE_SET_PARTS.has(entry.name)),
    )
    .map((entry) => entry.name)
    .sort();
  return [
    ...(ruleSet ? [root] : []),
    ...children.flatMap((name) => findRuleSetDirectories(join(root, name))),
  ];
};

/**
 * Every rule set at or under `root` (findRuleSetDirectories), watchlists hashed with `partyKeySalt`; the
 * first one that cannot be read stops the reading, named with why: a caller checking something against
 * all of them cannot skip one.
 */
export const readRuleSetsUnder = (
  root: string,
  partyKeySalt: string,
): { ruleSets: RuleSetFiles[] } | { unreadable: string; issues: RuleSetIssue[] } => {
  const ruleSets: RuleSetFiles[] = [];
  for (const directory of findRuleSetDirectories(root)) {
    const issues: RuleSetIssue[] = [];
    const files = attempt(() => readHashedRuleSetDirectory(directory, partyKeySalt), issues);
    if (files === undefined) return { unreadable: directory, issues };
    ruleSets.push(files);
  }
  return { ruleSets };
};
