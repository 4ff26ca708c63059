import { parseArgs } from 'node:util';
import { AppError } from '../../core/app-error.js';
import { RuleSetError } from '../../core/rules/index.js';
import { parseToolArgs } from '../arguments.js';
import { repositoryPath, workFromUserDirectory } from '../user-directory.js';
import {
  EXIT_FAILED,
  EXIT_OK,
  EXIT_UNREACHABLE,
  EXIT_USAGE,
  err,
  out,
  printInvalid,
  ruleSetRead,
  UsageError,
} from './cli-shared.js';
import { explain } from './explain.js';
import { facts } from './facts.js';
import { schema } from './schema.js';
import { test, validate } from './validate-and-test.js';

/**
 * Analyst CLI for rule sets: `npm run rules -- <command>`. Paths are read from the folder npm was run
 * from (user-directory.ts); the defaults (rules/, rules/default) are the repository's.
 * Exit codes: 0 ok, 1 rule set invalid or a case failed, 2 wrong usage or unreadable input, 3 the
 * deployment's tables did not answer (backtest, shadow).
 */

/** Each command: its usage line, then what it does (the lines of `--help`). */
const COMMANDS = {
  validate: [
    'validate [path]',
    'check every rule set at or under path (default rules/); a rule-set file means its directory',
  ],
  test: [
    'test [path]',
    "run every rule set's cases (path as for validate); fails without cases or on a rule no case fires",
  ],
  explain: [
    'explain <parcel-or-facts> [--rule-set dir] [--parcel id] [--with facts] [--json]',
    'evaluate one parcel (or partial facts, or one parcel of a manifest) with a full trace;',
    '--with lays a file of partial history and now over its facts',
  ],
  backtest: [
    'backtest [dir] [--since day] [--until day]',
    'screen the parcels decided in the period again with the rule set in dir',
    '(default rules/default, since 30 days ago, until now) and compare lanes,',
    'rules and inspection outcomes; reads DECISIONS_TABLE, REVIEW_QUEUE_TABLE,',
    'PARTY_KEY_SALT, AWS_REGION (on npm start: ( . .tmp/embedded-stack.env && npm run rules -- backtest ))',
  ],
  shadow: [
    'shadow [--since day] [--until day] [--rule-set dir]',
    'compare what the shadow rule set decided on the parcels of the period',
    '(recorded beside each decision, never acted on) with what was decided and',
    'what inspections found; reads DECISIONS_TABLE, REVIEW_QUEUE_TABLE, AWS_REGION;',
    "--rule-set: the shadow's folder, to list its rules that never fired (reads",
    'PARTY_KEY_SALT too; exit 2 if its version decided no parcel of the period)',
  ],
  schema: ['schema [--out dir]', 'print (or write) the JSON Schemas of rule-set, list and case files'],
  facts: [
    'facts [prefix] [--rule-set dir] [--json]',
    'list every fact a rule can read at or under prefix (e.g. history.address) with its',
    'type, unit, whether it may be missing and its meaning; the derived facts, tallies',
    'and lists of the rule set in dir (default rules/default); prefix list: only the lists',
  ],
} as const;
type Command = keyof typeof COMMANDS;

const HELP_COLUMN = 40;
const USAGE = [
  'usage: npm run rules -- <command>',
  ...Object.values(COMMANDS).flatMap(([synopsis, ...help]) =>
    synopsis.length < HELP_COLUMN
      ? [
          `  ${synopsis.padEnd(HELP_COLUMN)}${help[0]}`,
          ...help.slice(1).map((line) => `${' '.repeat(HELP_COLUMN + 2)}${line}`),
        ]
      : [`  ${synopsis}`, ...help.map((line) => `${' '.repeat(HELP_COLUMN + 2)}${line}`)],
  ),
].join('\n');

const isCommand = (name: string | undefined): name is Command =>
  name !== undefined && Object.hasOwn(COMMANDS, name);

/** What follows an input error instead of the whole usage: the command's usage line, and where the rest is. */
const hintFor = (command: string | undefined): string =>
  isCommand(command)
    ? `usage: npm run rules -- ${COMMANDS[command][0]}  (all commands: npm run rules -- --help)`
    : 'usage: npm run rules -- <command>  (all commands: npm run rules -- --help)';

