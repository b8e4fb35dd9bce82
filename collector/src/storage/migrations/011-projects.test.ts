/**
 * Migration 11 on a data dir written before projects existed: every row is read back in project
 * `default`, nothing in any other project; the rebuilt tables keep every column, codec, index and
 * setting, with project_id leading their sorting key; the views carry the project; a run
 * interrupted at any step finishes on the next start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleStore } from '../../alerts/rules.js';
import { loadSecretBox } from '../../alerts/secret-box.js';
import { StateStore } from '../../alerts/states.js';
import { TargetPolicy } from '../../alerts/targets.js';
import { DEFAULT_PROJECT_ID } from '../../auth/principal.js';
import { agentTrace } from '../../test-support/span-rows.js';
import { count, tempDataDir } from '../../test-support/temp-storage.js';
import { openStorage, type Storage } from '../client.js';
import { migrate } from '../migrate.js';
import { queryMetrics } from '../queries/metrics.js';
import { getSession, listSessions } from '../queries/sessions.js';
import { traceLogs } from '../queries/trace-logs.js';
import { getTrace, listTraces } from '../queries/traces.js';
import { PROJECT_TABLES_V11 } from './011-project-tables.js';
import { migrateToProjects, rebuildTable } from './011-projects.js';
import { MIGRATIONS } from './index.js';

const tmp = tempDataDir('sightline-migration-11-');
let storage: Storage;
const T0 = Date.now() - 3_600_000;
const startNs = BigInt(T0) * 1_000_000n;
const spans = [
  ...agentTrace({ traceIndex: 1, startNs, sessionId: 'session-a' }),
  ...agentTrace({ traceIndex: 2, startNs: startNs + 60_000_000_000n, sessionId: 'session-a', failTool: true }),
];
const TRACE_1 = spans[0]!.trace_id;

interface ColumnShape {
  table: string;
  name: string;
  type: string;
  default_kind: string;
  default_expression: string;
  compression_codec: string;
}
const shapes = async (): Promise<ColumnShape[]> => {
  const rs = await storage.client.query({
    query: `SELECT table, name, type, default_kind, default_expression, compression_codec FROM system.columns
            WHERE database = currentDatabase() AND table IN {tables:Array(String)} ORDER BY table, name`,
    query_params: { tables: PROJECT_TABLES_V11.map((t) => t.table) },
    format: 'JSONEachRow',
  });
  return rs.json<ColumnShape>();
};
const tableInfo = async () => {
  const rs = await storage.client.query({
    query: `SELECT name, sorting_key, partition_key, engine, extract(engine_full, 'SETTINGS .*$') AS settings FROM system.tables
            WHERE database = currentDatabase() AND name IN {tables:Array(String)} ORDER BY name`,
    query_params: { tables: PROJECT_TABLES_V11.map((t) => t.table) },
    format: 'JSONEachRow',
  });
  return rs.json<{ name: string; sorting_key: string; partition_key: string; engine: string; settings: string }>();
};
const indexes = async () => {
  const rs = await storage.client.query({
    query: `SELECT table, name, type_full, expr, granularity FROM system.data_skipping_indices WHERE database = currentDatabase() ORDER BY table, name`,
    format: 'JSONEachRow',
  });
  return rs.json<Record<string, string>>();
};
const rowCounts = async () =>
  Object.fromEntries(
    await Promise.all(PROJECT_TABLES_V11.map(async ({ table }) => [table, await count(storage, `SELECT count() FROM ${table}`)])),
  );

let before: { columns: ColumnShape[]; tables: Awaited<ReturnType<typeof tableInfo>>; indexes: Record<string, string>[]; rows: object };

beforeAll(async () => {
  storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir: tmp.dir });
  // The schema of the release before projects, and data written by it.
  await migrate(
    storage.client,
    MIGRATIONS.filter((m) => m.version <= 10),
  );
  await storage.client.insert({ table: 'spans', values: spans.map(({ project_id: _p, ...old }) => old), format: 'JSONEachRow' });
  // Spans on 120 days: more partitions than one insert block may create by default (the copy must not refuse).
  await storage.client.command({
    query: `INSERT INTO spans (trace_id, span_id, start_time, end_time, service_name, name)
            SELECT concat('old-', toString(number)), 'span', now64(9) - toIntervalDay(number + 2), now64(9) - toIntervalDay(number + 2), 'old', 'old'
            FROM numbers(120) SETTINGS max_partitions_per_insert_block = 0`,
  });
  await storage.client.insert({
    table: 'logs',
    format: 'JSONEachRow',
    values: [
      {
        timestamp: spans[1]!.start_time,
        observed_timestamp: spans[1]!.start_time,
        trace_id: TRACE_1,
        span_id: spans[1]!.span_id,
        severity_number: 9,
        severity_text: 'INFO',
        event_name: 'gen_ai.user.message',
        body: '{"content":"hello"}',
        log_attributes: {},
        resource_attributes: {},
        service_name: 'support-bot',
        scope_name: 'test',
        record_index: 0,
      },
    ],
  });
  const rules = new RuleStoreBefore11(storage);
  await rules.insert();
  before = { columns: await shapes(), tables: await tableInfo(), indexes: await indexes(), rows: await rowCounts() };
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

/** Rows of the alert and drift tables as the release before projects wrote them (no project_id). */
class RuleStoreBefore11 {
  constructor(private readonly s: Storage) {}
  async insert(): Promise<void> {
    const c = this.s.client;
    const spec = {
      name: 'slow agent',
      condition: { kind: 'latency', percentile: 'p95', mode: 'absolute', thresholdMs: 1000 },
      scope: { agent: 'support-agent' },
      channels: [],
    };
    await c.insert({
      table: 'alert_rules',
      format: 'JSONEachRow',
      values: [
        { id: 'rule-1', version: 1, deleted: 0, name: spec.name, spec: JSON.stringify(spec), muted: 0, created_at: T0, updated_at: T0 },
      ],
    });
    await c.insert({
      table: 'alert_states',
      format: 'JSONEachRow',
      values: [
        {
          rule_id: 'rule-1',
          scope_key: '',
          version: 1,
          state: 'firing',
          since: T0,
          breaches: 3,
          clears: 0,
          seq: 1,
          value: 1500,
          threshold: 1000,
          last_evaluated_at: T0,
        },
      ],
    });
    await c.insert({
      table: 'alert_transitions',
      format: 'JSONEachRow',
      values: [
        { id: 'rule-1:1:', rule_id: 'rule-1', rule_name: spec.name, scope_key: '', from_state: 'pending', to_state: 'firing', at: T0 },
      ],
    });
    await c.insert({
      table: 'alert_deliveries',
      format: 'JSONEachRow',
      values: [{ id: 'rule-1:1::0', version: 1, rule_id: 'rule-1', status: 'delivered', url: 'https://hooks.example/x', created_at: T0 }],
    });
    await c.insert({
      table: 'drift_session_signals',
      format: 'JSONEachRow',
      values: [{ agent_name: 'support-agent', start_time: String(T0), session_key: 'session-a', session_id: 'session-a' }],
    });
    await c.insert({
      table: 'drift_checks',
      format: 'JSONEachRow',
      values: [{ agent_name: 'support-agent', window_end: String(T0), status: 'no_drift', summary: 'steady', report: '{}' }],
    });
    await c.insert({
      table: 'drift_signal_results',
      format: 'JSONEachRow',
      values: [{ agent_name: 'support-agent', signal: 'path', window_end: String(T0), status: 'tested' }],
    });
  }
}

