/**
 * Where a statement that changes a data table (ALTER … MODIFY TTL, ALTER … UPDATE) must go. On one
 * server: the table. On a cluster, a sharded table's canonical name is a Distributed table, which
 * holds no data and takes no ALTER: the statement goes to its local table on every shard
 * (`<name>_local ON CLUSTER '<cluster>'`; within a shard the replicas share it through Keeper).
 * The small replicated tables take a plain ALTER, which their replication applies on every node.
 * Read from system.tables, so callers need no configuration and a single-server database is
 * answered with the table itself.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { IDENTIFIER } from './schema.js';

/** `Distributed('<cluster>', '<database>', '<local table>', <key>)`, quotes optional. */
const DISTRIBUTED = /^Distributed\(\s*'?(\w+)'?\s*,\s*'?(\w+)'?\s*,\s*'?(\w+)'?/;

/** The target of an ALTER of a table whose engine and engine_full system.tables reports. */
export function alterTargetOf(table: string, engine: string, engineFull: string): string {
  if (!IDENTIFIER.test(table)) throw new Error(`not a table name: ${table}`);
  if (engine !== 'Distributed') return table;
  const m = DISTRIBUTED.exec(engineFull);
  if (!m || !IDENTIFIER.test(m[1]!) || !IDENTIFIER.test(m[3]!)) {
    throw new Error(`cannot tell the local table of the Distributed table ${table} from: ${engineFull}`);
  }
  return `${m[3]!} ON CLUSTER '${m[1]!}'`;
}

export async function alterTarget(client: ClickHouseClient, table: string): Promise<string> {
  const rs = await client.query({
    query: 'SELECT engine, engine_full FROM system.tables WHERE database = currentDatabase() AND name = {table:String}',
    query_params: { table },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ engine: string; engine_full: string }>();
  return alterTargetOf(table, row?.engine ?? '', row?.engine_full ?? '');
}
