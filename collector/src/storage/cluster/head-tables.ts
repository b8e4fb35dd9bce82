/**
 * Every table as migrations 1–18 leave it (the "head"), assembled from the migrations' own
 * statements: the CREATE that made its current shape (migration 11 rebuilt the project tables) plus
 * the columns and indexes later migrations added (14: cost, 16: search index). schema.test.ts checks
 * the result against a database migrated step by step, so this list cannot drift from them.
 *
 * `placement` says where a table lives on a cluster:
 * - `sharded`: the data that grows with traffic. Each shard keeps `<name>_local`
 *   (Replicated*MergeTree, replicated within the shard) and every node has a `Distributed` table
 *   under the canonical name, so queries and inserts keep using `spans`, `trace_summaries`, ...
 *   The sharding key decides which reads stay exact across shards; see SHARDING below.
 * - `everywhere`: small tables written by the API and the background jobs (projects, keys, users,
 *   alerts, drift results, leases, the migration ledger). One replica group over all nodes (a
 *   Keeper path without {shard}), read and written under the canonical name on any node, so FINAL
 *   reads, partition swaps and lease claims see one table, as on a single server.
 * - `node`: the drift job's staging table, a plain MergeTree on every node: it is filled and
 *   swapped (REPLACE PARTITION) into `drift_session_signals` by one collector through one node, so
 *   it only has to exist on the node that collector talks to, and must not be replicated (each
 *   node's staging holds that node's work in progress).
 */
import { LEDGER } from '../migrations/ledger.js';
import { DRIFT_PROGRESS_TABLE } from '../migrations/005-drift.js';
import { JOB_LEASES_TABLE } from '../migrations/010-job-leases.js';
import { PROJECT_TABLES_V11 } from '../migrations/011-project-tables.js';
import { API_KEY_USAGE_TABLE, API_KEYS_TABLE, PROJECTS_TABLE } from '../migrations/012-projects-keys.js';
import { AUDIT_LOG_TABLE, MEMBERSHIPS_TABLE, SESSIONS_TABLE, USERS_TABLE } from '../migrations/013-users.js';
import {
  DRIFT_SIGNALS_ADD_COST,
  ROLLUPS_ADD_COST,
  SESSION_SUMMARIES_ADD_COST,
  SPANS_ADD_COST,
  TRACE_SUMMARIES_ADD_COST,
} from '../migrations/014-cost.js';
import { CUSTOM_PRICES_TABLE } from '../migrations/015-custom-prices.js';
import { SPANS_ADD_SEARCH_INDEX } from '../migrations/016-search-index.js';
import { SCORES_TABLE } from '../migrations/017-scores.js';
import { HOUR_ROLLUPS_TABLE } from '../migrations/018-hour-rollups.js';
import { addedColumns, addedIndex, parseCreateTable, type TableParts } from './table-ddl.js';

export type Placement = 'sharded' | 'everywhere' | 'node';

export interface HeadTable {
  name: string;
  parts: TableParts;
  placement: Placement;
  /** The Distributed table's sharding key (sharded tables only). */
  shardingKey?: string;
}

/**
 * Sharding keys. Spans, logs and scores by trace: a trace's spans, log records and evaluator scores
 * live on one shard, so its ReplacingMergeTree copies meet there and `FINAL` (which collapses only
 * within a shard) stays exact; the trace view and the search read one shard's rows per trace.
 * trace_summaries by trace too: its materialized view runs on the shard that stored the spans, so
 * all partial rows of a trace are on one shard, and a cost correction inserted through the
 * Distributed table (pricing/recompute.ts) lands beside them. session_summaries and the minute
 * and hour rollups are filled by the views wherever the spans went (the hour view reads the shard's
 * own minute rows) (a session's traces spread over shards):
 * their readers GROUP BY the key and merge aggregate states, which is exact across shards; their
 * keys only place rows inserted directly (cost corrections), deterministically, so a retried insert
 * goes to the same shard and is deduplicated there.
 */
