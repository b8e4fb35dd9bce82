/** The ledger of applied migrations: one row per version (migrate.ts). */
export const LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  applied_at DateTime DEFAULT now()
)
ENGINE = MergeTree
ORDER BY version`;
