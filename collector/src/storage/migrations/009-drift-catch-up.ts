/**
 * Cheap drift catch-up (drift/materialize.ts).
 * - A minmax skip index on spans.ingested_at: finding the hours that received late spans reads
 *   only the granules written since the last run instead of the whole table. Parts written before
 *   this migration get it through MATERIALIZE INDEX (a background mutation on a server).
 * - drift_session_signals_staging: a day of sessions is recomputed here, then swapped into
 *   drift_session_signals with REPLACE PARTITION (atomic, no DELETE). It must keep the structure,
 *   partition key and sort key of drift_session_signals, hence `AS`.
 */
export const SPANS_ADD_INGESTED_INDEX = `ALTER TABLE spans ADD INDEX IF NOT EXISTS idx_ingested_at ingested_at TYPE minmax GRANULARITY 1`;

export const SPANS_MATERIALIZE_INGESTED_INDEX = `ALTER TABLE spans MATERIALIZE INDEX idx_ingested_at`;

export const DRIFT_SESSION_SIGNALS_STAGING_TABLE = `CREATE TABLE IF NOT EXISTS drift_session_signals_staging AS drift_session_signals`;
