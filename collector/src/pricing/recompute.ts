/**
 * Recompute: prices again the model calls that started in a time range, with the project's custom
 * prices and the price database as they are now, so that history follows a corrected price.
 * Reported costs stay as reported.
 *
 * ClickHouse keeps the sums in the summaries and rollups (materialized views fired at insert), so a
 * changed span cannot simply be inserted again: every count would double. Instead, one UTC day at a
 * time: (1) the changed spans' cost columns are rewritten in place by a mutation (ALTER TABLE ...
 * UPDATE, waited for), then (2) the difference, new minus old, is inserted into trace_summaries,
 * session_summaries and span_rollups_1m as correction rows: the other columns of those rows are
 * neutral (counts 0, empty states, times inside the trace's, session's and minute's own), so the sums
 * come out as if the spans had been priced so at ingest.
 * Not atomic: a failure between (1) and (2) leaves that day's summaries with the old cost (the spans
 * are right and a recompute finds nothing left to change); the error is returned to the caller.
 * Drift signals keep the cost they were computed with until the drift job recomputes their hour.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { RecomputeResult } from '@sightline/contract';
import { alterTarget } from '../storage/cluster/alter-target.js';
import { select } from '../storage/queries/common.js';
import { MODEL_CALL_OPERATIONS } from '../storage/span-row.js';
import type { SpanPricer } from './pricer.js';
import type { CostSource } from './usage.js';

const DAY_MS = 86_400_000;
/** Spans rewritten by one mutation (their ids travel as an array parameter). */
const MUTATION_BATCH = 5_000;

interface CallRow {
  trace_id: string;
  span_id: string;
  session_id: string;
  start_ns: string;
  end_ns: string;
  start_ms: string;
  day: string;
  minute: string;
  service_name: string;
  environment: string;
  operation: string;
  agent_name: string;
  tool_name: string;
  model: string;
  is_root: number;
  provider: string;
  request_model: string;
  response_model: string;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  reasoning_tokens: string;
  input_cost: number;
  output_cost: number;
  total_cost: number;
  cost_source: CostSource;
}

interface Change {
  row: CallRow;
  input: number;
  output: number;
  total: number;
  source: CostSource;
}

const n = (v: string) => Number(v);
const same = (a: number, b: number) => Math.abs(a - b) <= 1e-15 + 1e-12 * Math.abs(b);

export async function recomputeCosts(
  client: ClickHouseClient,
  pricer: SpanPricer,
  projectId: string,
  range: { from: number; to: number },
): Promise<RecomputeResult> {
  const result: RecomputeResult = { modelCalls: 0, changed: 0, beforeUsd: 0, afterUsd: 0 };
  for (let dayStart = Math.floor(range.from / DAY_MS) * DAY_MS; dayStart < range.to; dayStart += DAY_MS) {
    const from = Math.max(range.from, dayStart);
    const to = Math.min(range.to, dayStart + DAY_MS);
    const rows = await select<CallRow>(
      client,
      `SELECT trace_id, span_id, session_id, toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
         toString(toUnixTimestamp64Nano(end_time)) AS end_ns, toString(toUnixTimestamp64Milli(start_time)) AS start_ms,
         toString(toDate(start_time, 'UTC')) AS day, toString(toUnixTimestamp(toStartOfMinute(start_time, 'UTC'))) AS minute,
         service_name, environment, operation, agent_name, tool_name,
         if(response_model != '', response_model, request_model) AS model, toUInt8(parent_span_id = '') AS is_root,
         provider, request_model, response_model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
         reasoning_tokens, input_cost, output_cost, total_cost, cost_source
       FROM spans
       WHERE project_id = {projectId:String}
         AND start_time >= fromUnixTimestamp64Milli({from:Int64}) AND start_time < fromUnixTimestamp64Milli({to:Int64})
         AND operation IN {ops:Array(String)}
       ORDER BY span_id, ingested_at DESC
       LIMIT 1 BY trace_id, span_id`,
      { projectId, from, to, ops: MODEL_CALL_OPERATIONS },
    );
    const changes: Change[] = [];
    for (const row of rows) {
      result.modelCalls++;
      result.beforeUsd += Number(row.total_cost);
      if (row.cost_source === 'reported') {
        result.afterUsd += Number(row.total_cost);
        continue;
      }
      const q = pricer.quote({
        projectId,
        provider: row.provider,
        requestModel: row.request_model,
        responseModel: row.response_model,
        startMs: n(row.start_ms),
        usage: {
          input: n(row.input_tokens),
          output: n(row.output_tokens),
          cacheRead: n(row.cache_read_tokens),
          cacheWrite: n(row.cache_write_tokens),
          reasoning: n(row.reasoning_tokens),
        },
      });
      const next: Change = q
        ? { row, input: q.cost.input, output: q.cost.output, total: q.cost.total, source: q.source }
        : { row, input: 0, output: 0, total: 0, source: '' };
      result.afterUsd += next.total;
      const unchanged =
        next.source === row.cost_source &&
        same(next.input, Number(row.input_cost)) &&
        same(next.output, Number(row.output_cost)) &&
        same(next.total, Number(row.total_cost));
      if (!unchanged) changes.push(next);
    }
    if (changes.length === 0) continue;
    for (let i = 0; i < changes.length; i += MUTATION_BATCH)
      await rewriteSpans(client, projectId, changes.slice(i, i + MUTATION_BATCH), from, to);
    await insertCorrections(client, projectId, changes);
    result.changed += changes.length;
  }
  return result;
}

