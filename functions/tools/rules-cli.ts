import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toInputIssues } from '../../events/input-issues.js';
import { type Manifest, ManifestSchema } from '../../events/manifest-v1.js';
import { DynamoDbPastParcels } from '../adapters/dynamodb-past-parcels.js';
import {
  findRuleSetDirectories,
  isRuleSetDirectory,
  type LoadedRuleSet,
  loadRuleSet,
  readDataFile,
  ruleSetFileIn,
} from '../adapters/file-rule-set-source.js';
import { formatBacktest, startBacktest } from '../core/backtest/backtest.js';
import {
  type ConditionTrace,
  factsFromInput,
  factsFromManifest,
  factsInputProblems,
  formatIssue,
  RuleSetError,
  ruleSetJsonSchemas,
  runCases,
  type TracedEvaluation,
} from '../core/rules/index.js';
import type { ScreeningFacts } from '../core/screening/facts.js';
import { getDocumentClient, TOOL_REQUEST_HANDLER } from '../platform/clients.js';
import { BacktestToolConfigSchema } from '../platform/config.js';
import { toolConfigOrUsage } from './tool-config.js';

/**
 * Analyst CLI for rule sets: `npm run rules -- <command>`.
 * Exit codes: 0 ok, 1 rule set invalid or a case failed, 2 wrong usage or unreadable input.
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
    'explain <parcel-or-facts> [--rule-set dir] [--parcel id] [--json]',
    'evaluate one parcel (or partial facts, or one parcel of a manifest) with a full trace',
  ],
  backtest: [
    'backtest [dir] [--since day] [--until day]',
    'screen the parcels decided in the period again with the rule set in dir',
    '(default rules/default, since 30 days ago, until now) and compare lanes,',
    'rules and inspection outcomes; reads DECISIONS_TABLE, REVIEW_QUEUE_TABLE,',
    'PARTY_KEY_SALT, AWS_REGION (. .tmp/embedded-stack.env on npm start)',
  ],
  schema: ['schema [--out dir]', 'print (or write) the JSON Schemas of rule-set, list and case files'],
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

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const DAY_MS = 86_400_000;

/** Wrong usage or unreadable input (exit 2): one line (or one line and its list), then a hint, not the whole usage. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly fullUsage = false,
  ) {
    super(message);
  }
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

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
const ruleSetDirectory = (path: string, what: string): string => {
  if (!existsSync(path)) throw new UsageError(`${what} ${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) return directoryOfRuleSetFile(path);
  if (!isRuleSetDirectory(path)) throw new UsageError(`${what} ${path}: no rule set (rule-set.yaml) in it`);
  return path;
};

/** Every rule set at or under a directory (validate, test), or the one a rule-set file path names. */
const ruleSetDirectories = (path: string): string[] => {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) return [directoryOfRuleSetFile(path)];
  const directories = findRuleSetDirectories(path);
  if (directories.length === 0) throw new UsageError(`no rule set (rule-set.yaml) at or under ${path}`);
  return directories;
};

const printInvalid = (error: RuleSetError): void => {
  err(`rule set invalid: ${error.issues.length} issue(s)`);
  for (const issue of error.issues) err(`  ${formatIssue(issue)}`);
};

/** Loads the rule set in `directory`, or prints why it is invalid and returns undefined. */
const loadOrReport = (directory: string, partyKeySalt?: string): LoadedRuleSet | undefined => {
  try {
    return loadRuleSet(directory, partyKeySalt);
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    printInvalid(error);
    return undefined;
  }
};

/** Checks every rule set under `path`, an invalid one not stopping the others; fails if any is invalid. */
const validate = (path: string): number => {
  let failed = false;
  for (const directory of ruleSetDirectories(path)) {
    const loaded = loadOrReport(directory);
    if (loaded === undefined) {
      failed = true;
      continue;
    }
    const { policy, input } = loaded;
    out(
      `ok  ${directory}: ${policy.id} ${policy.label} (${policy.version}), ${policy.ruleIds.length} rules, ${input.lists.length} lists`,
    );
    // Valid, so a hard hit may name a disabled rule (disabling stays a one-line change); it forces nothing.
    const { lanes } = input.ruleSet.document as { lanes: { hardHits?: { rule: string; lane: string }[] } };
    (lanes.hardHits ?? []).forEach((hit, i) => {
      if (!policy.enabledRuleIds.includes(hit.rule)) {
        err(
          `warn ${input.ruleSet.file}: lanes.hardHits[${i}] names disabled rule ${hit.rule}; it forces ${hit.lane} only once the rule is enabled`,
        );
      }
    });
    for (const list of input.lists) {
      const { name, expires } = list.document as { name: string; expires?: string };
      if (expires === undefined) continue;
      const left = Date.parse(expires) - Date.now();
      if (left <= 0)
        err(`warn ${list.file}: list ${name} expired on ${expires}; rules using it no longer match`);
      else if (left < 30 * DAY_MS) err(`warn ${list.file}: list ${name} expires on ${expires}`);
    }
  }
  return failed ? EXIT_FAILED : EXIT_OK;
};

