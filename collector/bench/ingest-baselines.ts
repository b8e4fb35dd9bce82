/**
 * The references the ingest benchmark compares the collector with, measured in the benchmark's own
 * process on its own embedded ClickHouse (chDB: one data dir per process; the collector under test
 * runs as a child process on another). Each is the same rows, already encoded, inserted in the
 * collector's batch size through chDB's fastest plain path (its zero-copy raw insert):
 *
 * - plain: one MergeTree table with the columns of `spans` (codecs and skip indexes included), no
 *   materialized views, rows as JSONEachRow: what a plain insert of these spans costs (issue 18);
 * - same tables: the rows into the collector's own `spans` table, so its materialized views (trace
 *   and session summaries, minute rollups) run too.
 */
import type { Storage } from '../src/storage/client.js';

export interface BaselineBatches {
  /** JSONEachRow bodies of at most `batch` rows each. */
  bodies: Buffer[];
  rows: number;
}

export const PLAIN_TABLE = 'bench_spans_plain';
const SUMMARY_TABLES = ['trace_summaries', 'session_summaries', 'span_rollups_1m'];

/** Creates the plain table from `spans` as it is now: same columns, partition and sort keys, plain MergeTree. */
export async function createPlainTable(storage: Storage): Promise<void> {
  const rs = await storage.client.query({
    query: `SELECT partition_key, sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'spans'`,
    format: 'JSONEachRow',
  });
  const [keys] = await rs.json<{ partition_key: string; sorting_key: string }>();
  if (!keys) throw new Error('no spans table');
  // The keys are the spans table's own definitions (read back from ClickHouse), not input.
  await storage.client.command({
    query: `CREATE TABLE IF NOT EXISTS ${PLAIN_TABLE} AS spans ENGINE = MergeTree PARTITION BY ${keys.partition_key} ORDER BY (${keys.sorting_key})`,
  });
}

async function countRows(storage: Storage, table: string): Promise<number> {
  const rs = await storage.client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
  return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
}

async function truncate(storage: Storage, tables: string[]): Promise<void> {
  for (const t of tables) await storage.client.command({ query: `TRUNCATE TABLE ${t}` });
}

/** Inserts every batch into `table`, one insert after the other; rows per second of wall time and per CPU second. */
async function timedInserts(storage: Storage, table: string, batches: BaselineBatches): Promise<{ rate: number; perCpuSecond: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const body of batches.bodies) await storage.insertRaw({ table, format: 'JSONEachRow', body });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if ((await countRows(storage, table)) !== batches.rows) throw new Error(`baseline insert into ${table} lost rows`);
  return { rate: batches.rows / seconds, perCpuSecond: batches.rows / ((cpu.user + cpu.system) / 1e6) };
}

/** The plain single-table insert (one MergeTree table, no views). */
export async function plainInsert(storage: Storage, batches: BaselineBatches): Promise<{ rate: number; perCpuSecond: number }> {
  await truncate(storage, [PLAIN_TABLE]);
  const r = await timedInserts(storage, PLAIN_TABLE, batches);
  await truncate(storage, [PLAIN_TABLE]);
  return r;
}

/** The same rows into the collector's tables (materialized views included). */
export async function sameTablesInsert(storage: Storage, batches: BaselineBatches): Promise<{ rate: number; perCpuSecond: number }> {
  await truncate(storage, ['spans', ...SUMMARY_TABLES]);
  const r = await timedInserts(storage, 'spans', batches);
  await truncate(storage, ['spans', ...SUMMARY_TABLES]);
  return r;
}
