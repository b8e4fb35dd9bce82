/**
 * Migration 11: every row belongs to a project. The tables of 011-project-tables.ts replace the
 * old ones; the materialized views carry project_id and group by it.
 *
 * Order, and why each step can be rerun after a crash at any point:
 *   1. the three views are dropped (IF EXISTS), so no insert is aggregated into a table being
 *      swapped; the collector runs migrations before it accepts any span;
 *   2. each table is rebuilt by `rebuildTable`: a table that already has project_id is done (only a
 *      leftover `_v11` from the swap is dropped); otherwise a half-filled `_v11` from an interrupted
 *      copy is dropped and the copy starts over, then the two tables are exchanged atomically;
 *   3. the drift staging table is recreated from the new signals table (it holds nothing between runs);
 *   4. the views are created again (IF NOT EXISTS), reading the new spans table.
 * Several collectors on one server: stop them all before the upgrade, since spans an old collector
 * inserts between a copy and its exchange would stay behind in the dropped table.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { QUANTILES } from './003-rollups.js';
import { PROJECT_TABLES_V11 } from './011-project-tables.js';

const ROOT_FIRST = `(s.parent_span_id != '', s.start_time)`;

export const DROP_VIEWS_V11 = [
  'DROP VIEW IF EXISTS trace_summaries_mv',
  'DROP VIEW IF EXISTS session_summaries_mv',
  'DROP VIEW IF EXISTS span_rollups_1m_mv',
];

export const TRACE_SUMMARIES_VIEW_V11 = `
CREATE MATERIALIZED VIEW IF NOT EXISTS trace_summaries_mv TO trace_summaries AS
SELECT
  s.project_id AS project_id,
  toDate(s.start_time, 'UTC') AS day,
  s.trace_id AS trace_id,
  min(s.start_time) AS start_time,
  max(s.end_time) AS end_time,
  argMinState(s.name, ${ROOT_FIRST}) AS root_name,
  argMinState(toString(s.service_name), ${ROOT_FIRST}) AS root_service,
  toUInt64(count()) AS span_count,
  toUInt64(countIf(s.status_code = 'ERROR')) AS error_count,
  sum(s.input_tokens) AS input_tokens,
  sum(s.output_tokens) AS output_tokens,
  max(s.session_id) AS session_id,
  max(toString(s.environment)) AS environment,
  max(toString(s.release)) AS release,
  groupUniqArrayIf(toString(s.agent_name), s.agent_name != '') AS agents,
  groupUniqArray(toString(s.service_name)) AS services,
  groupUniqArrayIf(toString(s.tool_name), s.tool_name != '') AS tools,
  groupUniqArrayIf(if(s.response_model != '', toString(s.response_model), toString(s.request_model)), s.request_model != '' OR s.response_model != '') AS models
FROM spans AS s
GROUP BY project_id, day, trace_id`;

export const SESSION_SUMMARIES_VIEW_V11 = `
CREATE MATERIALIZED VIEW IF NOT EXISTS session_summaries_mv TO session_summaries AS
SELECT
  s.project_id AS project_id,
  toDate(s.start_time, 'UTC') AS day,
  s.session_id AS session_id,
  min(s.start_time) AS first_seen,
  max(s.end_time) AS last_seen,
  uniqExactState(s.trace_id) AS traces,
  toUInt64(count()) AS span_count,
  toUInt64(countIf(s.status_code = 'ERROR')) AS error_count,
  toUInt64(countIf(s.operation IN ('chat', 'text_completion', 'generate_content'))) AS llm_calls,
  toUInt64(countIf(s.operation = 'execute_tool')) AS tool_calls,
  sum(s.input_tokens) AS input_tokens,
  sum(s.output_tokens) AS output_tokens,
  max(toString(s.environment)) AS environment,
  groupUniqArrayIf(toString(s.tool_name), s.tool_name != '') AS tools,
  groupUniqArrayIf(toString(s.agent_name), s.agent_name != '') AS agents,
  groupUniqArray(toString(s.service_name)) AS services
FROM spans AS s
WHERE s.session_id != ''
GROUP BY project_id, day, session_id`;

export const ROLLUPS_VIEW_V11 = `
CREATE MATERIALIZED VIEW IF NOT EXISTS span_rollups_1m_mv TO span_rollups_1m AS
SELECT
  s.project_id AS project_id,
  toStartOfMinute(s.start_time, 'UTC') AS minute,
  s.service_name AS service_name,
  s.environment AS environment,
  s.operation AS operation,
  s.agent_name AS agent_name,
  s.tool_name AS tool_name,
  if(s.response_model != '', s.response_model, s.request_model) AS model,
  toUInt8(s.parent_span_id = '') AS is_root,
  toUInt64(count()) AS span_count,
  toUInt64(countIf(s.status_code = 'ERROR')) AS error_count,
  sum(s.duration_ns) AS duration_sum,
  sum(s.input_tokens) AS input_tokens,
  sum(s.output_tokens) AS output_tokens,
  quantilesTDigestState(${QUANTILES})(s.duration_ns) AS duration_quantiles,
  uniqIfState(s.session_id, s.session_id != '') AS sessions
FROM spans AS s
GROUP BY project_id, minute, service_name, environment, operation, agent_name, tool_name, model, is_root`;

export const CREATE_VIEWS_V11 = [TRACE_SUMMARIES_VIEW_V11, SESSION_SUMMARIES_VIEW_V11, ROLLUPS_VIEW_V11];

export const DRIFT_STAGING_V11 = [
  'DROP TABLE IF EXISTS drift_session_signals_staging',
  'CREATE TABLE IF NOT EXISTS drift_session_signals_staging AS drift_session_signals',
];

/** Table and column names read back from ClickHouse go into DDL: only plain identifiers are accepted. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

async function columnsOf(client: ClickHouseClient, table: string): Promise<Array<{ name: string; kind: string }>> {
  const rs = await client.query({
    query: `SELECT name, default_kind AS kind FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position`,
    query_params: { table },
    format: 'JSONEachRow',
  });
  return rs.json<{ name: string; kind: string }>();
}

/**
 * Replaces `table` with the `_v11` table `create` makes, holding the same rows in project 'default'.
 * Idempotent (see the file comment). Names come from PROJECT_TABLES_V11 and system.columns, checked.
 */
