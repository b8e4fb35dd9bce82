/**
 * Users, their roles per project, their sign-in sessions, and the audit log.
 *
 * ClickHouse is the only store, so these are ReplacingMergeTree tables keyed on identity with a
 * `version` column (microseconds, strictly increasing per process): a change is an insert of a newer
 * version and every read takes the latest with FINAL (or, for the one flag that must never go back,
 * with max()). Why that is safe here:
 * - Rows are few and written rarely (a sign-in, a role change), so FINAL stays cheap and the result
 *   is exact at read time: nothing waits for a background merge.
 * - Uniqueness comes from the key, not from a constraint: a user's id is derived from the
 *   normalized email and `users` is ordered by that id, so two sign-ups of one email are two
 *   versions of one row, never two accounts. A membership is keyed on (project, user).
 * - Deletions are tombstones (`removed`, `revoked`, `disabled`), never DELETE mutations.
 * - Sessions are the exception: an AggregatingMergeTree whose merges keep max(revoked) and
 *   min(expires_at), read with the same aggregates. A sign-out is an insert of `revoked = 1`, and no
 *   later write, merge order or clock (several collectors) can bring the session back or lengthen it.
 * - Only the hash of a session token is stored; a stolen copy of the table signs nobody in.
 * Expired sessions are dropped by TTL a day after they expire. The audit log has no TTL: it is the
 * record; its entries are keyed on their id so a retried insert is not listed twice.
 */
export const USERS_TABLE = `
CREATE TABLE IF NOT EXISTS users (
  id String,
  email String,
  password_hash String,
  instance_admin UInt8,
  disabled UInt8,
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id`;

export const MEMBERSHIPS_TABLE = `
CREATE TABLE IF NOT EXISTS memberships (
  project_id String,
  user_id String,
  role LowCardinality(String),
  removed UInt8,
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  version UInt64,
  INDEX user_idx user_id TYPE bloom_filter GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, user_id)`;

export const SESSIONS_TABLE = `
CREATE TABLE IF NOT EXISTS sessions (
  token_hash String,
  user_id SimpleAggregateFunction(any, String),
  method SimpleAggregateFunction(any, LowCardinality(String)),
  created_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  expires_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  revoked SimpleAggregateFunction(max, UInt8)
)
ENGINE = AggregatingMergeTree
ORDER BY token_hash
TTL toDateTime(expires_at) + INTERVAL 1 DAY`;

export const AUDIT_LOG_TABLE = `
CREATE TABLE IF NOT EXISTS audit_log (
  id String,
  at DateTime64(3, 'UTC'),
  project_id String,
  actor_kind LowCardinality(String),
  actor_id String,
  actor_label String,
  action LowCardinality(String),
  target String,
  details String CODEC(ZSTD(1))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(at, 'UTC')
ORDER BY (project_id, at, id)`;
