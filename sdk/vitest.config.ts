import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const collectorSrc = fileURLToPath(new URL('../collector/src/', import.meta.url));

export default defineConfig({
  resolve: {
    // @sightline/collector's "exports" point at its built dist/ for runtime; the end-to-end tests
    // run its TypeScript source directly so `pnpm test` works from a clean clone without a build.
    // The API schemas come from @sightline/contract like everywhere else.
    alias: [{ find: /^@sightline\/collector$/, replacement: `${collectorSrc}index.ts` }],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each file gets its own process: init() registers process-wide OpenTelemetry globals, and the
    // collector's embedded ClickHouse allows one engine per process.
    // --expose-gc: the memory-bound tests compare heap sizes after a full collection.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1, execArgv: ['--expose-gc'] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
