/**
 * Every table that holds a project's data, rebuilt with `project_id` leading its sorting key, so a
 * project's queries read only its own parts (migration 11). Each statement creates the new table
 * under a temporary name (`<table>_v11`); `011-projects.ts` copies the rows into it (into project
 * `default`) and swaps it in. Columns, codecs, indexes and settings are those of migrations 1–10,
 * the columns added later by ALTER (trace tools and models, the ingested_at index) included; TTLs
 * are set at every start by `applyRetention`.
 *
 * `project_id` defaults to 'default': a write-ahead log segment written before this migration
 * (its header names no project_id) replays into the default project.
 */
import { QUANTILES } from './003-rollups.js';

const PROJECT = `project_id LowCardinality(String) DEFAULT 'default'`;

export const SPANS_V11 = `
CREATE TABLE IF NOT EXISTS spans_v11 (
  ${PROJECT},
  start_time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
  end_time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
  duration_ns UInt64 CODEC(T64, ZSTD(1)),
  trace_id String CODEC(ZSTD(1)),
  span_id String CODEC(ZSTD(1)),
  parent_span_id String CODEC(ZSTD(1)),
  trace_state String CODEC(ZSTD(1)),
  name LowCardinality(String),
  kind LowCardinality(String),
  status_code LowCardinality(String),
  status_message String CODEC(ZSTD(1)),
  service_name LowCardinality(String),
  scope_name LowCardinality(String),
  scope_version LowCardinality(String),
  session_id String CODEC(ZSTD(1)),
  operation LowCardinality(String),
  agent_name LowCardinality(String),
  tool_name LowCardinality(String),
  tool_call_id String CODEC(ZSTD(1)),
  request_model LowCardinality(String),
  response_model LowCardinality(String),
  provider LowCardinality(String),
  input_tokens UInt64 CODEC(T64, ZSTD(1)),
  output_tokens UInt64 CODEC(T64, ZSTD(1)),
  finish_reasons Array(LowCardinality(String)),
  error_type LowCardinality(String),
  environment LowCardinality(String),
  release LowCardinality(String),
  convention LowCardinality(String),
  input String CODEC(ZSTD(3)),
  output String CODEC(ZSTD(3)),
  resource_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
  span_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
  event_times Array(DateTime64(9)) CODEC(ZSTD(1)),
  event_names Array(LowCardinality(String)),
  event_attributes Array(Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
  link_trace_ids Array(String) CODEC(ZSTD(1)),
  link_span_ids Array(String) CODEC(ZSTD(1)),
  link_attributes Array(Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
  ingested_at DateTime64(3) DEFAULT now64(3),
  INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
  INDEX idx_session_id session_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_duration duration_ns TYPE minmax GRANULARITY 1,
  INDEX idx_ingested_at ingested_at TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toDate(start_time)
ORDER BY (project_id, service_name, start_time, trace_id, span_id)
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`;

export const TRACE_SUMMARIES_V11 = `
CREATE TABLE IF NOT EXISTS trace_summaries_v11 (
  ${PROJECT},
  day Date,
  trace_id String,
  start_time SimpleAggregateFunction(min, DateTime64(9)),
  end_time SimpleAggregateFunction(max, DateTime64(9)),
  root_name AggregateFunction(argMin, String, Tuple(UInt8, DateTime64(9))),
  root_service AggregateFunction(argMin, String, Tuple(UInt8, DateTime64(9))),
  span_count SimpleAggregateFunction(sum, UInt64),
  error_count SimpleAggregateFunction(sum, UInt64),
  input_tokens SimpleAggregateFunction(sum, UInt64),
  output_tokens SimpleAggregateFunction(sum, UInt64),
  session_id SimpleAggregateFunction(max, String),
  environment SimpleAggregateFunction(max, String),
  release SimpleAggregateFunction(max, String),
  agents SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  services SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  tools SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  models SimpleAggregateFunction(groupUniqArrayArray, Array(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY day
ORDER BY (project_id, trace_id)
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`;

