import type { parseArgs } from 'node:util';
import { DynamoDbAuditLog } from '../adapters/dynamodb-audit-log.js';
import { DynamoDbListStore } from '../adapters/dynamodb-list-store.js';
import { loadRuleSet, readRuleSetsUnder } from '../adapters/file-rule-set-source.js';
import { systemClock } from '../adapters/system-clock.js';
import {
  formatIssue,
  type ListDocument,
  ListDocumentSchema,
  RuleSetError,
  type RuleSetIssue,
} from '../core/rules/index.js';
import type {
  ListPublication,
  PublishListsDeps,
  RuleSetRefusal,
  RuleSetToCheck,
} from '../operations/list-publication.js';
import { makePublishLists, type PublishListsResult } from '../operations/publish-lists.js';
import { makeRollbackList, type RollbackListResult } from '../operations/rollback-list.js';
import { getDocumentClient, TOOL_REQUEST_HANDLER } from '../platform/clients.js';
import { type ListsToolConfig, ListsToolConfigSchema } from '../platform/config.js';
import { parseToolArgs, positiveWholeNumber } from './arguments.js';
import { ruleSetDirectory } from './rules/cli-shared.js';
import { toolActor } from './tool-actor.js';
import { toolConfigOrUsage } from './tool-config.js';
import { runAsTool } from './tool-process.js';
import { repositoryPath, workFromUserDirectory } from './user-directory.js';

/**
 * `npm run lists -- load [--rule-set rules/default] [--actor name]`: publishes every list of a rule set
 * to the lists table named by LISTS_TABLE (a deployed table with the usual AWS credentials, or the
 * embedded stack's: `npm start` writes its settings to .tmp/embedded-stack.env), watchlists hashed with
 * PARTY_KEY_SALT, and records each list it stores in the audit log (AUDIT_LOG_TABLE, chain `rules`).
 * `npm run lists -- rollback <list> --to <version>` publishes a stored version's content again as the
 * newest version. Both first compile every rule set under the repository's rules/ that declares a list
 * they publish with that list in place of its file: the table is keyed by list name, so a list reaches
 * every rule set of that name. Running screen functions read the newest versions within LIST_REFRESH_SECONDS.
 * `--rule-set` is read from the folder npm was run from (user-directory.ts); its default and the rules/
 * checked are the repository's.
 * Exit code 0 done (or unchanged), 1 refused with nothing written, 2 usage or configuration, 3 refused
 * after some lists were written, or the table or the audit log failed (the output names what was written).
 */

const USAGE = `usage: npm run lists -- load [--rule-set rules/default] [--actor name]
       npm run lists -- rollback <list-name> --to <version> [--actor name]
  (reads LISTS_TABLE, AUDIT_LOG_TABLE, PARTY_KEY_SALT, AWS_REGION; the actor defaults to $USER, else the account name)`;

const EXIT_OK = 0;
const EXIT_REFUSED = 1;
const EXIT_USAGE = 2;
const EXIT_PARTLY_WRITTEN = 3;
/** The table or the audit log failed: what was written, if anything, is said (3, as a partial write). */
const EXIT_UNREACHABLE = 3;

/** The repository's rule sets, wherever the tool is run from (shown relative to the working folder). */
const rulesRoot = (): string => repositoryPath('rules');

const describePublication = (publication: ListPublication): string => {
  const was =
    publication.previousVersion === undefined ? '' : ` (published: v${publication.previousVersion})`;
  switch (publication.outcome) {
    case 'published':
      return `published ${publication.name} v${publication.version}${was}`;
    case 'unchanged':
      return `unchanged ${publication.name} v${publication.version}`;
    case 'withheld':
      return `not written ${publication.name} v${publication.version}: ${publication.reason ?? 'the load was refused'}`;
    case 'refused':
      return `REFUSED   ${publication.name} v${publication.version}: ${publication.reason ?? 'refused'}`;
    case 'uncertain':
      return `FAILED    ${publication.name} v${publication.version}, which may be written: ${publication.reason ?? 'failed'}`;
  }
};

