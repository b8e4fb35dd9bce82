/**
 * Alert rules, their state per scope, the transition history and the notification delivery log.
 * Mutable rows (rules, states, deliveries) are ReplacingMergeTree tables keyed on identity with a
 * `version` column: an update is an insert of a newer version, readers take the latest with FINAL.
 * Small tables written a few times a minute at most, so FINAL stays cheap.
 */
export const ALERT_RULES_TABLE = `
CREATE TABLE IF NOT EXISTS alert_rules (
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
ORDER BY id`;

export const ALERT_STATES_TABLE = `
CREATE TABLE IF NOT EXISTS alert_states (
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
ORDER BY (rule_id, scope_key)`;

/** Append-only; `id` is derived from (rule, scope, seq) so a transition re-derived after a crash is recognised. */
export const ALERT_TRANSITIONS_TABLE = `
CREATE TABLE IF NOT EXISTS alert_transitions (
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
ORDER BY (rule_id, at, id)`;

export const ALERT_DELIVERIES_TABLE = `
CREATE TABLE IF NOT EXISTS alert_deliveries (
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
ORDER BY id`;
