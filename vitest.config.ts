import { defineConfig } from 'vitest/config';

// Two tiers in the default suite: unit tests (parallel) and process tests (real driver/services/sockets, serial).
// Sources are resolved through the `source` export condition so unit tests need no build; process tests spawn
// the compiled services, so `pnpm test` builds first.
const conditions = ['source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.process.test.ts', '**/*.system.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'process',
          include: ['packages/*/test/**/*.process.test.ts', 'services/*/test/**/*.process.test.ts', 'tests/**/*.process.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['tests/**/*.system.test.ts', 'services/*/test/**/*.system.test.ts'],
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