const test = (path: string): number => {
  let failed = false;
  for (const directory of ruleSetDirectories(path)) {
    const loaded = loadOrReport(directory);
    if (loaded === undefined) {
      failed = true;
      continue;
    }
    const { policy, cases } = loaded;
    out(`${directory}: ${policy.id} ${policy.label} (${policy.version})`);
    let report: ReturnType<typeof runCases>;
    try {
      report = runCases(policy, cases);
    } catch (error) {
      // A malformed case file fails this rule set; the others are still run and reported.
      if (!(error instanceof RuleSetError)) throw error;
      printInvalid(error);
      failed = true;
      continue;
    }
    for (const result of report.results) {
      out(`  ${result.passed ? 'pass' : 'FAIL'}  ${result.name}  → ${result.lane} (${result.score})`);
      for (const failure of result.failures) out(`          ${result.file}: ${failure}`);
    }
    for (const problem of report.problems) out(`  FAIL  ${problem}`);
    if (report.unfiredRules.length > 0) out(`  FAIL  rules no case fires: ${report.unfiredRules.join(', ')}`);
    const passed = report.results.filter((result) => result.passed).length;
    out(
      `  ${passed}/${report.results.length} cases passed, ${policy.enabledRuleIds.length - report.unfiredRules.length}/${policy.enabledRuleIds.length} rules fired by a case`,
    );
    failed ||= !report.passed;
  }
  return failed ? EXIT_FAILED : EXIT_OK;
};

/** The parcel or facts file, or a usage error saying why it cannot be read (not an invalid rule set). */
const readInputFile = (file: string): unknown => {
  try {
    return readDataFile(file).document;
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    throw new UsageError(error.issues.map(formatIssue).join('\n'));
  }
};

const factsOf = (file: string, parcelId: string | undefined): ScreeningFacts => {
  const document = readInputFile(file);
  const isManifest =
    document !== null && typeof document === 'object' && Array.isArray((document as Manifest).parcels);
  if (!isManifest) {
    if (parcelId !== undefined) {
      throw new UsageError(
        `--parcel ${parcelId} picks a parcel of a manifest, but ${file} is one parcel or facts (it has no parcels list): leave out --parcel`,
      );
    }
    const facts = factsFromInput(document);
    const problems = factsInputProblems(document, facts);
    if (problems.length > 0) {
      throw new UsageError(
        `${file} cannot be explained as written:\n${problems.map((line) => `  ${line}`).join('\n')}`,
      );
    }
    return facts;
  }
  const parsed = ManifestSchema.safeParse(document);
  if (!parsed.success) {
    const issues = toInputIssues(parsed.error).map(({ path, message }) => `  ${path}: ${message}`);
    throw new UsageError(`${file} is not a valid manifest:\n${issues.join('\n')}`);
  }
  const manifest = parsed.data;
  const facts = parcelId === undefined ? undefined : factsFromManifest(manifest, parcelId);
  if (facts === undefined) {
    const ids = manifest.parcels.map((parcel) => parcel.parcelId).join(', ');
    throw new UsageError(
      parcelId === undefined
        ? `${file} is a manifest: pick a parcel with --parcel (${ids})`
        : `${file} has no parcel ${parcelId}: its parcels are ${ids}`,
    );
  }
  return facts;
};

const show = (value: unknown): string => JSON.stringify(value ?? null);

const printCondition = (trace: ConditionTrace, indent: string): void => {
  const mark = trace.result === 'true' ? '✓' : trace.result === 'false' ? '✗' : '?';
  if (
    trace.children === undefined &&
    trace.elements === undefined &&
    trace.op !== 'some' &&
    trace.op !== 'every' &&
    trace.op !== 'none'
  ) {
    const note = trace.note === undefined ? '' : `  (${trace.note})`;
    out(`${indent}${mark} ${trace.fact} = ${show(trace.actual)}  ${trace.op} ${show(trace.expected)}${note}`);
    return;
  }
  const over = trace.fact === undefined ? '' : ` ${trace.fact}`;
  out(`${indent}${mark} ${trace.op}${over}${trace.note === undefined ? '' : `  (${trace.note})`}`);
  for (const child of trace.children ?? []) printCondition(child, `${indent}    `);
  (trace.elements ?? []).forEach((element, i) => {
    out(`${indent}    [${i}]`);
    printCondition(element, `${indent}        `);
  });
};

