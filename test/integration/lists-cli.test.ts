import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { makeVerifyAuditLog } from '../../functions/audit/verify-audit-log.js';
import { hashWatchlist } from '../../functions/core/parties/watchlist-keys.js';
import { contentVersion, ListDocumentSchema } from '../../functions/core/rules/index.js';
import {
  dynamoDbError,
  FaultPlan,
  type FaultProxy,
  startFaultProxy,
} from '../../functions/local/fault-proxy.js';
import { LOCAL_RESOURCES_VARIABLE } from '../../functions/local/grants-needed.js';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { TABLES } from '../../infra/definitions.js';
import { InMemoryAuditAnchors } from '../support/audit-anchors.js';
import { runTool } from '../support/cli.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { keyAttribute } from '../support/faulty-stack.js';
import { listsTool as lists } from '../support/tools.js';

const LISTS = 'lists-under-test';
const AUDIT = 'audit-under-test';
const CLI = 'functions/tools/lists-cli.ts';
const SALT = 'lists-cli-test-salt-0123456789';

/** A copy of rules/default in a new temporary directory, with some of its files' text changed. */
const copyOfDefault = (changes: Record<string, [RegExp | string, string][]> = {}): string => {
  const directory = mkdtempSync(join(tmpdir(), 'lists-cli-'));
  cpSync(resolve(REPO_ROOT, 'rules/default'), directory, { recursive: true });
  for (const [file, replacements] of Object.entries(changes)) {
    const path = join(directory, file);
    let text = readFileSync(path, 'utf8');
    for (const [from, to] of replacements) {
      if (!text.match(from)) throw new Error(`${file} has no ${from}`);
      text = text.replace(from, to);
    }
    writeFileSync(path, text);
  }
  return directory;
};

/** watched-phones made to hold consignee keys, in a copy whose own rule compares it with parties.consignee. */
const CONSIGNEE_WATCHLIST = {
  'lists/watched-phones.yaml': [
    [/^version: \d+$/m, 'version: 9'],
    [/^holds: phone$/m, 'holds: consignee'],
  ],
  'rule-set.yaml': [
    [
      'when: { fact: parties.phone, in: { list: watched-phones } }',
      'when: { fact: parties.consignee, in: { list: watched-phones } }',
    ],
  ],
} satisfies Record<string, [RegExp | string, string][]>;

/** The chains of the audit log as `npm run audit -- verify` checks them (no anchors: this test has no bucket). */
const verifiedChains = async (dynamo: LocalDynamoDb, table: string) => {
  const { ok, chains } = await makeVerifyAuditLog(
    new DynamoDbAuditLog(dynamo.doc, table),
    new InMemoryAuditAnchors(),
  )();
  return { ok, chains };
};

/** The settings with which tables they name, for the check of the tool's calls against its policy (tool-role-check.ts). */
const withTablesNamed = (env: Record<string, string>): Record<string, string> => ({
  ...env,
  [LOCAL_RESOURCES_VARIABLE]: JSON.stringify({
    tables: { lists: env.LISTS_TABLE, auditLog: env.AUDIT_LOG_TABLE },
    queues: {},
    buckets: {},
  }),
});

/** The lists tool's settings against a local DynamoDB, run as `user`. */
const toolEnv = async (dynamo: LocalDynamoDb, user: string): Promise<Record<string, string>> => {
  const endpoint = await dynamo.client.config.endpoint!();
  return withTablesNamed({
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
    LISTS_TABLE: LISTS,
    AUDIT_LOG_TABLE: AUDIT,
    PARTY_KEY_SALT: SALT,
    USER: user,
  });
};

