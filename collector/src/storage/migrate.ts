import type { ClickHouseClient } from '@clickhouse/client';
import { MIGRATIONS, RETENTION_TTL, type Migration } from './migrations/index.js';
import { LEDGER } from './migrations/ledger.js';


/** Applies every migration not yet recorded, in order. Safe to run at every start. */
export async function migrate(client: ClickHouseClient, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
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
    await client.command({
      query: `ALTER TABLE ${table} MODIFY TTL ${timeExpr} + INTERVAL ${days} DAY`,
      clickhouse_settings: { materialize_ttl_after_modify: 0 },
    });
  }
}
