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
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
