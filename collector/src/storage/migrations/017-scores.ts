/**
 * Scores (migration 17): named judgements of a trace, span or session (contract/src/scores.ts).
 * One row per score id; a score sent again with the same id replaces the older row
 * (ReplacingMergeTree by ingested_at, read with FINAL). Few rows next to the spans (at most a few
 * per trace), so one table serves every read: by trace or session through the bloom-filter skip
 * indexes, by time through the partition and the minmax index, per name by the sorting key.
 *
 * OpenTelemetry's `gen_ai.evaluation.result` events become scores without code on the write path:
 * two materialized views read them from the spans (span events) and from the log records (events
 * sent with the Logs API, parented to the evaluated span), so they are as durable as the spans and
 * log records that carry them. Their id is a digest of where they came from, so a replayed span
 * replaces its own score rather than adding one.
 */

export const SCORES_TABLE = `
CREATE TABLE IF NOT EXISTS scores (
  project_id LowCardinality(String),
  score_id String,
  timestamp DateTime64(3, 'UTC'),
  trace_id String,
  span_id String,
  session_id String,
  name LowCardinality(String),
  value Nullable(Float64),
  label String,
  source LowCardinality(String),
  comment String CODEC(ZSTD(3)),
  ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX idx_trace_id trace_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_session_id session_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_timestamp timestamp TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(timestamp, 'UTC')
ORDER BY (project_id, name, score_id)
SETTINGS ttl_only_drop_parts = 1`;

const EVALUATION = 'gen_ai.evaluation.result';

/** The score columns of an evaluation event whose attributes are `a`. */
const EVALUATION_COLUMNS = (a: string) => `
  ${a}['gen_ai.evaluation.name'] AS name,
  toFloat64OrNull(${a}['gen_ai.evaluation.score.value']) AS value,
  ${a}['gen_ai.evaluation.score.label'] AS label,
  'evaluator' AS source,
  ${a}['gen_ai.evaluation.explanation'] AS comment`;

export const SCORES_FROM_SPAN_EVENTS_VIEW = `
CREATE MATERIALIZED VIEW IF NOT EXISTS scores_from_span_events TO scores AS
SELECT
  project_id,
  concat('otel-', lower(hex(cityHash64(trace_id, span_id, toString(ev_time), ev_index)))) AS score_id,
  toDateTime64(ev_time, 3, 'UTC') AS timestamp,
  trace_id,
  span_id,
  session_id,
  ${EVALUATION_COLUMNS('ev_attrs')}
FROM spans
ARRAY JOIN event_names AS ev_name, event_times AS ev_time, event_attributes AS ev_attrs, arrayEnumerate(event_names) AS ev_index
WHERE ev_name = '${EVALUATION}' AND ev_attrs['gen_ai.evaluation.name'] != ''`;

export const SCORES_FROM_LOGS_VIEW = `
CREATE MATERIALIZED VIEW IF NOT EXISTS scores_from_logs TO scores AS
SELECT
  project_id,
  concat('otel-', lower(hex(cityHash64(trace_id, span_id, toString(timestamp), body, toString(log_attributes), record_index)))) AS score_id,
  toDateTime64(timestamp, 3, 'UTC') AS timestamp,
  trace_id,
  span_id,
  '' AS session_id,
  ${EVALUATION_COLUMNS('log_attributes')}
FROM logs
WHERE event_name = '${EVALUATION}' AND log_attributes['gen_ai.evaluation.name'] != ''`;
