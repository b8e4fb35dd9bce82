import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type Storage } from '../storage/client.js';
import { migrate } from '../storage/migrate.js';

/** A temporary data directory for one test file (chDB allows one engine per process and path). */
export function tempDataDir(prefix = 'sightline-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openMigrated(dataDir: string): Promise<Storage> {
  const storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir });
  await migrate(storage.client);
  return storage;
}

export async function count(storage: Storage, query: string, params: Record<string, unknown> = {}): Promise<number> {
  const rs = await storage.client.query({ query, query_params: params, format: 'JSONEachRow' });
  const [row] = await rs.json<Record<string, string>>();
  return Number(Object.values(row ?? {})[0] ?? 0);
}
