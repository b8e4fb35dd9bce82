/**
 * Brings drift_session_signals up to date, incrementally and without DELETE:
 * - hours that received spans since the last run (late or backfilled data) are found through the
 *   minmax index on spans.ingested_at (migration 9), which skips every granule written before;
 * - each day (partition) they touch is recomputed into a staging table and swapped in with
 *   REPLACE PARTITION, atomically: a reader sees the old day or the new one, never half of it;
 * - the range after the last run is appended, cut at the same day boundaries, so the result is the
 *   same as materializing everything from scratch.
 * Partitions are `toDate(start_time)` in the server's zone (migration 5): their bounds are asked
 * from ClickHouse, never computed here, so a swap never covers part of a day only.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { select } from '../storage/queries/common.js';
import { HOUR_MS, materializeRange, type MaterializeOptions } from './materialize.js';

export interface Progress {
  /** Sessions starting before this (epoch ms) are materialized. */
  until: number;
  /** Spans ingested up to this time (epoch ms) were seen. */
  ingested: number;
  /** When that run finished (epoch ms, server clock). */
  runAt: number;
}

export async function readProgress(client: ClickHouseClient): Promise<Progress | undefined> {
  const [row] = await select<{ until: string; ingested: string; last_run: string; n: string }>(
    client,
    `SELECT toUnixTimestamp64Milli(argMax(until, run_at)) AS until, toUnixTimestamp64Milli(argMax(ingested, run_at)) AS ingested,
       toUnixTimestamp64Milli(max(run_at)) AS last_run, count() AS n
     FROM drift_progress`,
    {},
  );
  return row && Number(row.n) > 0 ? { until: Number(row.until), ingested: Number(row.ingested), runAt: Number(row.last_run) } : undefined;
}

interface Partition {
  from: number;
  to: number;
  id: string;
}

/** The partitions (days in the server's zone) holding the given instants, in order, each once. */
async function partitionsAt(client: ClickHouseClient, instants: number[]): Promise<Partition[]> {
  if (instants.length === 0) return [];
  const rows = await select<{ s: string; e: string; p: string }>(
    client,
    `SELECT DISTINCT toUnixTimestamp(d) * 1000 AS s, toUnixTimestamp(d + INTERVAL 1 DAY) * 1000 AS e, toString(toYYYYMMDD(d)) AS p
     FROM (SELECT toStartOfDay(fromUnixTimestamp64Milli(arrayJoin({ts:Array(Int64)}))) AS d) ORDER BY s`,
    { ts: instants },
  );
  return rows.map((r) => ({ from: Number(r.s), to: Number(r.e), id: r.p }));
}

/** The partitions covering [fromMs, toMs): a day is at least 23 h, so a probe every 12 h hits each. */
async function partitionsOf(client: ClickHouseClient, fromMs: number, toMs: number): Promise<Partition[]> {
  const probes: number[] = [];
  for (let t = fromMs; t < toMs; t += 12 * HOUR_MS) probes.push(t);
  if (toMs > fromMs) probes.push(toMs - 1);
  return partitionsAt(client, probes);
}

/** The UTC hours that received spans after {since}: idx_ingested_at skips every granule written before. */
export const TOUCHED_HOURS_SQL = `SELECT toUnixTimestamp(toStartOfHour(start_time, 'UTC')) * 1000 AS h, toUnixTimestamp64Milli(max(ingested_at)) AS ing
FROM spans WHERE ingested_at > fromUnixTimestamp64Milli({since:Int64}) GROUP BY h ORDER BY h`;

/** The UTC hours that received spans after `since`, and the newest ingestion time among them. */
async function touchedHours(client: ClickHouseClient, since: number): Promise<{ hours: number[]; ingested: number }> {
  const rows = await select<{ h: string; ing: string }>(client, TOUCHED_HOURS_SQL, { since });
  return { hours: rows.map((r) => Number(r.h)), ingested: Math.max(since, ...rows.map((r) => Number(r.ing))) };
}

/** The id comes from ClickHouse (toYYYYMMDD) and is checked: never a request's string. */
function checkedId(day: Partition): string {
  if (!/^\d{8}$/.test(day.id)) throw new Error(`unexpected partition id ${day.id}`);
  return day.id;
}