export async function rebuildTable(client: ClickHouseClient, table: string, create: string): Promise<void> {
  const next = `${table}_v11`;
  if (!IDENTIFIER.test(table)) throw new Error(`not a table name: ${table}`);
  const current = await columnsOf(client, table);
  if (current.some((c) => c.name === 'project_id')) {
    await client.command({ query: `DROP TABLE IF EXISTS ${next}` });
    return;
  }
  await client.command({ query: `DROP TABLE IF EXISTS ${next}` });
  await client.command({ query: create });
  // Every stored column (MATERIALIZED and ALIAS ones are computed); project_id takes its default.
  const copied = current.filter((c) => c.kind === '' || c.kind === 'DEFAULT').map((c) => c.name);
  for (const name of copied) if (!IDENTIFIER.test(name)) throw new Error(`unexpected column name in ${table}: ${name}`);
  if (copied.length > 0) {
    const list = copied.join(', ');
    // A table may hold many days: a copy is no reason to refuse on the per-block partition limit.
    // In the query text, not as a client setting: the embedded engine keeps client settings for the
    // rest of its session, and the write path relies on that limit being the default.
    await client.command({
      query: `INSERT INTO ${next} (${list}) SELECT ${list} FROM ${table} SETTINGS max_partitions_per_insert_block = 0`,
    });
  }
  await client.command({ query: `EXCHANGE TABLES ${table} AND ${next}` });
  await client.command({ query: `DROP TABLE IF EXISTS ${next}` });
}

export async function migrateToProjects(client: ClickHouseClient): Promise<void> {
  for (const query of DROP_VIEWS_V11) await client.command({ query });
  for (const { table, create } of PROJECT_TABLES_V11) await rebuildTable(client, table, create);
  for (const query of DRIFT_STAGING_V11) await client.command({ query });
  for (const query of CREATE_VIEWS_V11) await client.command({ query });
}
