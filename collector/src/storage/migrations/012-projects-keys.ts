/**
 * Projects and their API keys (migration 12).
 * - projects: one row per project, edits are newer versions (ReplacingMergeTree, read with FINAL);
 *   `default` exists from the start (version 0, so any later edit of it wins).
 * - api_keys: one row per key; only the SHA-256 of the whole key is stored (the key is 256 random
 *   bits, so a plain digest cannot be reversed by guessing). Revoking writes a newer version.
 * - api_key_usage: when each key was last used, written at most once a minute per key and apart
 *   from api_keys, so a usage write can never undo a revocation written meanwhile.
 */
export const PROJECTS_TABLE = `
CREATE TABLE IF NOT EXISTS projects (
  id String,
  name String,
  created_at DateTime64(3, 'UTC'),
  quota_spans_per_minute Nullable(UInt32),
  deleted UInt8 DEFAULT 0,
  version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id`;

export const DEFAULT_PROJECT_ROW = `
INSERT INTO projects (id, name, created_at, quota_spans_per_minute, deleted, version)
SELECT 'default', 'Default', now64(3), NULL, 0, 0
WHERE (SELECT count() FROM projects WHERE id = 'default') = 0`;

export const API_KEYS_TABLE = `
CREATE TABLE IF NOT EXISTS api_keys (
  id String,
  project_id LowCardinality(String),
  name String,
  prefix String,
  secret_sha256 String,
  scopes Array(LowCardinality(String)),
  created_at DateTime64(3, 'UTC'),
  revoked_at Nullable(DateTime64(3, 'UTC')),
  version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (prefix, id)`;

export const API_KEY_USAGE_TABLE = `
CREATE TABLE IF NOT EXISTS api_key_usage (
  key_id String,
  used_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(used_at)
ORDER BY key_id`;
