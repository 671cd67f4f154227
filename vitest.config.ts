import { defineConfig } from 'vitest/config';

/** One project per kind of test (DEVELOPERS guide): unit has no I/O; the others talk to real things. */
export default defineConfig({
  test: {
    // EMF metrics go to stdout on Lambda; tests have no use for them
    env: { POWERTOOLS_METRICS_DISABLED: 'true' },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/global-database.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/global-database.ts'],
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        // real Chromium against the local runtime (test/support/browser.ts); one file at a time, the runtime
        // and the browser are the heavy part
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/global-database.ts'],
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 240_000,
          globalSetup: ['test/support/global-database.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
