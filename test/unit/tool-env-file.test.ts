import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  otherLiveStackOf,
  removeToolEnvFile,
  renderToolEnv,
  writeToolEnvFile,
} from '../../functions/local/tool-env-file.js';

/** A pid no process has any more: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid;

describe('the env file npm start leaves for the operator tools', () => {
  let directory: string;
  let file: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'tool-env-file-'));
    file = join(directory, 'embedded-stack.env');
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('hands the file back to a stack still running that wrote it first, when this one stops', () => {
    // Prepare: another stack, still running (this process's parent), wrote the file
    const first = renderToolEnv({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4001' }, process.ppid);
    writeFileSync(file, first);
    // Act
    const noticed = otherLiveStackOf(file);
    writeToolEnvFile({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4002' }, file);
    const whileRunning = readFileSync(file, 'utf8');
    removeToolEnvFile(file);
    // Assess
    expect(noticed).toBe(process.ppid);
    expect(whileRunning).toContain('4002');
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it.each([
    ['a stack that has stopped', () => renderToolEnv({ AWS_REGION: 'x' }, deadPid())],
    ['nothing', undefined],
  ])('removes the file when it took it over from %s', (_, earlier) => {
    // Prepare
    if (earlier) writeFileSync(file, earlier());
    // Act
    const noticed = otherLiveStackOf(file);
    writeToolEnvFile({ AWS_REGION: 'y' }, file);
    removeToolEnvFile(file);
    // Assess
    expect(noticed).toBeUndefined();
    expect(existsSync(file)).toBe(false);
  });

  it('leaves the file to a stack that took it over since', () => {
    // Prepare: this stack wrote the file, then another (still running) wrote over it
    writeToolEnvFile({ AWS_REGION: 'mine' }, file);
    const theirs = renderToolEnv({ AWS_REGION: 'theirs' }, process.ppid);
    writeFileSync(file, theirs);
    // Act
    removeToolEnvFile(file);
    // Assess
    expect(readFileSync(file, 'utf8')).toBe(theirs);
  });
});
