/**
 * OTLP log records (POST /v1/logs, LogsService/Export), kept with their trace context so the trace
 * view shows them on their span and GenAI content events fill the span's input/output. A record
 * has no id: `record_key` is a digest of its content (record index within its request included), and
 * ReplacingMergeTree folds a copy a retried request stored past the writer's memory of recent
 * records (log-writer.ts); the trace view reads with FINAL. Partitioned by UTC day and expired
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
  ingested_at DateTime64(3) DEFAULT now64(3),
  record_key UInt64 MATERIALIZED cityHash64(span_id, observed_timestamp, severity_number, severity_text, event_name, body,
    toString(log_attributes), toString(resource_attributes), scope_name, record_index)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toDate(timestamp, 'UTC')
ORDER BY (trace_id, timestamp, record_key)
SETTINGS ttl_only_drop_parts = 1`;
