/**
 * Drift detection tables.
 * - drift_session_signals: one row per (agent, session) with its behaviour signals, filled hour by
 *   hour by the drift job (drift/materialize.ts), so a report over a million sessions reads a small
 *   narrow table instead of re-aggregating tens of millions of spans.
 * - drift_checks: one row per agent and checked window with the verdict and the whole report (JSON),
 *   read by alerts (latest verdict) and the dashboard.
 * - drift_signal_results: one row per agent, window and signal: the heatmap's cells.
 * - drift_progress: how far sessions are materialized and up to which ingestion time spans were
 *   seen, so the job resumes where it stopped and recomputes hours that received late spans.
 */
export const DRIFT_SESSION_SIGNALS_TABLE = `
CREATE TABLE IF NOT EXISTS drift_session_signals (
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
ORDER BY (agent_name, start_time, session_key)
SETTINGS ttl_only_drop_parts = 1`;

export const DRIFT_PROGRESS_TABLE = `
CREATE TABLE IF NOT EXISTS drift_progress (
  run_at DateTime64(3) DEFAULT now64(3),
  until DateTime64(3),
  ingested DateTime64(3)
)
ENGINE = MergeTree
ORDER BY run_at`;

export const DRIFT_CHECKS_TABLE = `
CREATE TABLE IF NOT EXISTS drift_checks (
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
ORDER BY (agent_name, window_end)
SETTINGS ttl_only_drop_parts = 1`;

export const DRIFT_SIGNAL_RESULTS_TABLE = `
CREATE TABLE IF NOT EXISTS drift_signal_results (
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
ORDER BY (agent_name, signal, window_end)
SETTINGS ttl_only_drop_parts = 1`;
