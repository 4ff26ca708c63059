import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { TABLES } from '../../infra/definitions.js';
import { runTool } from '../support/cli.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';

const LISTS = 'lists-under-test';
const AUDIT = 'audit-under-test';
const CLI = 'functions/tools/lists-cli.ts';

describe('npm run lists -- load', () => {
  let dynamo: LocalDynamoDb;
  let ruleSet: string;
  let env: Record<string, string>;

  const load = (...args: string[]) => runTool(CLI, ['load', '--rule-set', ruleSet, ...args], env);
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
    const endpoint = await dynamo.client.config.endpoint!();
    ruleSet = mkdtempSync(join(tmpdir(), 'lists-cli-'));
    cpSync(resolve(REPO_ROOT, 'rules/default'), ruleSet, { recursive: true });
    env = {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      LISTS_TABLE: LISTS,
      AUDIT_LOG_TABLE: AUDIT,
      PARTY_KEY_SALT: 'lists-cli-test-salt-0123456789',
      USER: 'analyst-from-env',
    };
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
    expect(first.stdout).toContain('4 published, 0 unchanged');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('0 published, 4 unchanged');
    const items = await scan(LISTS);
    expect(items.map((item) => `${item.name} v${item.version}`).sort()).toEqual([
      'border-origins v1',
      'watched-phones v1',
      'wooden-goods-hs v1',
      'wooden-goods-words v1',
    ]);
    const watched = items.find((item) => item.name === 'watched-phones')!;
    expect(watched.document.values).toHaveLength(3);
    expect(watched.document.values.every((value: string) => /^ph_[\w-]{22}$/.test(value))).toBe(true);
    expect(JSON.stringify(items)).not.toMatch(/139.?0000|13900000/);
    const audit = await scan(AUDIT);
    expect(audit).toHaveLength(4);
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
    expect(await scan(AUDIT)).toHaveLength(5);
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

  it('leaves an audit log that verifies', async () => {
    // Act
    const verified = await runTool('functions/tools/audit-cli.ts', ['verify'], env);

    // Assess
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('ok       rules: 5 entries');
  });
});
