import { defineConfig } from 'vitest/config';

// One suite for the whole repository. Integration tests open a real database per file
// (PGlite by default, PostgreSQL when DATABASE_URL is set), so files run in separate forks
// and at most two at a time: the CI machines have two cores.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'apps/web/e2e/**/*.test.ts', 'tools/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
