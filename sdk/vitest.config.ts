import { defineConfig } from 'vitest/config';

// Each file gets its own process: init() registers process-wide OpenTelemetry globals.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // --expose-gc: the memory-bound tests compare heap sizes after a full collection.
    poolOptions: { forks: { maxForks: 2, minForks: 1, execArgv: ['--expose-gc'] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