const SHARDING: Record<string, string> = {
  spans: 'cityHash64(trace_id)',
  logs: 'cityHash64(trace_id)',
  scores: 'cityHash64(trace_id)',
  trace_summaries: 'cityHash64(trace_id)',
  session_summaries: 'cityHash64(session_id)',
  span_rollups_1m: 'cityHash64(project_id, minute)',
  span_rollups_1h: 'cityHash64(project_id, hour)',
};

const v11 = (table: string): TableParts => {
  const found = PROJECT_TABLES_V11.find((t) => t.table === table);
  if (!found) throw new Error(`no migration-11 table ${table}`);
  return parseCreateTable(found.create);
};

const withColumns = (p: TableParts, alter: string): TableParts => {
  const columns = addedColumns(alter);
  const firstIndex = p.elements.findIndex((e) => e.startsWith('INDEX '));
  const at = firstIndex < 0 ? p.elements.length : firstIndex;
  return { ...p, elements: [...p.elements.slice(0, at), ...columns, ...p.elements.slice(at)] };
};

const withIndex = (p: TableParts, alter: string): TableParts => {
  const { index, settings } = addedIndex(alter);
  // The index's query settings (enable_full_text_index) go into the CREATE's SETTINGS clause, where
  // ClickHouse applies the query-level ones to the statement and keeps only the MergeTree ones.
  return { ...p, elements: [...p.elements, index], settings: [...p.settings, ...settings] };
};

const spans = withIndex(withColumns(v11('spans'), SPANS_ADD_COST), SPANS_ADD_SEARCH_INDEX);
const driftSignals = withColumns(v11('drift_session_signals'), DRIFT_SIGNALS_ADD_COST);

const sharded = (name: string, parts: TableParts): HeadTable => ({ name, parts, placement: 'sharded', shardingKey: SHARDING[name]! });
const everywhere = (name: string, parts: TableParts): HeadTable => ({ name, parts, placement: 'everywhere' });

/** In creation order: a view's source and target come before it (schema.ts creates views last). */
export const HEAD_TABLES: readonly HeadTable[] = [
  everywhere('schema_migrations', parseCreateTable(LEDGER)),
  sharded('spans', spans),
  sharded('trace_summaries', withColumns(v11('trace_summaries'), TRACE_SUMMARIES_ADD_COST)),
  sharded('session_summaries', withColumns(v11('session_summaries'), SESSION_SUMMARIES_ADD_COST)),
  sharded('span_rollups_1m', withColumns(v11('span_rollups_1m'), ROLLUPS_ADD_COST)),
  sharded('span_rollups_1h', parseCreateTable(HOUR_ROLLUPS_TABLE)),
  sharded('logs', v11('logs')),
  sharded('scores', parseCreateTable(SCORES_TABLE)),
  everywhere('drift_session_signals', driftSignals),
  { name: 'drift_session_signals_staging', parts: driftSignals, placement: 'node' },
  everywhere('drift_progress', parseCreateTable(DRIFT_PROGRESS_TABLE)),
  everywhere('drift_checks', v11('drift_checks')),
  everywhere('drift_signal_results', v11('drift_signal_results')),
  everywhere('alert_rules', v11('alert_rules')),
  everywhere('alert_states', v11('alert_states')),
  everywhere('alert_transitions', v11('alert_transitions')),
  everywhere('alert_deliveries', v11('alert_deliveries')),
  everywhere('job_leases', parseCreateTable(JOB_LEASES_TABLE)),
  everywhere('projects', parseCreateTable(PROJECTS_TABLE)),
  everywhere('api_keys', parseCreateTable(API_KEYS_TABLE)),
  everywhere('api_key_usage', parseCreateTable(API_KEY_USAGE_TABLE)),
  everywhere('users', parseCreateTable(USERS_TABLE)),
  everywhere('memberships', parseCreateTable(MEMBERSHIPS_TABLE)),
  everywhere('sessions', parseCreateTable(SESSIONS_TABLE)),
  everywhere('audit_log', parseCreateTable(AUDIT_LOG_TABLE)),
  everywhere('custom_prices', parseCreateTable(CUSTOM_PRICES_TABLE)),
];

/** The tables a cluster keeps as `<name>_local` behind a Distributed table. */
export const SHARDED_TABLES: readonly string[] = HEAD_TABLES.filter((t) => t.placement === 'sharded').map((t) => t.name);
