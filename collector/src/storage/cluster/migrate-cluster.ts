/**
 * Migrations on a cluster (SIGHTLINE_CLICKHOUSE_CLUSTER). A cluster database starts at the head
 * schema (schema.ts, ON CLUSTER) and records migrations 1–HEAD_VERSION as applied; it never
 * replays them, since they rebuild and swap tables with single-server statements. Refused, with
 * the reason: a database made for one server (its tables are not replicated and no Distributed
 * table fronts them: converting it is a data migration, not a start-up step), a database holding
 * tables but no ledger, and a migration newer than the head schema (it needs its cluster form
 * written first: the test beside schema.ts fails until HEAD_VERSION and the schema follow it).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Migration } from '../migrations/index.js';
import { HEAD_VERSION, headSchema } from './schema.js';

export interface ClusterTarget {
  cluster: string;
  database: string;
}

export class ClusterSchemaError extends Error {
  override name = 'ClusterSchemaError';
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** Creates the head schema in an empty database or finishes an interrupted creation; returns the versions recorded. */
export async function migrateCluster(client: ClickHouseClient, target: ClusterTarget, migrations: readonly Migration[]): Promise<number[]> {
  const tables = await rows<{ name: string; engine: string }>(
    client,
    'SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name',
  );
  const ledger = tables.find((t) => t.name === 'schema_migrations');
  if (ledger && !ledger.engine.startsWith('Replicated')) {
    throw new ClusterSchemaError(
      `database ${target.database} was created for a single server (schema_migrations is ${ledger.engine}, not replicated): ` +
        `SIGHTLINE_CLICKHOUSE_CLUSTER=${target.cluster} needs a new database (SIGHTLINE_CLICKHOUSE_DATABASE) or none; see README, "Scale out"`,
    );
  }
  if (!ledger && tables.length > 0) {
    throw new ClusterSchemaError(
      `database ${target.database} holds tables (${tables.map((t) => t.name).join(', ')}) but no schema_migrations: ` +
        'refusing to create the cluster schema beside them',
    );
  }
  const newer = migrations.filter((m) => m.version > HEAD_VERSION).map((m) => m.version);
  if (newer.length > 0) {
    throw new ClusterSchemaError(`migrations ${newer.join(', ')} have no cluster form yet (the cluster schema ends at ${HEAD_VERSION})`);
  }
  const done = new Set(
    ledger ? (await rows<{ version: number | string }>(client, 'SELECT version FROM schema_migrations')).map((r) => Number(r.version)) : [],
  );
  const pending = migrations.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return [];
  // Every statement is IF NOT EXISTS (the default project row: only if absent), so a start that
  // failed half-way runs them all again; the ledger is the first table, the versions the last write.
  for (const query of headSchema({ kind: 'cluster', ...target })) await client.command({ query });
  await client.insert({
    table: 'schema_migrations',
    values: pending.map((m) => ({ version: m.version, name: m.name })),
    format: 'JSONEachRow',
  });
  return pending.map((m) => m.version);
}
