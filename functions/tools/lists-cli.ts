import { parseArgs } from 'node:util';
import { DynamoDbAuditLog } from '../adapters/dynamodb-audit-log.js';
import { DynamoDbListStore } from '../adapters/dynamodb-list-store.js';
import { readHashedRuleSetDirectory } from '../adapters/file-rule-set-source.js';
import { systemClock } from '../adapters/system-clock.js';
import { compileRuleSet, formatIssue, ListDocumentSchema, RuleSetError } from '../core/rules/index.js';
import { type ListPublication, makePublishLists } from '../operations/publish-lists.js';
import { getDocumentClient } from '../platform/clients.js';
import { ListsToolConfigSchema } from '../platform/config.js';
import { toolConfigOrUsage } from './tool-config.js';

/**
 * `npm run lists -- load [--rule-set rules/default] [--actor name]`: publishes every list of a rule set
 * to the lists table named by LISTS_TABLE (a deployed table with the usual AWS credentials, or the
 * embedded stack's: `npm start` writes its settings to .tmp/embedded-stack.env), watchlists hashed with
 * PARTY_KEY_SALT, and records each list it stores in the audit log (AUDIT_LOG_TABLE, chain `rules`). The
 * screen function reads the newest versions at its next cold start. Exit code 0 loaded (or unchanged),
 * 1 refused or invalid, 2 usage or configuration.
 */

const USAGE = `usage: npm run lists -- load [--rule-set rules/default] [--actor name]
  (reads LISTS_TABLE, AUDIT_LOG_TABLE, PARTY_KEY_SALT, AWS_REGION; the actor defaults to $USER;
   for the stack \`npm start\` runs: . .tmp/embedded-stack.env)`;

const describePublication = (publication: ListPublication): string => {
  const was =
    publication.previousVersion === undefined ? '' : ` (published: v${publication.previousVersion})`;
  switch (publication.outcome) {
    case 'published':
      return `published ${publication.name} v${publication.version}${was}`;
    case 'unchanged':
      return `unchanged ${publication.name} v${publication.version}`;
    case 'refused':
      return `REFUSED   ${publication.name} v${publication.version}: ${publication.reason ?? 'refused'}`;
  }
};

const OPTIONS = { 'rule-set': { type: 'string' }, actor: { type: 'string' } } as const;

const parseCommandLine = () => {
  try {
    return parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error((error as Error).message);
    return undefined;
  }
};

const main = async (): Promise<number> => {
  const parsed = parseCommandLine();
  if (parsed === undefined) {
    console.error(USAGE);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (command !== 'load' || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const config = toolConfigOrUsage(ListsToolConfigSchema, USAGE);
  if (config === undefined) return 2;
  const actor = parsed.values.actor ?? config.USER;
  if (actor === undefined) {
    console.error(`no actor: pass --actor or set USER\n${USAGE}`);
    return 2;
  }
  const directory = parsed.values['rule-set'] ?? 'rules/default';
  let lists: ReturnType<typeof ListDocumentSchema.parse>[];
  try {
    const { input } = readHashedRuleSetDirectory(directory, config.PARTY_KEY_SALT);
    // The rule set must compile with these lists before any of them is published.
    compileRuleSet(input);
    lists = input.lists.map((source) => ListDocumentSchema.parse(source.document));
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    for (const issue of error.issues) console.error(formatIssue(issue));
    return 1;
  }
  const db = getDocumentClient();
  const publish = makePublishLists({
    lists: new DynamoDbListStore(db, config.LISTS_TABLE),
    auditLog: new DynamoDbAuditLog(db, config.AUDIT_LOG_TABLE),
    clock: systemClock,
  });
  const result = await publish({ lists, actor });
  for (const publication of result.publications) console.log(describePublication(publication));
  if (!result.ok) {
    console.log('lists load REFUSED: nothing was written');
    return 1;
  }
  const published = result.publications.filter((publication) => publication.outcome === 'published').length;
  console.log(`lists load done: ${published} published, ${result.publications.length - published} unchanged`);
  return 0;
};

process.exitCode = await main();
