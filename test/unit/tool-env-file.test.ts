import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
  /** Another stack still running, besides this process's parent. */
  let running: ChildProcess;

  beforeAll(() => {
    running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
  });
  afterAll(() => {
    running.kill();
  });

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'tool-env-file-'));
    file = join(directory, 'embedded-stack.env');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  /** What another stack's npm start writes: the file, and its own copy beside it, as of `secondsAgo`. */
  const writtenByStack = (pid: number, port: string, secondsAgo: number): string => {
    const text = renderToolEnv({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}` }, pid);
    mkdirSync(join(directory, 'stacks'), { recursive: true });
    const copy = join(directory, 'stacks', `${pid}.env`);
    writeFileSync(copy, text);
    const at = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(copy, at, at);
    writeFileSync(file, text);
    return text;
  };

  it('hands the file back to the stack still running that wrote it before, when this one stops', () => {
    // Prepare: another stack, still running (this process's parent), wrote the file
    const first = writtenByStack(process.ppid, '4001', 60);
    // Act
    const noticed = otherLiveStackOf(file);
    writeToolEnvFile({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4002' }, file);
    const whileRunning = readFileSync(file, 'utf8');
    removeToolEnvFile(file);
    // Assess
    expect(noticed).toBe(process.ppid);
    expect(whileRunning).toContain('4002');
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(existsSync(join(directory, 'stacks', `${process.pid}.env`))).toBe(false);
  });

  it('hands it to the newest of several stacks still running, passing over one that died', () => {
    // Prepare: three stacks took the file in turn before this one; the newest of them has died
    writtenByStack(process.ppid, '4001', 90);
    const newestLive = writtenByStack(running.pid!, '4003', 60);
    const dead = deadPid();
    writtenByStack(dead, '4004', 30);
    // Act
    writeToolEnvFile({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4005' }, file);
    removeToolEnvFile(file);
    // Assess
    expect(readFileSync(file, 'utf8')).toBe(newestLive);
    expect(existsSync(join(directory, 'stacks', `${dead}.env`))).toBe(false);
  });

  it.each([
    ['a stack that has stopped', () => writtenByStack(deadPid(), '4001', 30)],
    ['nothing', () => undefined],
  ])('removes the file when it took it over from %s', (_, earlier) => {
    // Prepare
    earlier();
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
    const theirs = writtenByStack(process.ppid, '4001', 0);
    // Act
    removeToolEnvFile(file);
    // Assess
    expect(readFileSync(file, 'utf8')).toBe(theirs);
  });
});
