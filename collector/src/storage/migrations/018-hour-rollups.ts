/**
 * Hour rollups (migration 18, issue 19): the minute rollups folded into UTC hours, so a query over
 * days reads hours × groups instead of 60 times as many minute rows (queries/rollups.ts plans which
 * level to read). Same dimensions and columns as span_rollups_1m (migrations 11 and 14); the t-digest
 * and uniq states are merged into hour states (`…MergeState`), so a quantile over hours is the
 * quantile of the same centroids.
 *
 * The view reads what is inserted into span_rollups_1m, not spans: ClickHouse cascades materialized
 * views, so every block the minute view writes (and every cost correction that pricing/recompute.ts
 * inserts into the minute table) reaches the hours too, with one aggregation of a small block.
 *
 * Partitioned by day like the minute table, so retention (ttl_only_drop_parts) drops both levels of
 * a day together: a range never finds hours that its minutes have already lost.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { QUANTILES } from './003-rollups.js';

export const HOUR_ROLLUPS_TABLE = `
CREATE TABLE IF NOT EXISTS span_rollups_1h (
  project_id LowCardinality(String) DEFAULT 'default',
  hour DateTime,
  service_name LowCardinality(String),
  environment LowCardinality(String),
  operation LowCardinality(String),
  agent_name LowCardinality(String),
  tool_name LowCardinality(String),
  model LowCardinality(String),
  is_root UInt8,
  span_count SimpleAggregateFunction(sum, UInt64),
  error_count SimpleAggregateFunction(sum, UInt64),
  duration_sum SimpleAggregateFunction(sum, UInt64),
  input_tokens SimpleAggregateFunction(sum, UInt64),
  output_tokens SimpleAggregateFunction(sum, UInt64),
  duration_quantiles AggregateFunction(quantilesTDigest(${QUANTILES}), UInt64),
  sessions AggregateFunction(uniq, String),
  input_cost SimpleAggregateFunction(sum, Float64),
  output_cost SimpleAggregateFunction(sum, Float64),
  total_cost SimpleAggregateFunction(sum, Float64),
  unpriced_calls SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toDate(hour)
ORDER BY (project_id, hour, service_name, environment, operation, agent_name, tool_name, model, is_root)
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`;

/** Minute rows (`m`) folded into hours: the view's query and the backfill's. */
const FOLD = `
SELECT
  m.project_id AS project_id,
  toStartOfHour(m.minute, 'UTC') AS hour,
  m.service_name AS service_name,
  m.environment AS environment,
  m.operation AS operation,
  m.agent_name AS agent_name,
  m.tool_name AS tool_name,
  m.model AS model,
  m.is_root AS is_root,
  sum(m.span_count) AS span_count,
  sum(m.error_count) AS error_count,
  sum(m.duration_sum) AS duration_sum,
  sum(m.input_tokens) AS input_tokens,
  sum(m.output_tokens) AS output_tokens,
  quantilesTDigestMergeState(${QUANTILES})(m.duration_quantiles) AS duration_quantiles,
  uniqMergeState(m.sessions) AS sessions,
  sum(m.input_cost) AS input_cost,
  sum(m.output_cost) AS output_cost,
  sum(m.total_cost) AS total_cost,
  sum(m.unpriced_calls) AS unpriced_calls
FROM span_rollups_1m AS m
GROUP BY project_id, hour, service_name, environment, operation, agent_name, tool_name, model, is_root`;

export const HOUR_ROLLUPS_VIEW = `CREATE MATERIALIZED VIEW IF NOT EXISTS span_rollups_1h_mv TO span_rollups_1h AS${FOLD}`;

/**
 * Fills the hours from the minutes already stored, then creates the view. The view comes last, so
 * a rerun can tell what is left: while it does not exist the backfill has not completed, and the
 * table is emptied and filled again (a rerun never double counts). Migrations run at start, before
 * the writer: no span arrives between the backfill and the view. (A second collector writing to the
 * same server during those seconds would leave its minutes out of the hours.)
 */
export async function backfillHourRollups(client: ClickHouseClient): Promise<void> {
  const rs = await client.query({
    query: "SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'span_rollups_1h_mv'",
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ n: string | number }>();
  if (Number(row?.n ?? 0) > 0) return;
  await client.command({ query: 'TRUNCATE TABLE span_rollups_1h' });
  await client.command({ query: `INSERT INTO span_rollups_1h ${FOLD} SETTINGS max_partitions_per_insert_block = 0` });
  await client.command({ query: HOUR_ROLLUPS_VIEW });
}