const describeRuleSetRefusal = ({ ruleSet, issue }: RuleSetRefusal): string =>
  `REFUSED   by rule set ${ruleSet}: ${formatIssue(issue)}`;

const namesOf = (publications: readonly ListPublication[]): string =>
  publications.map((publication) => `${publication.name} v${publication.version}`).join(', ');

/** The closing line of a load and its exit code: what was written and what was refused, exactly. */
const loadSummary = (result: PublishListsResult): { line: string; code: number } => {
  const written = result.publications.filter((publication) => publication.outcome === 'published');
  const unchanged = result.publications.length - written.length;
  if (result.interrupted !== undefined) {
    const { name, version, reason } = result.interrupted;
    return {
      line: `lists load FAILED at ${name} v${version} (${reason}); written before it: ${namesOf(written) || 'nothing'}; run it again: what is stored is then recorded`,
      code: EXIT_PARTLY_WRITTEN,
    };
  }
  if (result.ok)
    return {
      line: `lists load done: ${written.length} published, ${unchanged} unchanged`,
      code: EXIT_OK,
    };
  if (written.length === 0) return { line: 'lists load REFUSED: nothing was written', code: EXIT_REFUSED };
  const refused = result.publications.filter((publication) => publication.outcome === 'refused');
  return {
    line: `lists load REFUSED after writing ${namesOf(written)} (in force within LIST_REFRESH_SECONDS); refused: ${namesOf(refused)}`,
    code: EXIT_PARTLY_WRITTEN,
  };
};

const describeRollback = (result: RollbackListResult): string => {
  switch (result.outcome) {
    case 'rolled-back':
      return `rolled back ${result.name}: v${result.version} republishes v${result.to} (replacing v${result.from})`;
    case 'unchanged':
      return `unchanged ${result.name} v${result.version}: it already republishes v${result.to} (replacing v${result.from})`;
    case 'refused':
      return `REFUSED   ${result.name} rollback to v${result.to}: ${result.reason}`;
  }
};

