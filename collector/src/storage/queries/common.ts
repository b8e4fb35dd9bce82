import type { ClickHouseClient } from '@clickhouse/client';
import { DEFAULT_RANGE_MS } from '@sightline/contract';

/** Runs a parameterized SELECT and returns its JSONEachRow rows. */
export async function select<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** A resolved time range in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/**
 * The summary days ({from:Int64} to {to:Int64}, ms) to read: UTC dates, one day wider on each side
 * because rows written before migration 7 carry the date in the server's zone (up to 14 h away)
 * and a session that started the day before can still be active in the range. The day is widened
 * in milliseconds, clamped at the epoch: a Date before 1970 would wrap to 2149 and match nothing.
 */
export const DAY_MS = 86_400_000;
export const DAYS_OF_RANGE = `day >= toDate(fromUnixTimestamp64Milli(greatest({from:Int64} - ${DAY_MS}, 0)), 'UTC')
  AND day <= toDate(fromUnixTimestamp64Milli({to:Int64} + ${DAY_MS}), 'UTC')`;

export function resolveRange(from: number | undefined, to: number | undefined, now = Date.now()): TimeRange {
  const end = to ?? now;
  return { from: from ?? end - DEFAULT_RANGE_MS, to: end };
}

/**
 * Optional filters become fixed SQL fragments chosen by which parameters are present; the values
 * always travel as query parameters. No user string is ever part of the SQL text.
 */
export function conditions(fragments: Array<[present: boolean, sql: string]>): string {
  const chosen = fragments.filter(([p]) => p).map(([, sql]) => sql);
  return chosen.length === 0 ? '1' : chosen.join(' AND ');
}

export const toNumber = (v: string | number | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));

/** A USD amount read from a Float64 sum: finite, and -0 or a float residue of a correction shown as 0. */
export const usd = (v: string | number | null | undefined): number => {
  const n = toNumber(v);
  return Number.isFinite(n) && Math.abs(n) >= 1e-12 ? n : 0;
};

/** The sort key of "most expensive first" over summaries `t`: spend in nano-dollars, an integer a cursor holds exactly. */
export const COST_SORT_KEY = 'toInt64(round(sum(t.total_cost) * 1000000000))';

/** ns (string) difference to milliseconds, exact enough for display. */
export function nsDiffMs(startNs: string, endNs: string): number {
  return Number(BigInt(endNs) - BigInt(startNs)) / 1e6;
}

/**
 * Cursor of keyset pagination: the sort key (an integer, e.g. nanoseconds) and id of the last row
 * of the previous page, tagged with the sort it belongs to.
 */
export function encodeCursor(ns: string, id: string, kind = 'start'): string {
  return Buffer.from(`${kind}:${ns}:${id}`, 'utf8').toString('base64url');
}

const INT64_MAX = 2n ** 63n - 1n;

export function decodeCursor(cursor: string): { kind: string; ns: string; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^([a-z]{1,20}):(-?\d{1,19}):(.{1,500})$/s.exec(text);
  // The key travels as an Int64 query parameter: a larger one is not a cursor this API made.
  if (!m || BigInt(m[2]!) > INT64_MAX || BigInt(m[2]!) < -INT64_MAX - 1n) return undefined;
  return { kind: m[1]!, ns: m[2]!, id: m[3]! };
}
