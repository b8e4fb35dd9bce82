/**
 * The head schema (what migrations 1–18 end with) as CREATE statements, in two forms:
 * - `plain`: the single-server form, equal to what the migrations build (schema.test.ts compares
 *   both on the embedded engine, table by table and view by view);
 * - `cluster`: the same tables and views on an existing ClickHouse cluster (`ON CLUSTER`):
 *   sharded tables as `Replicated*MergeTree` `<name>_local` tables with a `Distributed` table under
 *   the canonical name, the small tables replicated to every node, the materialized views on every
 *   node reading the LOCAL source and writing the LOCAL target, so each shard aggregates the spans
 *   it stores and no insert crosses the network twice (head-tables.ts says where each table lives).
 * A new cluster starts at the head (migrate-cluster.ts records migrations 1–18 as applied) instead
 * of replaying history: the old migrations rebuild tables and swap them, which a cluster would do
 * with different statements for the same result.
 *
 * Every name here comes from our own constants or a validated identifier (config.ts), never from
 * a request: DDL cannot take query parameters.
 */
import { DEFAULT_PROJECT_ROW } from '../migrations/012-projects-keys.js';
import { ROLLUPS_VIEW_COST, SESSION_SUMMARIES_VIEW_COST, TRACE_SUMMARIES_VIEW_COST } from '../migrations/014-cost.js';
import { SCORES_FROM_LOGS_VIEW, SCORES_FROM_SPAN_EVENTS_VIEW } from '../migrations/017-scores.js';
import { HOUR_ROLLUPS_VIEW } from '../migrations/018-hour-rollups.js';
import { HEAD_TABLES, type HeadTable } from './head-tables.js';
import { renderCreateTable, type TableParts } from './table-ddl.js';

/** The last migration the head schema includes: a newer one needs its cluster form here first. */
export const HEAD_VERSION = 18;

export type SchemaMode = { kind: 'plain' } | { kind: 'cluster'; cluster: string; database: string };

/** Cluster, database and table names go into DDL text: plain identifiers only. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

interface HeadView {
  name: string;
  source: string;
  target: string;
  /** The SELECT, reading `FROM <source>` exactly once. */
  select: string;
}

const afterModifyQuery = (sql: string) => sql.trim().replace(/^ALTER TABLE \w+ MODIFY QUERY\n/, '');
const afterAs = (sql: string) => sql.trim().replace(/^CREATE MATERIALIZED VIEW IF NOT EXISTS \w+ TO \w+ AS\n/, '');

/** The views as they are after migration 18: the summaries' and rollups' queries of migration 14, the hour rollups' of 18. */
export const HEAD_VIEWS: readonly HeadView[] = [
  { name: 'trace_summaries_mv', source: 'spans', target: 'trace_summaries', select: afterModifyQuery(TRACE_SUMMARIES_VIEW_COST) },
  { name: 'session_summaries_mv', source: 'spans', target: 'session_summaries', select: afterModifyQuery(SESSION_SUMMARIES_VIEW_COST) },
  { name: 'span_rollups_1m_mv', source: 'spans', target: 'span_rollups_1m', select: afterModifyQuery(ROLLUPS_VIEW_COST) },
  { name: 'scores_from_span_events', source: 'spans', target: 'scores', select: afterAs(SCORES_FROM_SPAN_EVENTS_VIEW) },
  { name: 'scores_from_logs', source: 'logs', target: 'scores', select: afterAs(SCORES_FROM_LOGS_VIEW) },
  // Chained on the minute table: on a cluster it reads the shard's local minute rows as its view writes them.
  { name: 'span_rollups_1h_mv', source: 'span_rollups_1m', target: 'span_rollups_1h', select: afterAs(HOUR_ROLLUPS_VIEW) },
];

/** `'<cluster>'` for ON CLUSTER and engine arguments, after checking it is an identifier. */
function quotedIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} must be an identifier (letters, digits, _): ${name}`);
  return `'${name}'`;
}

const localName = (t: { name: string; placement: string }) => (t.placement === 'sharded' ? `${t.name}_local` : t.name);

/** `ReplacingMergeTree(v)` → `ReplicatedReplacingMergeTree('<path>', '{replica}', v)`. */
export function replicatedEngine(engine: string, keeperPath: string): string {
  const m = /^(\w*)MergeTree(?:\((.*)\))?$/s.exec(engine);
  if (!m) throw new Error(`not a MergeTree engine: ${engine}`);
  const args = [`'${keeperPath}'`, `'{replica}'`, ...(m[2] ? [m[2]] : [])];
  return `Replicated${m[1]}MergeTree(${args.join(', ')})`;
}

/**
 * A replicated table deduplicates inserts through Keeper over `replicated_deduplication_window`
 * blocks; the non-replicated window our tables set (WAL replays, lease claims) has no effect there.
 */
const replicatedSettings = (settings: string[]) =>
  settings.map((s) => s.replace(/^non_replicated_deduplication_window\b/, 'replicated_deduplication_window'));

function clusterTable(t: HeadTable, onCluster: string, cluster: string, database: string): string[] {
  if (t.placement === 'node') return [renderCreateTable(t.name, t.parts, onCluster)];
  const local = localName(t);
  // {shard} and {replica} are each node's macros (deploy/cluster/macros-*.xml); {database} is built in.
  const path = t.placement === 'sharded' ? `/clickhouse/tables/{shard}/{database}/${local}` : `/clickhouse/tables/all/{database}/${local}`;
  const parts: TableParts = { ...t.parts, engine: replicatedEngine(t.parts.engine, path), settings: replicatedSettings(t.parts.settings) };
  const statements = [renderCreateTable(local, parts, onCluster)];
  if (t.placement === 'sharded') {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${t.name}${onCluster} AS ${local}\n` +
        `ENGINE = Distributed(${cluster}, '${database}', '${local}', ${t.shardingKey})`,
    );
  }
  return statements;
}

function viewStatement(v: HeadView, onCluster: string, localOf: (table: string) => string): string {
  const from = new RegExp(`\\bFROM ${v.source}\\b`, 'g');
  if ((v.select.match(from) ?? []).length !== 1) throw new Error(`view ${v.name} must read FROM ${v.source} once`);
  const select = v.select.replace(from, `FROM ${localOf(v.source)}`);
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${v.name}${onCluster} TO ${localOf(v.target)} AS\n${select}`;
}

/** The statements that create the head schema in an empty database, in order. Each is idempotent. */
export function headSchema(mode: SchemaMode): string[] {
  if (mode.kind === 'plain') {
    return [
      ...HEAD_TABLES.map((t) => renderCreateTable(t.name, t.parts)),
      DEFAULT_PROJECT_ROW.trim(),
      ...HEAD_VIEWS.map((v) => viewStatement(v, '', (table) => table)),
    ];
  }
  const cluster = quotedIdentifier(mode.cluster, 'SIGHTLINE_CLICKHOUSE_CLUSTER');
  quotedIdentifier(mode.database, 'the database name');
  const onCluster = ` ON CLUSTER ${cluster}`;
  const byName = new Map(HEAD_TABLES.map((t) => [t.name, t]));
  const localOf = (table: string) => {
    const t = byName.get(table);
    if (!t) throw new Error(`a view reads or writes an unknown table: ${table}`);
    return localName(t);
  };
  return [
    ...HEAD_TABLES.flatMap((t) => clusterTable(t, onCluster, cluster, mode.database)),
    // On the node this collector talks to: `projects` is replicated to every node from there.
    DEFAULT_PROJECT_ROW.trim(),
    ...HEAD_VIEWS.map((v) => viewStatement(v, onCluster, localOf)),
  ];
}
