/**
 * Imports point down: no folder of the collector imports the HTTP layer `api/`; the shared types
 * come from @sightline/contract. Only the wiring at the top (server.ts) mounts the API.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.dirname(fileURLToPath(import.meta.url));
const api = path.join(src, 'api');
/** The one file allowed to import api/: the wiring that mounts it. */
const ALLOWED = new Set(['server.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p === api ? [] : sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('collector layers', () => {
  it('no file outside api/ imports api/, but the server that mounts it', () => {
    const offending: string[] = [];
    for (const file of sources(src)) {
      const rel = path.relative(src, file);
      if (ALLOWED.has(rel)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
        const target = path.resolve(path.dirname(file), m[1]!);
        if (target === api || target.startsWith(api + path.sep)) offending.push(`${rel}: ${m[1]}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