const OPTIONS = {
  'rule-set': { type: 'string' },
  actor: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type CommandLine = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;

const parseCommandLine = (argv: string[]): CommandLine | undefined => {
  try {
    return parseToolArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error((error as Error).message);
    return undefined;
  }
};

const printIssues = (issues: readonly RuleSetIssue[]): void => {
  for (const issue of issues) console.error(formatIssue(issue));
};

/** The lists of the rule set in `directory`, hashed, after it compiles with them; undefined when it does not. */
const listsOfRuleSet = (directory: string, salt: string): ListDocument[] | undefined => {
  try {
    return loadRuleSet(directory, salt).input.lists.map((source) =>
      ListDocumentSchema.parse(source.document),
    );
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    printIssues(error.issues);
    return undefined;
  }
};

/**
 * Every rule set under the repository's rules/, watchlists hashed with the deployment's salt; undefined,
 * after printing why, when one cannot be read: it might use the lists and could not be checked.
 */
const ruleSetsToCheck = (salt: string): RuleSetToCheck[] | undefined => {
  const read = readRuleSetsUnder(rulesRoot(), salt);
  if ('ruleSets' in read) return read.ruleSets;
  console.error(`rule set ${read.unreadable} cannot be read, so the lists cannot be checked against it:`);
  printIssues(read.issues);
  return undefined;
};

const load = async (
  parsed: CommandLine,
  config: ListsToolConfig,
  deps: () => PublishListsDeps,
  actor: string,
): Promise<number> => {
  let directory: string;
  try {
    directory = ruleSetDirectory(parsed.values['rule-set'] ?? repositoryPath('rules/default'), '--rule-set');
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const lists = listsOfRuleSet(directory, config.PARTY_KEY_SALT);
  if (lists === undefined) return EXIT_REFUSED;
  const ruleSets = ruleSetsToCheck(config.PARTY_KEY_SALT);
  if (ruleSets === undefined) return EXIT_REFUSED;
  let result: PublishListsResult;
  try {
    result = await makePublishLists(deps())({ lists, actor, ruleSets });
  } catch (error) {
    // Reading what is published failed, before anything was written.
    console.error(`lists load FAILED before writing anything: ${(error as Error).message}`);
    return EXIT_UNREACHABLE;
  }
  for (const publication of result.publications) console.log(describePublication(publication));
  for (const refusal of result.ruleSetIssues) console.log(describeRuleSetRefusal(refusal));
  for (const warning of result.warnings) console.error(warning);
  const summary = loadSummary(result);
  console.log(summary.line);
  return summary.code;
};

const rollback = async (
  name: string,
  to: number,
  config: ListsToolConfig,
  deps: () => PublishListsDeps,
  actor: string,
): Promise<number> => {
  const ruleSets = ruleSetsToCheck(config.PARTY_KEY_SALT);
  if (ruleSets === undefined) return EXIT_REFUSED;
  let result: RollbackListResult;
  try {
    result = await makeRollbackList(deps())({ name, to, actor, ruleSets });
  } catch (error) {
    console.error(
      `lists rollback FAILED: ${(error as Error).message}; ${name} may have been republished: run it again, it then says so`,
    );
    return EXIT_UNREACHABLE;
  }
  console.log(describeRollback(result));
  if (result.outcome !== 'refused') {
    if (result.warning !== undefined) console.error(result.warning);
    return EXIT_OK;
  }
  for (const refusal of result.ruleSetIssues) console.log(describeRuleSetRefusal(refusal));
  console.log('lists rollback REFUSED: nothing was written');
  return EXIT_REFUSED;
};

/** The command and its arguments, or why the command line is not one of the usages. */
const commandOf = (parsed: CommandLine) => {
  const [command, ...rest] = parsed.positionals;
  if (command === 'load') {
    if (rest.length > 0)
      return { refused: `load takes no list name; also given: ${rest.join(' ')}` } as const;
    if (parsed.values.to !== undefined) return { refused: '--to is for rollback' } as const;
    return { command } as const;
  }
  if (command !== 'rollback')
    return { refused: command === undefined ? 'load or rollback?' : `unknown command ${command}` } as const;
  if (rest.length !== 1) return { refused: 'rollback takes one list name' } as const;
  if (parsed.values['rule-set'] !== undefined) return { refused: '--rule-set is for load' } as const;
  const written = parsed.values.to;
  const to = written === undefined ? undefined : positiveWholeNumber(written);
  if (to === undefined)
    return {
      refused: `--to needs a version, a whole number from 1${written === undefined ? '' : `, not ${JSON.stringify(written)}`}`,
    } as const;
  return { command, name: rest[0]!, to } as const;
};

/** Runs the command `argv` names (the arguments after `npm run lists --`): its exit code. */
export const runListsCli = async (argv: string[]): Promise<number> => {
  const refused = workFromUserDirectory();
  if (refused !== undefined) {
    console.error(`${refused}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const parsed = parseCommandLine(argv);
  if (parsed === undefined) {
    console.error(USAGE);
    return EXIT_USAGE;
  }
  if (parsed.values.help === true) {
    console.log(USAGE);
    return EXIT_OK;
  }
  const command = commandOf(parsed);
  if ('refused' in command) {
    console.error(`${command.refused}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const config = toolConfigOrUsage(ListsToolConfigSchema, USAGE);
  if (config === undefined) return EXIT_USAGE;
  const actor = toolActor(parsed.values.actor, config.USER);
  if (actor instanceof Error) {
    console.error(`${actor.message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const deps = (): PublishListsDeps => {
    const db = getDocumentClient(TOOL_REQUEST_HANDLER);
    return {
      lists: new DynamoDbListStore(db, config.LISTS_TABLE),
      auditLog: new DynamoDbAuditLog(db, config.AUDIT_LOG_TABLE),
      clock: systemClock,
    };
  };
  return command.command === 'load'
    ? load(parsed, config, deps, actor)
    : rollback(command.name, command.to, config, deps, actor);
};

if (import.meta.main) await runAsTool(runListsCli);
