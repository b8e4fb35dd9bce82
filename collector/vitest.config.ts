import { defineConfig } from 'vitest/config';

// Each test file opens its own embedded ClickHouse in a temporary directory; chDB allows one
// engine per process, so files run in separate forked processes.
export default defineConfig({
  test: {
    // Beside the code: unit and integration (*.test.ts); test/: end to end (*.e2e.test.ts); tools/: evaluations (*.eval.test.ts).
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'tools/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
