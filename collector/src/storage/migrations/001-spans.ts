/**
 * The raw spans table. Wide, one row per span, typed columns for everything agents are filtered and
 * grouped by, maps for the rest. ReplacingMergeTree keyed on the span identity so a duplicate that
 * slipped past ingest de-duplication disappears on merge; the dedup window lets a replayed WAL batch
 * (same insert_deduplication_token) be skipped, including by the materialized views.
 */
export const SPANS_TABLE = `
CREATE TABLE IF NOT EXISTS spans (
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
  INDEX idx_duration duration_ns TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toDate(start_time)
ORDER BY (service_name, start_time, trace_id, span_id)
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`;
