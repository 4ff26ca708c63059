import { globSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * The unit tests of code that starts nothing (no emulator, stack, browser or tool process) share a
 * worker process, file after file: a process and its imports per file cost them four times their own
 * run (test/unit and test/rules: 15 s shared on 2 cores, where a process each for them and the
 * handler tests took 101 s). A file there that changes what the process
 * holds for its whole run keeps a process of its own, found by reading it, so that a new such test
 * cannot leak into the next file: one that mocks a module (vi.mock) or an SDK client class
 * (aws-sdk-client-mock's mockClient stubs the class's prototype), sets the environment the platform's
 * clients and configuration are built from (vi.stubEnv), or imports modules afresh (vi.resetModules).
 * The handler tests import a handler as Lambda starts it, once per process, so keep one each.
 */
const SHARED_PROCESS_FOLDERS = ['test/unit', 'test/rules'];
const HOLDS_THE_PROCESS = /\bvi\.(mock|stubEnv|resetModules)\(|\bmockClient\(/;
const sharedProcess = SHARED_PROCESS_FOLDERS.flatMap((folder) => globSync(`${folder}/**/*.test.ts`)).filter(
  (file) => !HOLDS_THE_PROCESS.test(readFileSync(file, 'utf8')),
);

export default defineConfig({
  test: {
    // Tests run as of a fixed date (see the file): the bundled lists expire on fixed dates.
    setupFiles: ['test/support/pinned-date.mjs'],
    environment: 'node',
    pool: 'forks',
    // A worker per core: Vitest's default keeps one core for itself (one worker on 2 cores), which
    // left a core idle while a file waits on its emulators or a spawned tool (421 s → 269 s on 2 cores).
    maxWorkers: '100%',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { test: { name: 'shared-process', include: sharedProcess, isolate: false } },
      // Every other file gets its own process: the embedded stack and the handlers are one per process.
      {
        test: { name: 'own-process', include: ['test/**/*.test.ts'], exclude: sharedProcess, isolate: true },
      },
    ],
  },
});