/** Days holding sessions past the progress mark: rows appended by a run that failed before it recorded its progress. */
async function leftoverDays(client: ClickHouseClient, until: number): Promise<Partition[]> {
  const [row] = await select<{ lo: string; hi: string; n: string }>(
    client,
    `SELECT toUnixTimestamp64Milli(min(start_time)) AS lo, toUnixTimestamp64Milli(max(start_time)) AS hi, count() AS n
     FROM drift_session_signals WHERE start_time >= fromUnixTimestamp64Milli({until:Int64})`,
    { until },
  );
  return row && Number(row.n) > 0 ? partitionsOf(client, Number(row.lo), Number(row.hi) + 1) : [];
}

/** Recomputes the sessions of one partition starting before `until`, then swaps the day in. */
async function replaceDay(client: ClickHouseClient, day: Partition, until: number, opts: MaterializeOptions): Promise<void> {
  const id = checkedId(day);
  await client.command({ query: 'TRUNCATE TABLE drift_session_signals_staging' });
  await materializeRange(client, day.from, Math.min(day.to, until), opts, 'drift_session_signals_staging');
  await client.command({ query: `ALTER TABLE drift_session_signals REPLACE PARTITION ID '${id}' FROM drift_session_signals_staging` });
  await client.command({ query: 'TRUNCATE TABLE drift_session_signals_staging' });
}

/** Appends the sessions of [fromMs, toMs), one partition at a time. */
async function append(client: ClickHouseClient, fromMs: number, toMs: number, opts: MaterializeOptions): Promise<void> {
  for (const day of await partitionsOf(client, fromMs, toMs)) {
    await materializeRange(client, Math.max(fromMs, day.from), Math.min(toMs, day.to), opts);
  }
}

export interface CatchUpResult {
  until: number;
  /** Days recomputed because late spans arrived. */
  replacedDays: number;
}

/**
 * Brings drift_session_signals up to `untilMs`: recomputes the materialized days that received
 * spans since the last run, then appends the new range, starting no earlier than `earliestMs`.
 */
export async function catchUp(
  client: ClickHouseClient,
  untilMs: number,
  earliestMs: number,
  opts: MaterializeOptions,
): Promise<CatchUpResult> {
  const p = await readProgress(client);
  if (!p) {
    // First run only: where the spans start. Later runs never scan the spans table.
    const [span] = await select<{ first: string; ingested: string; n: string }>(
      client,
      `SELECT toUnixTimestamp64Milli(min(start_time)) AS first, toUnixTimestamp64Milli(max(ingested_at)) AS ingested, count() AS n FROM spans`,
      {},
    );
    if (!span || Number(span.n) === 0) return { until: untilMs, replacedDays: 0 };
    // Sessions without progress are what a failed first run left: start over.
    await client.command({ query: 'TRUNCATE TABLE drift_session_signals' });
    const [first] = await partitionsAt(client, [Math.max(earliestMs, Number(span.first))]);
    await append(client, first!.from, untilMs, opts);
    const until = Math.max(first!.from, untilMs);
    await client.insert({ table: 'drift_progress', values: [{ until: String(until), ingested: span.ingested }], format: 'JSONEachRow' });
    return { until, replacedDays: 0 };
  }
  const touched = await touchedHours(client, p.ingested);
  // A late span can belong to a session that started up to tailMs before it.
  const probes: number[] = [];
  for (const h of touched.hours) {
    if (h >= p.until || h + HOUR_MS <= earliestMs - opts.tailMs) continue;
    probes.push(Math.max(0, h - opts.tailMs), Math.min(h + HOUR_MS, p.until) - 1);
  }
  const days = await partitionsAt(client, probes);
  for (const day of await leftoverDays(client, p.until)) {
    if (day.from >= p.until) await client.command({ query: `ALTER TABLE drift_session_signals DROP PARTITION ID '${checkedId(day)}'` });
    else if (!days.some((d) => d.id === day.id)) days.push(day);
  }
  for (const day of days) await replaceDay(client, day, p.until, opts);
  if (untilMs > p.until) await append(client, p.until, untilMs, opts);
  const until = Math.max(untilMs, p.until);
  await client.insert({
    table: 'drift_progress',
    values: [{ until: String(until), ingested: String(touched.ingested) }],
    format: 'JSONEachRow',
  });
  return { until, replacedDays: days.length };
}