describe('npm run lists -- load', () => {
  let dynamo: LocalDynamoDb;
  let ruleSet: string;
  let env: Record<string, string>;

  const load = (...args: string[]) => lists(['load', '--rule-set', ruleSet, ...args], env);
  const scan = async (table: string) =>
    (await dynamo.doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];
  const setWatchlist = (version: number, values: string[]) => {
    const file = join(ruleSet, 'lists/watched-phones.yaml');
    const text = readFileSync(file, 'utf8')
      .replace(/^version: \d+$/m, `version: ${version}`)
      .replace(/^values:[\s\S]*$/m, `values:\n${values.map((value) => `  - "${value}"`).join('\n')}\n`);
    writeFileSync(file, text);
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable(LISTS, TABLES.lists);
    await dynamo.createTable(AUDIT, TABLES.auditLog);
    ruleSet = mkdtempSync(join(tmpdir(), 'lists-cli-'));
    cpSync(resolve(REPO_ROOT, 'rules/default'), ruleSet, { recursive: true });
    env = await toolEnv(dynamo, 'analyst-from-env');
  });

  afterAll(async () => {
    await dynamo?.stop();
    if (ruleSet) rmSync(ruleSet, { recursive: true, force: true });
  });

  it('publishes every list once, hashed, and records each in the audit log', async () => {
    // Act
    const first = await load('--actor', 'li.na');
    const second = await load();

    // Assess
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('published watched-phones v1');
    expect(first.stdout).toContain('5 published, 0 unchanged');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('0 published, 5 unchanged');
    const items = await scan(LISTS);
    expect(items.map((item) => `${item.name} v${item.version}`).sort()).toEqual([
      'border-origins v1',
      'hs-subheadings v1',
      'watched-phones v1',
      'wooden-goods-hs v1',
      'wooden-goods-words v3',
    ]);
    const watched = items.find((item) => item.name === 'watched-phones')!;
    expect(watched.document.values).toHaveLength(3);
    expect(watched.document.values.every((value: string) => /^ph_[\w-]{22}$/.test(value))).toBe(true);
    expect(JSON.stringify(items)).not.toMatch(/139.?0000|13900000/);
    const audit = await scan(AUDIT);
    expect(audit).toHaveLength(5);
    expect(audit.every((entry) => entry.chain === 'rules' && entry.action === 'list.publish')).toBe(true);
    expect(audit.every((entry) => entry.actor === 'li.na')).toBe(true);
  });

  it('replaces a list with a newer version and refuses an older one, writing nothing', async () => {
    // Prepare
    setWatchlist(2, ['+86 139 0000 0001', '+86 139 0000 0004']);

    // Act
    const newer = await load();
    setWatchlist(1, ['+86 139 0000 0001']);
    const older = await load();

    // Assess
    expect(newer.code, newer.stderr).toBe(0);
    expect(newer.stdout).toContain('published watched-phones v2 (published: v1)');
    expect(older.code).toBe(1);
    expect(older.stdout).toContain(
      'REFUSED   watched-phones v1: list watched-phones v1 is older than the published v2',
    );
    const versions = (await scan(LISTS))
      .filter((item) => item.name === 'watched-phones')
      .map((item) => item.version);
    expect(versions.sort()).toEqual([1, 2]);
    const entry = (await scan(AUDIT)).find(
      (item) => item.target === 'list/watched-phones' && item.after.version === 2,
    )!;
    expect(entry.before.version).toBe(1);
    expect(entry.actor).toBe('analyst-from-env');
    expect(await scan(AUDIT)).toHaveLength(6);
  });

  it('refuses the same version with other values', async () => {
    // Prepare
    setWatchlist(2, ['+86 139 0000 0001']);

    // Act
    const changed = await load();

    // Assess
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('is already published with other content: raise its version');
  });

  it('refuses a list that a rule set under rules/ cannot use, naming it, and writes nothing', async () => {
    // Prepare: a copy that compiles with its own rule changed, but the deployed rule set does not
    const copy = copyOfDefault(CONSIGNEE_WATCHLIST);
    const before = await scan(LISTS);

    // Act
    const run = await lists(['load', '--rule-set', copy], env);
    rmSync(copy, { recursive: true, force: true });

    // Assess
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(
      /^REFUSED {3}by rule set rules\/default: rules\/default\/rule-set\.yaml \(rule phone-on-watchlist\) at rules\[\d+\]\.when\.in\.list: parties\.phone is a hashed phone key, but list watched-phones holds consignee keys$/m,
    );
    expect(run.stdout).toContain('not written watched-phones v9');
    expect(run.stdout).toContain('lists load REFUSED: nothing was written');
    expect(await scan(LISTS)).toEqual(before);
  });

  it("reads --rule-set from the folder npm was run from, and checks the repository's rules/, not that folder's", async () => {
    // Prepare: the folder holds the changed copy, and a rules/ of its own that would accept it
    const copy = copyOfDefault(CONSIGNEE_WATCHLIST);
    const folder = mkdtempSync(join(tmpdir(), 'lists-cli-folder-'));
    cpSync(copy, join(folder, 'mine'), { recursive: true });
    cpSync(copy, join(folder, 'rules/default'), { recursive: true });
    rmSync(copy, { recursive: true, force: true });
    const before = await scan(LISTS);

    // Act
    const run = await lists(['load', '--rule-set', 'mine'], { ...env, INIT_CWD: folder });
    rmSync(folder, { recursive: true, force: true });

    // Assess: refused by the repository's rules/default, named from the folder
    const repositoryDefault = relative(folder, resolve(REPO_ROOT, 'rules/default'));
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(
      `REFUSED   by rule set ${repositoryDefault}: ${join(repositoryDefault, 'rule-set.yaml')} (rule phone-on-watchlist)`,
    );
    expect(run.stdout).toContain('lists load REFUSED: nothing was written');
    expect(await scan(LISTS)).toEqual(before);
  });

  it('rolls a list back by publishing an older version again as the newest, audited once', async () => {
    // Prepare
    const values = (version: number) =>
      (async () =>
        (await scan(LISTS)).find((item) => item.name === 'watched-phones' && item.version === version))();
    const auditBefore = (await scan(AUDIT)).length;

    // Act
    const rolled = await lists(['rollback', 'watched-phones', '--to', '1', '--actor', 'li.na'], env);
    const rerun = await lists(['rollback', 'watched-phones', '--to', '1', '--actor', 'li.na'], env);

    // Assess
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain('rolled back watched-phones: v3 republishes v1 (replacing v2)');
    const [v1, v3] = [await values(1), await values(3)];
    expect(v3!.document).toEqual({ ...v1!.document, version: 3 });
    expect(v3!.rollback).toEqual({ from: 2, to: 1 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('unchanged watched-phones v3: it already republishes v1 (replacing v2)');
    const audit = await scan(AUDIT);
    expect(audit).toHaveLength(auditBefore + 1);
    const entry = audit.find((item) => item.action === 'list.rollback')!;
    expect(entry).toMatchObject({
      chain: 'rules',
      actor: 'li.na',
      target: 'list/watched-phones',
      before: { version: 2 },
      after: { version: 3, rolledBackFrom: 2, restores: 1 },
    });
  });

  it.each([
    [
      ['rollback', 'watched-phones', '--to', '7'],
      1,
      /REFUSED {3}watched-phones rollback to v7: list watched-phones has no published v7 \(the newest is v3\)/,
    ],
    [
      ['rollback', 'watched-phones', '--to', '3'],
      1,
      /v3 is already the newest version: nothing to roll back/,
    ],
    [['rollback', 'no-such-list', '--to', '1'], 1, /list no-such-list has never been published/],
    [
      ['rollback', 'watched-phones'],
      2,
      /^--to needs a version, a whole number from 1\nusage: npm run lists -- load/m,
    ],
    [
      ['rollback', 'watched-phones', '--to', 'one'],
      2,
      /^--to needs a version, a whole number from 1, not "one"$/m,
    ],
    [
      ['rollback', 'watched-phones', '--to', '0x1'],
      2,
      /^--to needs a version, a whole number from 1, not "0x1"$/m,
    ],
    [['rollback', '--to', '1'], 2, /^rollback takes one list name\nusage: npm run lists -- load/m],
    [
      ['rollback', 'watched-phones', '--to', '1', '--rule-set', 'rules/default'],
      2,
      /^--rule-set is for load$/m,
    ],
    [
      ['rollback', 'watched-phones', '--to', '0'],
      2,
      /^--to needs a version, a whole number from 1, not "0"$/m,
    ],
    [
      ['rollback', 'watched-phones', '--to', '9007199254740993'],
      2,
      /^--to needs a version, a whole number from 1, not "9007199254740993"$/m,
    ],
    [['load', 'extra'], 2, /^load takes no list name; also given: extra$/m],
    [['load', '--to', '3'], 2, /^--to is for rollback$/m],
    [['rollback', 'watched-phones', '--to', '1', '--actor', ' '], 2, /^--actor needs a name: the audit log/m],
    [
      ['load', '--rule-set', 'no/such/folder'],
      2,
      /^--rule-set no\/such\/folder: no such file or directory$/m,
    ],
    [['load', '--rule-set', 'package.json'], 2, /^package\.json is a file, not a rule set/m],
  ])('refuses %j with exit code %i', async (args, code, message) => {
    // Act
    const run = await lists(args, env);

    // Assess
    expect(run.code).toBe(code);
    expect(run.stdout + run.stderr).toMatch(message);
  });

  it('leaves an audit log that verifies', async () => {
    // Act
    const verified = await verifiedChains(dynamo, env.AUDIT_LOG_TABLE!);

    // Assess
    expect(verified).toEqual({ ok: true, chains: [{ chain: 'rules', ok: true, entries: 7 }] });
  });
});

describe('npm run lists, when a write fails or another load comes first', () => {
  const faults = new FaultPlan();
  let dynamo: LocalDynamoDb;
  let proxy: FaultProxy;
  let base: Record<string, string>;
  let tableCount = 0;

  /** Fresh lists and audit tables, and the CLI's environment for them (through the fault proxy). */
  const freshTables = async () => {
    tableCount += 1;
    const tables = { LISTS_TABLE: `lists-${tableCount}`, AUDIT_LOG_TABLE: `audit-${tableCount}` };
    await dynamo.createTable(tables.LISTS_TABLE, TABLES.lists);
    await dynamo.createTable(tables.AUDIT_LOG_TABLE, TABLES.auditLog);
    return { ...withTablesNamed({ ...base, ...tables }), ...tables };
  };
  const scan = async (table: string) =>
    (await dynamo.doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];
  const load = (env: Record<string, string>, ...args: string[]) =>
    lists(['load', '--rule-set', 'rules/default', '--actor', 'li.na', ...args], env);
  const listFile = (name: string) =>
    ListDocumentSchema.parse(
      parse(readFileSync(resolve(REPO_ROOT, `rules/default/lists/${name}.yaml`), 'utf8')),
    );

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    const endpoint = await dynamo.client.config.endpoint!();
    proxy = await startFaultProxy(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`, faults);
    base = {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
      PARTY_KEY_SALT: SALT,
    };
  });

  afterAll(async () => {
    faults.clear();
    await proxy?.stop();
    await dynamo?.stop();
  });

  it('records the account name as the actor when neither --actor nor USER names one', async () => {
    // Prepare: USER is often unset in containers and CI
    const env = { ...(await freshTables()), USER: '' };

    // Act
    const run = await lists(['load', '--rule-set', 'rules/default'], env);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const actors = (await scan(env.AUDIT_LOG_TABLE)).map((entry) => entry.actor);
    expect(new Set(actors)).toEqual(new Set([userInfo().username]));
  });

  it('says which lists it wrote and which it refused when another load stores one first', async () => {
    // Prepare: while this load writes wooden-goods-words v3, a colleague's v3 with other values lands first
    const env = await freshTables();
    const colleagues = { ...listFile('wooden-goods-words'), values: ['teak'] };
    let colleagueWrite: Promise<unknown> | undefined;
    faults.inject({
      operation: 'PutItem',
      resource: env.LISTS_TABLE,
      times: 1,
      when: (request) => {
        if (keyAttribute(request, 'name') !== 'wooden-goods-words') return false;
        colleagueWrite ??= dynamo.doc.send(
          new PutCommand({
            TableName: env.LISTS_TABLE,
            Item: {
              name: colleagues.name,
              version: colleagues.version,
              document: colleagues,
              contentVersion: contentVersion(colleagues),
              publishedAt: '2026-06-01T08:00:00.000Z',
              publishedBy: 'colleague',
            },
          }),
        );
        return true;
      },
      fault: { kind: 'delay', ms: 500 },
    });

    // Act
    const run = await load(env);
    await colleagueWrite;

    // Assess
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain('published border-origins v1');
    expect(run.stdout).toContain(
      'REFUSED   wooden-goods-words v3: list wooden-goods-words v3 is already published with other content',
    );
    expect(run.stdout).toContain(
      'lists load REFUSED after writing border-origins v1, hs-subheadings v1, watched-phones v1, wooden-goods-hs v1 (in force within LIST_REFRESH_SECONDS); refused: wooden-goods-words v3',
    );
    expect(run.stdout).not.toContain('nothing was written');
    const stored = await scan(env.LISTS_TABLE);
    expect(
      stored
        .filter((item) => item.publishedBy === 'li.na')
        .map((item) => item.name)
        .sort(),
    ).toEqual(['border-origins', 'hs-subheadings', 'watched-phones', 'wooden-goods-hs']);
    expect((await scan(env.AUDIT_LOG_TABLE)).map((entry) => entry.target).sort()).toEqual([
      'list/border-origins',
      'list/hs-subheadings',
      'list/watched-phones',
      'list/wooden-goods-hs',
    ]);
  });

  it('records a list stored by a load whose audit write failed, once, when the load is run again', async () => {
    // Prepare
    const env = await freshTables();
    const auditDown = faults.inject({
      operation: 'PutItem',
      resource: env.AUDIT_LOG_TABLE,
      times: Number.POSITIVE_INFINITY,
      fault: dynamoDbError('AccessDeniedException'),
    });

    // Act
    const crashed = await load(env);
    const storedAfterCrash = await scan(env.LISTS_TABLE);
    auditDown.clear();
    const rerun = await load(env);
    const again = await load(env);

    // Assess
    expect(crashed.code).toBe(3);
    expect(crashed.stdout).toMatch(/^FAILED {4}border-origins v1, which may be written: /m);
    expect(crashed.stdout).toMatch(
      /^not written wooden-goods-hs v\d+: the load stopped at border-origins v1$/m,
    );
    expect(crashed.stdout).toMatch(
      /^lists load FAILED at border-origins v1 \(.+\); written before it: nothing; run it again: what is stored is then recorded$/m,
    );
    expect(crashed.stderr).not.toMatch(/^\s+at /m);
    expect(storedAfterCrash.map((item) => item.name)).toEqual(['border-origins']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('unchanged border-origins v1');
    expect(rerun.stdout).toContain('lists load done: 4 published, 1 unchanged');
    expect(again.code, again.stderr).toBe(0);
    const audit = await scan(env.AUDIT_LOG_TABLE);
    expect(audit.map((entry) => entry.target).sort()).toEqual([
      'list/border-origins',
      'list/hs-subheadings',
      'list/watched-phones',
      'list/wooden-goods-hs',
      'list/wooden-goods-words',
    ]);
    expect(audit.every((entry) => entry.action === 'list.publish' && entry.actor === 'li.na')).toBe(true);
    expect(await verifiedChains(dynamo, env.AUDIT_LOG_TABLE)).toEqual({
      ok: true,
      chains: [{ chain: 'rules', ok: true, entries: 5 }],
    });
  });

  it('refuses to roll back to a version that a rule set under rules/ cannot use, writing nothing', async () => {
    // Prepare: v1 holds consignee keys (published before loads were checked), v2 is the good list
    const env = await freshTables();
    const bad = hashWatchlist({ ...listFile('watched-phones'), holds: 'consignee' }, SALT, 'bad');
    await dynamo.doc.send(
      new PutCommand({
        TableName: env.LISTS_TABLE,
        Item: {
          name: bad.name,
          version: 1,
          document: JSON.parse(JSON.stringify(bad)),
          contentVersion: contentVersion(bad),
          publishedAt: '2026-06-01T08:00:00.000Z',
          publishedBy: 'someone',
        },
      }),
    );
    const good = copyOfDefault({ 'lists/watched-phones.yaml': [[/^version: 1$/m, 'version: 2']] });
    const published = await lists(['load', '--rule-set', good, '--actor', 'li.na'], env);
    rmSync(good, { recursive: true, force: true });

    // Act
    const run = await lists(['rollback', 'watched-phones', '--to', '1', '--actor', 'li.na'], env);

    // Assess
    expect(published.code, published.stdout + published.stderr).toBe(0);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'REFUSED   watched-phones rollback to v1: a rule set cannot use list watched-phones as it was in v1',
    );
    expect(run.stdout).toMatch(
      /^REFUSED {3}by rule set rules\/default: rules\/default\/rule-set\.yaml \(rule phone-on-watchlist\) at rules\[\d+\]\.when\.in\.list: .*holds consignee keys$/m,
    );
    expect(run.stdout).toContain('lists rollback REFUSED: nothing was written');
    const versions = (await scan(env.LISTS_TABLE)).filter((item) => item.name === 'watched-phones');
    expect(versions.map((item) => item.version).sort()).toEqual([1, 2]);
  });
});

describe('npm run lists, with a list that has expired or soon will', () => {
  let dynamo: LocalDynamoDb;
  let env: Record<string, string>;
  const DAY_MS = 86_400_000;
  const dayFromNow = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
  const scan = async (table: string) =>
    (await dynamo.doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable(LISTS, TABLES.lists);
    await dynamo.createTable(AUDIT, TABLES.auditLog);
    env = await toolEnv(dynamo, 'li.na');
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('refuses to publish a list that has expired, naming it, its version and its expiry, and writes nothing', async () => {
    // Prepare
    const expired = copyOfDefault({
      'lists/border-origins.yaml': [[/^expires: .*$/m, 'expires: 2026-01-01']],
    });

    // Act
    const run = await lists(['load', '--rule-set', expired], env);
    rmSync(expired, { recursive: true, force: true });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^REFUSED {3}border-origins v1: list border-origins v1 expired on 2026-01-01: .*renew it/m,
    );
    expect(run.stdout).toContain('lists load REFUSED: nothing was written');
    expect(await scan(LISTS)).toEqual([]);
  });

  it('publishes a list that expires within 30 days, warning on stderr', async () => {
    // Prepare
    const soon = copyOfDefault({
      'lists/border-origins.yaml': [[/^expires: .*$/m, `expires: ${dayFromNow(10)}`]],
    });

    // Act
    const run = await lists(['load', '--rule-set', soon], env);
    rmSync(soon, { recursive: true, force: true });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('lists load done: 5 published, 0 unchanged');
    expect(run.stderr).toMatch(
      new RegExp(`^warn list border-origins v1 expires on ${dayFromNow(10)} \\(in \\d+ day\\(s\\)\\)`, 'm'),
    );
  });

  it('refuses to roll back to a version that has expired, saying to publish a renewed list', async () => {
    // Prepare: v1 (above) expires in 10 days; v2 replaces it; then v1's expiry is made past, as time would
    const renewed = copyOfDefault({
      'lists/border-origins.yaml': [[/^version: 1$/m, 'version: 2']],
    });
    const published = await lists(['load', '--rule-set', renewed], env);
    rmSync(renewed, { recursive: true, force: true });
    const v1 = (await scan(LISTS)).find((item) => item.name === 'border-origins' && item.version === 1)!;
    await dynamo.doc.send(
      new PutCommand({
        TableName: LISTS,
        Item: { ...v1, document: { ...v1.document, expires: '2026-01-01' } },
      }),
    );

    // Act
    const run = await lists(['rollback', 'border-origins', '--to', '1'], env);

    // Assess
    expect(published.code, published.stdout + published.stderr).toBe(0);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^REFUSED {3}border-origins rollback to v1: list border-origins v1 expired on 2026-01-01: .*publish a renewed list instead/m,
    );
    expect(run.stdout).toContain('lists rollback REFUSED: nothing was written');
    const versions = (await scan(LISTS)).filter((item) => item.name === 'border-origins');
    expect(versions.map((item) => item.version).sort()).toEqual([1, 2]);
  });

  it('rolls back to a version that expires within 30 days, warning on stderr', async () => {
    // Prepare: v1 (above) made to expire in 10 days again; v2 is the newest
    const v1 = (await scan(LISTS)).find((item) => item.name === 'border-origins' && item.version === 1)!;
    await dynamo.doc.send(
      new PutCommand({
        TableName: LISTS,
        Item: { ...v1, document: { ...v1.document, expires: dayFromNow(10) } },
      }),
    );

    // Act
    const run = await lists(['rollback', 'border-origins', '--to', '1'], env);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('rolled back border-origins: v3 republishes v1 (replacing v2)');
    expect(run.stderr).toMatch(
      new RegExp(`^warn list border-origins v3 expires on ${dayFromNow(10)} \\(in \\d+ day\\(s\\)\\)`, 'm'),
    );
  });

  it('prints its usage on --help, with exit code 0', async () => {
    // Act
    const run = await runTool(CLI, ['--help'], {});

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run lists -- load/m);
    expect(run.stderr).toBe('');
  });
});
