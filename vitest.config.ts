import { defineConfig } from 'vitest/config';

// One suite for the whole repository. Integration tests open a real database per file
// (PGlite by default, PostgreSQL when DATABASE_URL is set), so files run in separate forks
// and at most two at a time: the CI machines have two cores. Browser tests (WebGL through
// SwiftShader) run after everything else, one file at a time, so they never share the CPU
// with database-heavy files — on two cores that contention made them time out.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'tools/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['apps/web/e2e/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          maxWorkers: 1,
          testTimeout: 180_000,
        },
      },
    ],
  },
});
