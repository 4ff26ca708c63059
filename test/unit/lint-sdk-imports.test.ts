import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Where a file importing the AWS SDK may live, and where the lint must refuse it. */
const ALLOWED = [
  'functions/adapters/sqs-probe.ts',
  'functions/adapters/dynamodb-party-history/probe.ts',
  'functions/platform/clients.ts',
  'functions/local/probe.ts',
  'test/unit/probe.test.ts',
];
const REFUSED = [
  'functions/screen/probe.ts',
  'functions/platform/probe.ts',
  'functions/ports/probe.ts',
  'functions/tools/probe.ts',
  'functions/core/probe.ts',
  'events/probe.ts',
  'infra/probe.ts',
  'bench/probe.ts',
];

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string };
}

/**
 * The repository's biome.json, applied to files that import the SDK (a value import and a type-only
 * one) at each path, in a scratch folder: the lint rule itself, not today's tree, is what is tested.
 */
describe('the lint rule on AWS SDK imports', () => {
  let folder: string;
  let refusedPaths: string[];
  let messages: Map<string, string>;

  beforeAll(() => {
    // Prepare
    folder = mkdtempSync(join(tmpdir(), 'sdk-lint-'));
    const config = JSON.parse(readFileSync(resolve(ROOT, 'biome.json'), 'utf8'));
    writeFileSync(join(folder, 'biome.json'), JSON.stringify({ ...config, vcs: { enabled: false } }));
    for (const path of [...ALLOWED, ...REFUSED]) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(
        join(folder, path),
        "import { SQSClient } from '@aws-sdk/client-sqs';\nimport type { S3Client } from '@aws-sdk/client-s3';\n\nexport const probe = (s3: S3Client) => [SQSClient, s3];\n",
      );
    }
    // Act
    let output: string;
    try {
      output = execFileSync(resolve(ROOT, 'node_modules/.bin/biome'), ['lint', '--reporter=json', '.'], {
        cwd: folder,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch (error) {
      output = String((error as { stdout?: unknown }).stdout);
    }
    const restricted = (JSON.parse(output) as { diagnostics: Diagnostic[] }).diagnostics.filter(
      (diagnostic) => diagnostic.category === 'lint/style/noRestrictedImports',
    );
    refusedPaths = restricted.map((diagnostic) => diagnostic.location.path);
    messages = new Map(restricted.map((diagnostic) => [diagnostic.location.path, diagnostic.message]));
  }, 30_000);

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses both imports everywhere but the adapters, the platform clients, the local runner and the tests', () => {
    // Assess: two diagnostics a refused file, none elsewhere
    expect([...new Set(refusedPaths)].sort()).toEqual([...REFUSED].sort());
    expect(refusedPaths).toHaveLength(2 * REFUSED.length);
  });

  it('keeps the stricter rule of the core, and says where an SDK call belongs elsewhere', () => {
    // Assess
    expect(messages.get('functions/core/probe.ts')).toMatch(/^functions\/core is pure/);
    expect(messages.get('functions/screen/probe.ts')).toMatch(/^Only functions\/adapters import the AWS SDK/);
  });
});
