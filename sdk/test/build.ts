/** Builds dist/ once per test process (tsup, as `pnpm build` does). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const sdkRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export function buildPackage(): void {
  const tsup = join(dirname(createRequire(import.meta.url).resolve('tsup/package.json')), 'dist', 'cli-default.js');
  const r = spawnSync(process.execPath, [tsup], { cwd: sdkRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
  for (const f of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) {
    if (!existsSync(join(sdkRoot, 'dist', f))) throw new Error(`build did not produce dist/${f}`);
  }
}