export const SESSION_SUMMARIES_V11 = `
CREATE TABLE IF NOT EXISTS session_summaries_v11 (
  ${PROJECT},
  day Date,
  session_id String,
  first_seen SimpleAggregateFunction(min, DateTime64(9)),
  last_seen SimpleAggregateFunction(max, DateTime64(9)),
  traces AggregateFunction(uniqExact, String),
  span_count SimpleAggregateFunction(sum, UInt64),
  error_count SimpleAggregateFunction(sum, UInt64),
  llm_calls SimpleAggregateFunction(sum, UInt64),
  tool_calls SimpleAggregateFunction(sum, UInt64),
  input_tokens SimpleAggregateFunction(sum, UInt64),
  output_tokens SimpleAggregateFunction(sum, UInt64),
  environment SimpleAggregateFunction(max, String),
  tools SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  agents SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  services SimpleAggregateFunction(groupUniqArrayArray, Array(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY day
ORDER BY (project_id, session_id)
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`;

export const ROLLUPS_V11 = `
CREATE TABLE IF NOT EXISTS span_rollups_1m_v11 (
  ${PROJECT},
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
ORDER BY (project_id, minute, service_name, environment, operation, agent_name, tool_name, model, is_root)
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`;

export const LOGS_V11 = `
CREATE TABLE IF NOT EXISTS logs_v11 (
  ${PROJECT},
  timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
  observed_timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
  trace_id String CODEC(ZSTD(1)),
  span_id String CODEC(ZSTD(1)),
  severity_number UInt8,
  severity_text LowCardinality(String),
  event_name LowCardinality(String),
  body String CODEC(ZSTD(3)),
  log_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
  resource_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
  service_name LowCardinality(String),
  scope_name LowCardinality(String),
  record_index UInt32 CODEC(T64, ZSTD(1)),
  ingested_at DateTime64(3) DEFAULT now64(3),
  record_key UInt64 MATERIALIZED cityHash64(span_id, observed_timestamp, severity_number, severity_text, event_name, body,
    toString(log_attributes), toString(resource_attributes), scope_name, record_index)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toDate(timestamp, 'UTC')
ORDER BY (project_id, trace_id, timestamp, record_key)
SETTINGS ttl_only_drop_parts = 1`;

export const DRIFT_SESSION_SIGNALS_V11 = `
CREATE TABLE IF NOT EXISTS drift_session_signals_v11 (
  ${PROJECT},
  agent_name LowCardinality(String),
  start_time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
  session_key String CODEC(ZSTD(1)),
  session_id String CODEC(ZSTD(1)),
  trace_id String CODEC(ZSTD(1)),
  service_name LowCardinality(String),
  environment LowCardinality(String),
  release LowCardinality(String),
  first_tool LowCardinality(String),
  tools Array(LowCardinality(String)),
  path String CODEC(ZSTD(1)),
  finish_reason LowCardinality(String),
  has_content UInt8,
  output_shape LowCardinality(String),
  refusal UInt8,
  output_length UInt32,
  outcome LowCardinality(String),
  steps UInt32,
  llm_calls UInt32,
  tool_calls UInt32,
  tokens UInt64,
  duration_ms UInt64,
  loops UInt32,
  retries UInt32,
  computed_at DateTime64(3) DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toDate(start_time)
ORDER BY (project_id, agent_name, start_time, session_key)
SETTINGS ttl_only_drop_parts = 1`;

export const DRIFT_CHECKS_V11 = `
CREATE TABLE IF NOT EXISTS drift_checks_v11 (
  ${PROJECT},
  agent_name LowCardinality(String),
  window_end DateTime64(3),
  checked_at DateTime64(3) DEFAULT now64(3),
  status LowCardinality(String),
  drifted_signals Array(LowCardinality(String)),
  current_sessions UInt64,
  baseline_sessions UInt64,
  summary String CODEC(ZSTD(1)),
  report String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(checked_at)
PARTITION BY toYYYYMM(window_end)
ORDER BY (project_id, agent_name, window_end)
SETTINGS ttl_only_drop_parts = 1`;

