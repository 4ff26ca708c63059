import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionDefinition, QUEUES, type QueueDefinition } from '../../infra/definitions.js';

const ROOT = resolve(import.meta.dirname, '../..');

const sourceFiles = (folder: string): string[] =>
  readdirSync(resolve(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));

const filesMatching = (files: string[], pattern: RegExp): string[] =>
  files.filter((file) => pattern.test(readFileSync(resolve(ROOT, file), 'utf8')));

describe('the dependency rules', () => {
  const functions = sourceFiles('functions');

  it('reads process.env only in platform/config.ts (the embedded stack writes it, as Lambda would)', () => {
    // Act
    const readers = filesMatching(functions, /process\.env/);
    // Assess
    expect(readers.sort()).toEqual(['functions/local/embedded-stack.ts', 'functions/platform/config.ts']);
  });

  it('keeps the core free of the AWS SDK, file and network I/O, adapters, platform and ports', () => {
    // Act: dependencies point inward; the ports (outside the core) are written in the core's types
    const impure = filesMatching(
      sourceFiles('functions/core'),
      /from ['"](@aws-sdk\/|node:(fs|http|https|net)['"/]|\.\.?\/(\.\.\/)*(adapters|platform|ports)\/)/,
    );
    // Assess
    expect(impure).toEqual([]);
  });

  it('imports the AWS SDK only in adapters, the platform clients and the local runner', () => {
    // Act
    const users = filesMatching(functions, /from ['"]@aws-sdk\//).filter(
      (file) => !/^functions\/(adapters|local)\//.test(file) && file !== 'functions/platform/clients.ts',
    );
    // Assess
    expect(users).toEqual([]);
  });
});

describe('the handlers', () => {
  it('of every function that writes run on to the Lambda timeout, so none outlives its invocation', () => {
    // Prepare: tables, queues it sends to, or the queue it consumes (deletes, visibility)
    const consumers = new Set(
      Object.values(QUEUES as Record<string, QueueDefinition>).map((q) => q.consumer?.functionName),
    );
    const writers = Object.entries(FUNCTIONS as Record<string, FunctionDefinition>).filter(
      ([name, definition]) =>
        definition.tables.write.length > 0 || definition.sendsTo.length > 0 || consumers.has(name),
    );
    // Act
    const early = writers.filter(
      ([, definition]) =>
        !/middy<[^>]+>\(RUN_TO_LAMBDA_TIMEOUT\)/.test(readFileSync(resolve(ROOT, definition.entry), 'utf8')),
    );
    // Assess
    expect(writers.map(([name]) => name).sort()).toEqual([
      'ingest',
      'notify',
      'partnerStatus',
      'review',
      'reviewSweep',
      'screen',
    ]);
    expect(early.map(([name]) => name)).toEqual([]);
  });
});
