import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const here = path.dirname(fileURLToPath(import.meta.url));

const config: NextConfig = {
  // A self-contained server bundle for the Docker image only: `next start` (pnpm start) warns
  // about and does not use the standalone output.
  ...(process.env.SIGHTLINE_STANDALONE === '1' ? { output: 'standalone' as const } : {}),
  // The workspace root, so standalone output and Turbopack follow pnpm's links to @sightline/contract.
  outputFileTracingRoot: path.join(here, '..'),
  turbopack: { root: path.join(here, '..') },
  poweredByHeader: false,
  // `pnpm test` type-checks the package before the e2e build; checking again there costs ~30 s.
  typescript: { ignoreBuildErrors: process.env.SIGHTLINE_SKIP_BUILD_TYPECHECK === '1' },
};

export default config;