/** Sets the new cost columns of these spans in place, and waits for the mutation to finish. */
async function rewriteSpans(client: ClickHouseClient, projectId: string, changes: Change[], from: number, to: number): Promise<void> {
  // On a cluster: the spans' local table on every shard (a Distributed table takes no mutation).
  const spans = await alterTarget(client, 'spans');
  await client.command({
    query: `ALTER TABLE ${spans} UPDATE
        input_cost = transform(span_id, {ids:Array(String)}, {inputs:Array(Float64)}, input_cost),
        output_cost = transform(span_id, {ids:Array(String)}, {outputs:Array(Float64)}, output_cost),
        total_cost = transform(span_id, {ids:Array(String)}, {totals:Array(Float64)}, total_cost),
        cost_source = transform(span_id, {ids:Array(String)}, {sources:Array(String)}, toString(cost_source))
      WHERE project_id = {projectId:String}
        AND start_time >= fromUnixTimestamp64Milli({from:Int64}) AND start_time < fromUnixTimestamp64Milli({to:Int64})
        AND span_id IN {ids:Array(String)} AND trace_id IN {traces:Array(String)}`,
    query_params: {
      ids: changes.map((c) => c.row.span_id),
      traces: [...new Set(changes.map((c) => c.row.trace_id))],
      inputs: changes.map((c) => c.input),
      outputs: changes.map((c) => c.output),
      totals: changes.map((c) => c.total),
      sources: changes.map((c) => c.source),
      projectId,
      from,
      to,
    },
    clickhouse_settings: { mutations_sync: '2' },
  });
}

/** Inserts, per summary row and rollup group, the difference between the new and the old cost. */
async function insertCorrections(client: ClickHouseClient, projectId: string, changes: Change[]): Promise<void> {
  const traces = new Map<string, Record<string, unknown>>();
  const sessions = new Map<string, Record<string, unknown>>();
  const rollups = new Map<string, Record<string, unknown>>();
  const bound = (acc: Record<string, unknown>, startKey: string, endKey: string, r: CallRow) => {
    // Times as ns strings; a correction's bounds lie inside the real ones, so min/max do not move.
    if (acc[startKey] === undefined || BigInt(r.start_ns) < BigInt(acc[startKey] as string)) acc[startKey] = r.start_ns;
    if (acc[endKey] === undefined || BigInt(r.end_ns) > BigInt(acc[endKey] as string)) acc[endKey] = r.end_ns;
  };
  for (const c of changes) {
    const r = c.row;
    const dTotal = c.total - Number(r.total_cost);
    const dUnpriced = (c.source === '' ? 1 : 0) - (r.cost_source === '' ? 1 : 0);
    const t = traces.get(`${r.day}|${r.trace_id}`) ?? {
      project_id: projectId,
      day: r.day,
      trace_id: r.trace_id,
      total_cost: 0,
      unpriced_calls: 0,
    };
    t.total_cost = (t.total_cost as number) + dTotal;
    t.unpriced_calls = (t.unpriced_calls as number) + dUnpriced;
    bound(t, 'start_time', 'end_time', r);
    traces.set(`${r.day}|${r.trace_id}`, t);
    if (r.session_id !== '') {
      const s = sessions.get(`${r.day}|${r.session_id}`) ?? {
        project_id: projectId,
        day: r.day,
        session_id: r.session_id,
        total_cost: 0,
        unpriced_calls: 0,
      };
      s.total_cost = (s.total_cost as number) + dTotal;
      s.unpriced_calls = (s.unpriced_calls as number) + dUnpriced;
      bound(s, 'first_seen', 'last_seen', r);
      sessions.set(`${r.day}|${r.session_id}`, s);
    }
    const key = [r.minute, r.service_name, r.environment, r.operation, r.agent_name, r.tool_name, r.model, r.is_root].join('\u0000');
    const g = rollups.get(key) ?? {
      project_id: projectId,
      minute: Number(r.minute),
      service_name: r.service_name,
      environment: r.environment,
      operation: r.operation,
      agent_name: r.agent_name,
      tool_name: r.tool_name,
      model: r.model,
      is_root: Number(r.is_root),
      input_cost: 0,
      output_cost: 0,
      total_cost: 0,
      unpriced_calls: 0,
    };
    g.input_cost = (g.input_cost as number) + (c.input - Number(r.input_cost));
    g.output_cost = (g.output_cost as number) + (c.output - Number(r.output_cost));
    g.total_cost = (g.total_cost as number) + dTotal;
    g.unpriced_calls = (g.unpriced_calls as number) + dUnpriced;
    rollups.set(key, g);
  }
  // A negative count correction is a UInt64 wrap-around that sums back exactly (modular arithmetic).
  const u64 = (v: unknown) => BigInt.asUintN(64, BigInt(v as number)).toString();
  const ns = (v: unknown) => `${String(v).slice(0, -9) || '0'}.${String(v).slice(-9).padStart(9, '0')}`;
  await client.insert({
    table: 'trace_summaries',
    format: 'JSONEachRow',
    values: [...traces.values()].map((t) => ({
      ...t,
      start_time: ns(t.start_time),
      end_time: ns(t.end_time),
      unpriced_calls: u64(t.unpriced_calls),
    })),
  });
  if (sessions.size > 0)
    await client.insert({
      table: 'session_summaries',
      format: 'JSONEachRow',
      values: [...sessions.values()].map((s) => ({
        ...s,
        first_seen: ns(s.first_seen),
        last_seen: ns(s.last_seen),
        unpriced_calls: u64(s.unpriced_calls),
      })),
    });
  await client.insert({
    table: 'span_rollups_1m',
    format: 'JSONEachRow',
    values: [...rollups.values()].map((g) => ({ ...g, unpriced_calls: u64(g.unpriced_calls) })),
  });
}
