/**
 * Minute rollups: counts, errors, tokens and a t-digest of durations per minute and per
 * (service, environment, operation, agent, tool, model, root?). The overview, the metrics API and the
 * alert evaluator read only this table, so their cost grows with minutes × groups, not with spans.
 */
export const QUANTILES = '0.5, 0.9, 0.95, 0.99';

export const ROLLUPS_TABLE = `
CREATE TABLE IF NOT EXISTS span_rollups_1m (
  minute DateTime,
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
  sessions AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toDate(minute)
ORDER BY (minute, service_name, environment, operation, agent_name, tool_name, model, is_root)
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`;

export const ROLLUPS_VIEW = `
CREATE MATERIALIZED VIEW IF NOT EXISTS span_rollups_1m_mv TO span_rollups_1m AS
SELECT
  toStartOfMinute(s.start_time) AS minute,
  s.service_name AS service_name,
  s.environment AS environment,
  s.operation AS operation,
  s.agent_name AS agent_name,
  s.tool_name AS tool_name,
  if(s.response_model != '', s.response_model, s.request_model) AS model,
  toUInt8(s.parent_span_id = '') AS is_root,
  toUInt64(count()) AS span_count,
  toUInt64(countIf(s.status_code = 'ERROR')) AS error_count,
  sum(s.duration_ns) AS duration_sum,
  sum(s.input_tokens) AS input_tokens,
  sum(s.output_tokens) AS output_tokens,
  quantilesTDigestState(${QUANTILES})(s.duration_ns) AS duration_quantiles,
  uniqIfState(s.session_id, s.session_id != '') AS sessions
FROM spans AS s
GROUP BY minute, service_name, environment, operation, agent_name, tool_name, model, is_root`;
