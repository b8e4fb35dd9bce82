/**
 * ClickHouse disk per million spans (issue 19, "Scale out" sizing): N agent spans of the search
 * benchmark's generator (span-generator.ts: ~1 KiB prompts and completions, tool JSON, attributes)
 * inserted through the migrated tables, so the materialized views fill the summaries, rollups and
 * scores as they do at ingest; then every table is merged (OPTIMIZE FINAL) and the compressed and
 * uncompressed bytes of its active parts are read from system.parts. One replica's bytes: a cluster
 * stores them once per replica.
 *
 *   pnpm --filter @sightline/collector exec tsx bench/disk.bench.ts   [SIGHTLINE_DISK_SPANS=1000000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../src/storage/client.js';
import { migrate } from '../src/storage/migrate.js';
import { insertBlock } from './span-generator.js';

const SPANS = Number(process.env.SIGHTLINE_DISK_SPANS ?? 1_000_000);
const BLOCK = 500_000;
const DAY_MS = 86_400_000;
const MiB = 2 ** 20;

interface TableBytes {
  table: string;
  rows: string;
  compressed: string;
  uncompressed: string;
  on_disk: string;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-disk-bench-'));
  const storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir: dir });
  const { client } = storage;
  try {
    await migrate(client);
    const t0 = performance.now();
    const startMs = Date.now() - DAY_MS + 60_000;
    for (let offset = 0; offset < SPANS; offset += BLOCK) {
      await client.command({ query: insertBlock(offset, Math.min(BLOCK, SPANS - offset), startMs, SPANS, 5) });
    }
    const loadS = (performance.now() - t0) / 1000;
    const tables = await (
      await client.query({
        query: `SELECT DISTINCT table FROM system.parts WHERE database = currentDatabase() AND active ORDER BY table`,
        format: 'JSONEachRow',
      })
    ).json<{ table: string }>();
    // Table names come from system.parts, checked before they go into the statement.
    for (const { table } of tables) {
      if (!/^[a-z_0-9]+$/.test(table)) throw new Error(`unexpected table name ${table}`);
      await client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    }
    const rows = await (
      await client.query({
        query: `SELECT table, sum(rows) AS rows, sum(data_compressed_bytes) AS compressed, sum(data_uncompressed_bytes) AS uncompressed,
            sum(bytes_on_disk) AS on_disk
          FROM system.parts WHERE database = currentDatabase() AND active GROUP BY table ORDER BY on_disk DESC`,
        format: 'JSONEachRow',
      })
    ).json<TableBytes>();
    const perM = (bytes: number) => (bytes / MiB / (SPANS / 1_000_000)).toFixed(1);
    console.log(
      `${SPANS.toLocaleString('en')} spans over 24 h, loaded in ${loadS.toFixed(0)} s; bytes on disk after OPTIMIZE FINAL (skip indexes and marks included):`,
    );
    let total = 0;
    for (const r of rows) {
      total += Number(r.on_disk);
      console.log(
        `  ${r.table.padEnd(24)} ${r.rows.padStart(10)} rows  ${(Number(r.on_disk) / MiB).toFixed(1).padStart(8)} MiB on disk` +
          `  (${perM(Number(r.on_disk))} MiB per million spans; columns ${(Number(r.compressed) / MiB).toFixed(1)} MiB compressed,` +
          ` ${(Number(r.uncompressed) / MiB).toFixed(0)} MiB uncompressed)`,
      );
    }
    console.log(`  total: ${(total / MiB).toFixed(1)} MiB, ${perM(total)} MiB per million spans (one replica)`);
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
