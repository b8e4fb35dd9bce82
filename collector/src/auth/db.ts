/**
 * The two storage helpers the auth tables need. Kept here rather than imported from storage/ or
 * alerts/: those layers take the project and principal types from auth/, so auth/ importing them
 * back would make a folder cycle.
 */
import type { ClickHouseClient } from '@clickhouse/client';

/** Runs a parameterized SELECT and returns its JSONEachRow rows. */
export async function select<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

export async function insertRows(client: ClickHouseClient, table: string, values: Record<string, unknown>[]): Promise<void> {
  await client.insert({ table, format: 'JSONEachRow', values });
}

let last = 0;

/**
 * Row versions of the ReplacingMergeTree tables: microseconds of wall-clock time, strictly
 * increasing within the process, so a later write wins, across restarts too.
 */
export function nextVersion(): number {
  last = Math.max(Date.now() * 1000, last + 1);
  return last;
}