const OPTIONS = {
  'rule-set': { type: 'string' },
  parcel: { type: 'string' },
  with: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The command named in `argv`, read leniently, for the hint after an error (even one parseArgs threw). */
const commandIn = (argv: string[]): string | undefined =>
  parseArgs({ args: argv, allowPositionals: true, strict: false, options: OPTIONS }).positionals[0];

/** The options each command reads: any other given is refused, not ignored. */
const OPTIONS_OF: Record<Command, readonly (keyof typeof OPTIONS)[]> = {
  validate: [],
  test: [],
  explain: ['rule-set', 'parcel', 'with', 'json'],
  backtest: ['since', 'until'],
  shadow: ['since', 'until', 'rule-set'],
  schema: ['out'],
  facts: ['rule-set', 'json'],
};

/** The commands that take no path, and what to say to one given. */
const NO_PATH: Partial<Record<Command, (given: string) => string>> = {
  shadow: (given) =>
    `shadow takes no folder: the shadow deployed decided, not ${given} (its rules that never fired: --rule-set ${given})`,
  schema: (given) => `schema takes no folder: to write the schemas into ${given}, use --out ${given}`,
};

/**
 * Refuses a path to a command that takes none, a second path, and an option another command reads:
 * each would be silently ignored.
 */
const checkArguments = (
  command: Command,
  argument: string | undefined,
  extra: readonly string[],
  values: Record<string, unknown>,
) => {
  const noPath = NO_PATH[command];
  if (noPath !== undefined && argument !== undefined) throw new UsageError(noPath(argument));
  if (extra.length > 0)
    throw new UsageError(`${command} takes one path at most; also given: ${extra.join(' ')}`);
  const foreign = Object.keys(values).filter(
    (key) =>
      key !== 'help' &&
      values[key] !== undefined &&
      values[key] !== false &&
      !OPTIONS_OF[command].includes(key as keyof typeof OPTIONS),
  );
  if (foreign.length > 0)
    throw new UsageError(`${command} does not take ${foreign.map((key) => `--${key}`).join(', ')}`);
};

const main = async (argv: string[]): Promise<number> => {
  const { positionals, values } = parseToolArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [command, argument, ...extra] = positionals;
  if (values.help) {
    out(USAGE);
    return EXIT_OK;
  }
  if (command === undefined) {
    err(USAGE);
    return EXIT_USAGE;
  }
  if (isCommand(command)) checkArguments(command, argument, extra, values);
  switch (command) {
    case 'validate':
      return validate(argument ?? repositoryPath('rules'));
    case 'test':
      return test(argument ?? repositoryPath('rules'));
    case 'explain':
      if (argument === undefined) throw new UsageError('explain needs a parcel or facts file');
      return explain(argument, ruleSetRead(values['rule-set']), values.parcel, values.json, values.with);
    // Loaded only by the commands that read the deployment's tables: the AWS SDK is a third of the
    // tool's start-up, which validate, test, explain and schema do not need.
    case 'backtest': {
      const { backtest } = await import('./backtest.js');
      return backtest(
        ruleSetRead(argument, 'backtest <dir>'),
        values.since,
        values.until,
        hintFor('backtest'),
      );
    }
    case 'shadow': {
      const { shadow } = await import('./shadow.js');
      return shadow(values.since, values.until, values['rule-set'], hintFor('shadow'));
    }
    case 'schema':
      return schema(values.out);
    case 'facts':
      return facts(argument, ruleSetRead(values['rule-set']), values.json);
    default:
      throw new UsageError(`unknown command ${command}`, true);
  }
};

/** Runs the command `argv` names (the arguments after `npm run rules --`): its exit code. */
export const runRulesCli = async (argv: string[]): Promise<number> => {
  const refused = workFromUserDirectory();
  if (refused !== undefined) {
    err(`${refused}\n${hintFor(commandIn(argv))}`);
    return EXIT_USAGE;
  }
  try {
    return await main(argv);
  } catch (error) {
    if (error instanceof RuleSetError) {
      printInvalid(error);
      return EXIT_FAILED;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const fullUsage = error instanceof UsageError && error.fullUsage;
      err(`${(error as Error).message}\n${fullUsage ? USAGE : hintFor(commandIn(argv))}`);
      return EXIT_USAGE;
    }
    if (error instanceof AppError) {
      // The deployment's tables (backtest, shadow) did not answer: nothing about the rule set.
      err(`${commandIn(argv)} could not read the deployment's tables: ${error.message}`);
      return EXIT_UNREACHABLE;
    }
    throw error;
  }
};