describe('migration 11 on data written before projects', () => {
  it('applies once and moves every row of every table into project default', async () => {
    // Up to 11 here: later migrations add their own columns, checked by their own tests.
    const upTo11 = MIGRATIONS.filter((m) => m.version <= 11);
    expect(await migrate(storage.client, upTo11)).toEqual([11]);
    expect(await rowCounts()).toEqual(before.rows);
    for (const { table } of PROJECT_TABLES_V11) {
      expect(await count(storage, `SELECT count() FROM ${table} WHERE project_id != 'default'`), table).toBe(0);
    }
    expect(await migrate(storage.client, upTo11)).toEqual([]);
  });

  it('keeps every column with its type, default and codec, every index and setting; project_id leads each sorting key', async () => {
    const after = await shapes();
    expect(after.filter((c) => c.name !== 'project_id')).toEqual(before.columns);
    for (const { table } of PROJECT_TABLES_V11) {
      expect(
        after.find((c) => c.table === table && c.name === 'project_id'),
        table,
      ).toMatchObject({
        type: 'LowCardinality(String)',
        default_expression: "'default'",
      });
    }
    const tables = await tableInfo();
    for (const t of tables) {
      const old = before.tables.find((b) => b.name === t.name)!;
      expect(t.sorting_key, t.name).toBe(`project_id, ${old.sorting_key}`);
      expect({ ...t, sorting_key: '' }, t.name).toEqual({ ...old, sorting_key: '' });
    }
    expect(await indexes()).toEqual(before.indexes);
  });

  it('answers the old traces, sessions, logs, metrics and rules in project default and nothing in another project', async () => {
    // The queries read columns of the migrations after 11 (cost): apply them first.
    expect(await migrate(storage.client)).toEqual(MIGRATIONS.filter((m) => m.version > 11).map((m) => m.version));
    const range = { from: T0 - 60_000, to: Date.now() };
    const traces = await listTraces(storage.client, DEFAULT_PROJECT_ID, { limit: 10, sort: 'start', ...range });
    expect(traces.traces.map((t) => [t.traceId, t.spanCount]).sort()).toEqual(
      [...new Set(spans.map((s) => s.trace_id))].map((id) => [id, spans.filter((s) => s.trace_id === id).length]).sort(),
    );
    const trace = await getTrace(storage.client, DEFAULT_PROJECT_ID, TRACE_1);
    expect(trace.spans).toHaveLength(spans.filter((s) => s.trace_id === TRACE_1).length);
    expect(await traceLogs(storage.client, DEFAULT_PROJECT_ID, TRACE_1, spans[0]!.start_time, spans[0]!.end_time)).toHaveLength(1);
    expect((await getSession(storage.client, DEFAULT_PROJECT_ID, 'session-a')).session.traceCount).toBe(2);
    const metrics = await queryMetrics(storage.client, DEFAULT_PROJECT_ID, { ...range, groupBy: 'none' });
    expect(metrics.totals[0]?.count).toBe(spans.length);
    const rules = new RuleStore(storage.client, new TargetPolicy(''), loadSecretBox(undefined, tmp.dir));
    expect((await rules.list(DEFAULT_PROJECT_ID)).map((r) => r.id)).toEqual(['rule-1']);
    expect((await new StateStore(storage.client).load(DEFAULT_PROJECT_ID)).get('rule-1')?.get('')?.state).toBe('firing');

    expect((await listTraces(storage.client, 'other', { limit: 10, sort: 'start', ...range })).traces).toEqual([]);
    await expect(getTrace(storage.client, 'other', TRACE_1)).rejects.toMatchObject({ code: 'not_found' });
    expect((await listSessions(storage.client, 'other', { limit: 10, ...range })).sessions).toEqual([]);
    expect((await queryMetrics(storage.client, 'other', { ...range, groupBy: 'none' })).totals).toEqual([]);
    expect(await rules.list('other')).toEqual([]);
  });

  it('summarizes and rolls up new spans per project through the recreated views', async () => {
    const fresh = agentTrace({ traceIndex: 3, startNs, sessionId: 'session-a' }).map((r) => ({ ...r, project_id: 'team-b' }));
    await storage.client.insert({ table: 'spans', values: fresh, format: 'JSONEachRow' });
    const range = { from: T0 - 60_000, to: Date.now() };
    const b = await listTraces(storage.client, 'team-b', { limit: 10, sort: 'start', ...range });
    expect(b.traces.map((t) => [t.traceId, t.spanCount])).toEqual([[fresh[0]!.trace_id, fresh.length]]);
    expect((await getSession(storage.client, 'team-b', 'session-a')).session.traceCount).toBe(1);
    expect((await getSession(storage.client, DEFAULT_PROJECT_ID, 'session-a')).session.traceCount).toBe(2);
    expect((await queryMetrics(storage.client, 'team-b', { ...range, groupBy: 'none' })).totals[0]?.count).toBe(fresh.length);
    expect((await queryMetrics(storage.client, DEFAULT_PROJECT_ID, { ...range, groupBy: 'none' })).totals[0]?.count).toBe(spans.length);
  });

  it('finishes a run interrupted half-way through a copy, or between a swap and its clean-up, without losing or doubling rows', async () => {
    const rows = await rowCounts();
    // A copy cut short: a half-filled successor, the old table still in place. Made by hand here on
    // an already-migrated table, so the rebuild finds project_id and must only clean up.
    await storage.client.command({ query: PROJECT_TABLES_V11.find((t) => t.table === 'alert_rules')!.create });
    await storage.client.command({ query: `INSERT INTO alert_rules_v11 (id, version) VALUES ('junk', 1)` });
    await migrateToProjects(storage.client);
    expect(await rowCounts()).toEqual(rows);
    expect(await count(storage, `SELECT count() FROM system.tables WHERE database = currentDatabase() AND name LIKE '%\\_v11'`)).toBe(0);

    // A table of the old shape (no project_id) with a stale half copy beside it: the copy starts over.
    await storage.client.command({ query: 'CREATE TABLE legacy_t (x UInt8) ENGINE = MergeTree ORDER BY x' });
    await storage.client.command({ query: 'INSERT INTO legacy_t VALUES (1), (2), (3)' });
    const createNext = `CREATE TABLE IF NOT EXISTS legacy_t_v11 (project_id LowCardinality(String) DEFAULT 'default', x UInt8)
                        ENGINE = MergeTree ORDER BY (project_id, x)`;
    await storage.client.command({ query: createNext });
    await storage.client.command({ query: 'INSERT INTO legacy_t_v11 (x) VALUES (1)' });
    await rebuildTable(storage.client, 'legacy_t', createNext);
    await rebuildTable(storage.client, 'legacy_t', createNext); // a rerun after success does nothing
    expect(await count(storage, `SELECT count() FROM legacy_t WHERE project_id = 'default'`)).toBe(3);
    expect(await count(storage, `SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'legacy_t_v11'`)).toBe(0);
  });

  it('lists project default among the projects once the later migrations applied (migration 12)', async () => {
    expect(await migrate(storage.client)).toEqual([]);
    expect(await count(storage, `SELECT count() FROM projects FINAL WHERE id = 'default'`)).toBe(1);
  });
});
