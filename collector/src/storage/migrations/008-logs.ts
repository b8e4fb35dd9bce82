/**
 * OTLP log records (POST /v1/logs, LogsService/Export), kept with their trace context so the trace
 * view shows them on their span and GenAI content events fill the span's input/output. Plain
 * MergeTree: a log record has no identity to de-duplicate on. Partitioned by UTC day and expired
 * with the spans' retention (RETENTION_TTL, applied at every start). Ordered by trace id first:
 * the one read is "the records of this trace".
 */
export const LOGS_TABLE = `
CREATE TABLE IF NOT EXISTS logs (
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
  ingested_at DateTime64(3) DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toDate(timestamp, 'UTC')
ORDER BY (trace_id, timestamp)
SETTINGS ttl_only_drop_parts = 1`;