const printEvaluation = (evaluation: TracedEvaluation): void => {
  out(`rule set ${evaluation.ruleSetId} ${evaluation.ruleSetVersion}`);
  out(`lane ${evaluation.lane}, score ${evaluation.score}`);
  out('fired:');
  for (const rule of evaluation.firedRules) {
    out(
      `  ${rule.ruleId} (+${rule.score}${rule.lane === undefined ? '' : `, forces ${rule.lane}`}): ${rule.reason}`,
    );
  }
  if (evaluation.trace === undefined) return;
  out('derived facts:');
  for (const [name, value] of Object.entries(evaluation.trace.derived)) out(`  ${name} = ${show(value)}`);
  out(`trace (✓ true, ✗ false, ? missing) at ${evaluation.trace.now}:`);
  for (const rule of evaluation.trace.rules) {
    out(`  ${rule.ruleId}: ${rule.status}`);
    if (rule.condition !== undefined) printCondition(rule.condition, '    ');
  }
};

const explain = (file: string, ruleSet: string, parcelId: string | undefined, json: boolean): number => {
  const { policy } = loadRuleSet(ruleSetDirectory(ruleSet, '--rule-set'));
  const evaluation = policy.evaluate(factsOf(file, parcelId), { trace: true });
  if (json) out(JSON.stringify(evaluation, null, 2));
  else printEvaluation(evaluation);
  return EXIT_OK;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A day (2026-11-01, UTC) or an instant, as the ISO text decisions are stamped with. A day given to
 * `--until` includes that day: the period ends at the start of the next.
 */
const instantOf = (text: string, option: 'since' | 'until'): string => {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`--${option} ${text} is not a day (YYYY-MM-DD) or an ISO time`);
  return new Date(option === 'until' && DAY.test(text) ? ms + DAY_MS : ms).toISOString();
};

const backtest = async (
  directory: string,
  since: string | undefined,
  until: string | undefined,
): Promise<number> => {
  const ruleSet = ruleSetDirectory(directory, 'backtest');
  const config = toolConfigOrUsage(BacktestToolConfigSchema, hintFor('backtest'));
  if (config === undefined) return EXIT_USAGE;
  const candidate = loadOrReport(ruleSet, config.PARTY_KEY_SALT);
  if (candidate === undefined) return EXIT_FAILED;
  const to = until === undefined ? new Date().toISOString() : instantOf(until, 'until');
  const from =
    since === undefined ? new Date(Date.parse(to) - 30 * DAY_MS).toISOString() : instantOf(since, 'since');
  if (from >= to) throw new UsageError(`--since ${from} is not before --until ${to}`);
  const past = new DynamoDbPastParcels(
    getDocumentClient(TOOL_REQUEST_HANDLER),
    config.DECISIONS_TABLE,
    config.REVIEW_QUEUE_TABLE,
  );
  const run = startBacktest(candidate.policy);
  for await (const parcels of past.decidedBetween(from, to)) for (const parcel of parcels) run.add(parcel);
  const report = run.finish();
  out(`parcels decided from ${from} until ${to}: ${report.parcels}`);
  for (const line of formatBacktest(report, candidate.policy)) out(line);
  return EXIT_OK;
};

const schema = (outDir: string | undefined): number => {
  const schemas = ruleSetJsonSchemas();
  if (outDir === undefined) {
    out(JSON.stringify(schemas, null, 2));
    return EXIT_OK;
  }
  mkdirSync(outDir, { recursive: true });
  for (const [name, value] of Object.entries(schemas)) {
    const file = join(outDir, `${name}.schema.json`);
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
    out(`wrote ${file}`);
  }
  return EXIT_OK;
};

const OPTIONS = {
  'rule-set': { type: 'string', default: 'rules/default' },
  parcel: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The command named in `argv`, read leniently, for the hint after an error (even one parseArgs threw). */
const commandIn = (argv: string[]): string | undefined =>
  parseArgs({ args: argv, allowPositionals: true, strict: false, options: OPTIONS }).positionals[0];

const main = async (argv: string[]): Promise<number> => {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [command, argument] = positionals;
  if (values.help || command === undefined) {
    out(USAGE);
    return values.help ? EXIT_OK : EXIT_USAGE;
  }
  switch (command) {
    case 'validate':
      return validate(argument ?? 'rules');
    case 'test':
      return test(argument ?? 'rules');
    case 'explain':
      if (argument === undefined) throw new UsageError('explain needs a parcel or facts file');
      return explain(argument, values['rule-set'], values.parcel, values.json);
    case 'backtest':
      return backtest(argument ?? 'rules/default', values.since, values.until);
    case 'schema':
      return schema(values.out);
    default:
      throw new UsageError(`unknown command ${command}`, true);
  }
};

const run = async (): Promise<number> => {
  const argv = process.argv.slice(2);
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
    throw error;
  }
};

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await run();
