import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const here = path.dirname(fileURLToPath(import.meta.url));

const config: NextConfig = {
  // A self-contained server bundle for the Docker image only: `next start` (pnpm start) warns
  // about and does not use the standalone output.
  ...(process.env.SIGHTLINE_STANDALONE === '1' ? { output: 'standalone' as const } : {}),
  // The workspace root, so standalone output and Turbopack see the collector package.
  outputFileTracingRoot: path.join(here, '..'),
  turbopack: { root: path.join(here, '..') },
  // The API contracts are TypeScript source in the collector package (tsconfig paths point at
  // src/, so no collector build is needed); compile them with the app.
  transpilePackages: ['@sightline/collector'],
  poweredByHeader: false,
  // `pnpm test` type-checks the package before the e2e build; checking again there costs ~30 s.
  typescript: { ignoreBuildErrors: process.env.SIGHTLINE_SKIP_BUILD_TYPECHECK === '1' },
  // The collector's sources are ESM TypeScript that import siblings as './x.js' (NodeNext).
  // Webpack maps those to the .ts files; Turbopack cannot yet, so build and dev use webpack.
  webpack: (webpackConfig: { resolve: { extensionAlias?: Record<string, string[]> } }) => {
    webpackConfig.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'] };
    return webpackConfig;
  },
};

export default config;