export const DRIFT_SIGNAL_RESULTS_V11 = `
CREATE TABLE IF NOT EXISTS drift_signal_results_v11 (
  ${PROJECT},
  agent_name LowCardinality(String),
  signal LowCardinality(String),
  window_end DateTime64(3),
  checked_at DateTime64(3) DEFAULT now64(3),
  status LowCardinality(String),
  effect Float64,
  effect_ratio Float64,
  p_value Float64,
  adjusted_p Float64,
  drifted UInt8,
  current_n UInt64,
  baseline_n UInt64
)
ENGINE = ReplacingMergeTree(checked_at)
PARTITION BY toYYYYMM(window_end)
ORDER BY (project_id, agent_name, signal, window_end)
SETTINGS ttl_only_drop_parts = 1`;

export const ALERT_RULES_V11 = `
CREATE TABLE IF NOT EXISTS alert_rules_v11 (
  ${PROJECT},
  id String,
  version UInt64,
  deleted UInt8,
  name String,
  spec String CODEC(ZSTD(1)),
  muted UInt8,
  created_at DateTime64(3),
  updated_at DateTime64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, id)`;

export const ALERT_STATES_V11 = `
CREATE TABLE IF NOT EXISTS alert_states_v11 (
  ${PROJECT},
  rule_id String,
  scope_key String,
  version UInt64,
  state LowCardinality(String),
  since DateTime64(3),
  breaches UInt32,
  clears UInt32,
  seq UInt64,
  value Nullable(Float64),
  threshold Nullable(Float64),
  last_evaluated_at DateTime64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, rule_id, scope_key)`;

export const ALERT_TRANSITIONS_V11 = `
CREATE TABLE IF NOT EXISTS alert_transitions_v11 (
  ${PROJECT},
  id String,
  rule_id String,
  rule_name String,
  scope_key String,
  from_state LowCardinality(String),
  to_state LowCardinality(String),
  at DateTime64(3),
  value Nullable(Float64),
  threshold Nullable(Float64),
  unit LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (project_id, rule_id, at, id)`;

export const ALERT_DELIVERIES_V11 = `
CREATE TABLE IF NOT EXISTS alert_deliveries_v11 (
  ${PROJECT},
  id String,
  version UInt64,
  rule_id String,
  rule_name String,
  transition_id String,
  event LowCardinality(String),
  channel_type LowCardinality(String),
  url String,
  secret String,
  payload String CODEC(ZSTD(1)),
  status LowCardinality(String),
  attempts UInt32,
  last_error String,
  response_status UInt16,
  next_attempt_at DateTime64(3),
  created_at DateTime64(3),
  updated_at DateTime64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, id)`;

/** Each table of a project's data with the statement that creates its successor (`<table>_v11`). */
export const PROJECT_TABLES_V11: ReadonlyArray<{ table: string; create: string }> = [
  { table: 'spans', create: SPANS_V11 },
  { table: 'trace_summaries', create: TRACE_SUMMARIES_V11 },
  { table: 'session_summaries', create: SESSION_SUMMARIES_V11 },
  { table: 'span_rollups_1m', create: ROLLUPS_V11 },
  { table: 'logs', create: LOGS_V11 },
  { table: 'drift_session_signals', create: DRIFT_SESSION_SIGNALS_V11 },
  { table: 'drift_checks', create: DRIFT_CHECKS_V11 },
  { table: 'drift_signal_results', create: DRIFT_SIGNAL_RESULTS_V11 },
  { table: 'alert_rules', create: ALERT_RULES_V11 },
  { table: 'alert_states', create: ALERT_STATES_V11 },
  { table: 'alert_transitions', create: ALERT_TRANSITIONS_V11 },
  { table: 'alert_deliveries', create: ALERT_DELIVERIES_V11 },
];
