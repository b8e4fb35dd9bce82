/**
 * Custom prices per project (pricing/custom-prices.ts): a model pattern with per-token prices by
 * kind, valid from a date. They beat the price database at ingest and in a recompute. A change is a
 * newer version of the row (ReplacingMergeTree, read with FINAL: a small table).
 * Prices are USD per million tokens, the unit price lists use; Nullable where the kind falls back to
 * another (cache reads and writes to the input price, reasoning to the output price).
 */
export const CUSTOM_PRICES_TABLE = `
CREATE TABLE IF NOT EXISTS custom_prices (
  project_id LowCardinality(String),
  id String,
  version UInt64,
  deleted UInt8,
  model_pattern String,
  provider String,
  input_per_mtok Float64,
  output_per_mtok Float64,
  cache_read_per_mtok Nullable(Float64),
  cache_write_per_mtok Nullable(Float64),
  reasoning_per_mtok Nullable(Float64),
  valid_from DateTime64(3, 'UTC'),
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, id)`;
