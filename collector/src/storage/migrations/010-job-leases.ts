/**
 * Leases of the background jobs (alert evaluation and delivery, drift materialization and checks),
 * so that several collectors on one ClickHouse run each job once: see `jobs/lease.ts` for the protocol.
 * One row per (job, term, holder), replaced by newer versions as the holder renews or releases.
 * A claim of a term is inserted with `insert_deduplication_token = job:term`: the table keeps the
 * tokens of its last 10,000 deduplicated inserts (claims only; renewals are inserted without
 * deduplication), so of two claims of the same term only the first is stored.
 * No TTL: terms must only grow, and merges keep one row per term (a few rows per takeover).
 */
export const JOB_LEASES_TABLE = `
CREATE TABLE IF NOT EXISTS job_leases (
  job LowCardinality(String),
  term UInt64,
  holder String,
  claimed_at DateTime64(3, 'UTC'),
  expires_at DateTime64(3, 'UTC'),
  released UInt8,
  version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (job, term, holder)
SETTINGS non_replicated_deduplication_window = 10000`;
