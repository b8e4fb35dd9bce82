import { defineConfig } from 'vitest/config';

// Each test file opens its own embedded ClickHouse in a temporary directory; chDB allows one
// engine per process, so files run in separate forked processes.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
