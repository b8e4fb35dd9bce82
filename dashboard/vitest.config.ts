import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

// Unit tests (pure helpers) and browser end-to-end tests share one `vitest run`.
// The e2e project builds the Next app once, in its global setup.
export default defineConfig({
  resolve: {
    alias: {
      // Only the e2e tests start a collector (a dev dependency, never imported by the app): they run
      // its TypeScript source, as its package exports point at dist/. The app's one link to the
      // collector is the contract package, @sightline/contract.
      '@sightline/collector': path.join(here, '../collector/src/index.ts'),
      '@/': `${here}/`,
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{lib,components,app}/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
