import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests run as of a fixed date (see the file): the bundled lists expire on fixed dates.
    setupFiles: ['test/support/pinned-date.mjs'],
    environment: 'node',
    pool: 'forks',
    // Every file gets its own process: the embedded stack and the handlers are one per process.
    isolate: true,
    // A worker per core: Vitest's default keeps one core for itself (one worker on 2 cores), which
    // left a core idle while a file waits on its emulators or a spawned tool (421 s → 269 s on 2 cores).
    maxWorkers: '100%',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
