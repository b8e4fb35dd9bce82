import type { ClickHouseClient } from '@clickhouse/client';
import { MIGRATIONS, RETENTION_TTL, type Migration } from './migrations/index.js';
import { LEDGER } from './migrations/ledger.js';
import { alterTarget } from './cluster/alter-target.js';
import { migrateCluster, type ClusterTarget } from './cluster/migrate-cluster.js';

export interface MigrateOptions {
  /** On a cluster: the head schema, created ON CLUSTER (cluster/migrate-cluster.ts). */
  cluster?: ClusterTarget | undefined;
}

/** Applies every migration not yet recorded, in order. Safe to run at every start. */
export async function migrate(
  client: ClickHouseClient,
  migrations: Migration[] = MIGRATIONS,
  options: MigrateOptions = {},
): Promise<number[]> {
  if (options.cluster) return migrateCluster(client, options.cluster, migrations);
  await client.command({ query: LEDGER });
  const rs = await client.query({ query: 'SELECT version FROM schema_migrations', format: 'JSONEachRow' });
  const done = new Set((await rs.json<{ version: number | string }>()).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await client.command({ query: statement });
    await m.run?.(client);
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: m.version, name: m.name }],
      format: 'JSONEachRow',
    });
    applied.push(m.version);
  }
  return applied;
}

/** Sets the retention TTL on every table; run at each start so a changed setting takes effect. */
export async function applyRetention(client: ClickHouseClient, days: number): Promise<void> {
  // `days` is a validated integer from the config schema, never a user string.
  if (!Number.isInteger(days) || days < 1) throw new Error(`retention days must be a positive integer: ${days}`);
  for (const { table, timeExpr } of RETENTION_TTL) {
    // On a cluster, a sharded table's TTL is its local table's, on every shard.
    await client.command({
      query: `ALTER TABLE ${await alterTarget(client, table)} MODIFY TTL ${timeExpr} + INTERVAL ${days} DAY`,
      clickhouse_settings: { materialize_ttl_after_modify: 0 },
    });
  }
}
