/**
 * The app's code (pages, components, lib) takes nothing from the workspace but the API contract:
 * no collector package or source, so the dashboard builds and ships without them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

describe('workspace imports of the app', () => {
  it('are @sightline/contract only, never the collector or a path out of the dashboard', () => {
    const offending: string[] = [];
    for (const file of ['app', 'components', 'lib'].flatMap((d) => sources(path.join(root, d)))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        const outside = spec.startsWith('.') && !path.resolve(path.dirname(file), spec).startsWith(root + path.sep);
        if ((spec.startsWith('@sightline/') && spec !== '@sightline/contract') || outside)
          offending.push(`${path.relative(root, file)}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
