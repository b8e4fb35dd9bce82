/**
 * The head schema's plain form is what the migrations build: one embedded-engine database migrated
 * step by step (migrations 1–18), another created from `headSchema({ kind: 'plain' })`, compared
 * table by table from the system tables (columns with types, defaults and codecs; engine, keys,
 * settings and TTL; skip indexes; each view's query and target). Then the write path runs on the
 * head database: spans through the ingest pipeline fill the summaries, rollups and scores through
 * the views, and the trace list reads them. This is the non-replicated equivalent of the cluster
 * DDL (cluster-schema.test.ts checks that one's text), run for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestPipeline } from '../../ingest/pipeline.js';
import { silentLogger } from '../../logger.js';
import { agentTrace } from '../../test-support/span-rows.js';
import { count, tempDataDir } from '../../test-support/temp-storage.js';
import { openStorage, type Storage } from '../client.js';
import { applyRetention, migrate } from '../migrate.js';
import { listTraces } from '../queries/traces.js';
import { headSchema } from './schema.js';

const tmp = tempDataDir('sightline-head-schema-');
let storage: Storage;

/** The embedded engine keeps `USE` for the rest of its session: every unqualified name below goes there. */
const use = (database: string) => storage.client.command({ query: `USE ${database}` });

async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await storage.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** Everything the system tables say about a database's schema, with the database's own name taken out. */
async function describeDatabase(database: string): Promise<Record<string, unknown>> {
  const strip = (s: string) => s.replaceAll(`${database}.`, '');
  const tables = await rows<{ name: string; engine: string; create_table_query: string }>(
    `SELECT name, engine, create_table_query FROM system.tables WHERE database = {database:String} ORDER BY name`,
    { database },
  );
  const columns = await rows<Record<string, string>>(
    `SELECT table, position, name, type, default_kind, default_expression, compression_codec, is_in_sorting_key, is_in_partition_key
     FROM system.columns WHERE database = {database:String} ORDER BY table, position`,
    { database },
  );
  const keys = await rows<Record<string, string>>(
    `SELECT name, engine_full, partition_key, sorting_key, primary_key FROM system.tables WHERE database = {database:String} ORDER BY name`,
    { database },
  );
  const indexes = await rows<Record<string, string>>(
    `SELECT table, name, type_full, expr, granularity FROM system.data_skipping_indices WHERE database = {database:String} ORDER BY table, name`,
    { database },
  );
  return {
    tables: tables.map((t) => ({ name: t.name, engine: t.engine, create: strip(t.create_table_query) })),
    columns,
    keys: keys.map((k) => ({ ...k, engine_full: strip(k.engine_full ?? '') })),
    indexes,
  };
}

beforeAll(async () => {
  storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir: tmp.dir });
  await storage.client.command({ query: 'CREATE DATABASE migrated' });
  await use('migrated');
  await migrate(storage.client);
  await storage.client.command({ query: 'CREATE DATABASE head' });
  await use('head');
  for (const query of headSchema({ kind: 'plain' })) await storage.client.command({ query });
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

describe('the head schema (plain)', () => {
  it('has every table and view of the migrated database, each with the same columns, engine, keys, settings and indexes', async () => {
    const migrated = await describeDatabase('migrated');
    const head = await describeDatabase('head');
    const names = (d: Record<string, unknown>) => (d.tables as Array<{ name: string }>).map((t) => t.name);
    expect(names(head)).toEqual(names(migrated));
    expect(names(head)).toEqual(
      expect.arrayContaining(['spans', 'trace_summaries_mv', 'scores_from_logs', 'drift_session_signals_staging']),
    );
    expect(head.columns).toEqual(migrated.columns);
    expect(head.keys).toEqual(migrated.keys);
    expect(head.indexes).toEqual(migrated.indexes);
    // The whole statement as the engine stores it: views' queries and targets, codecs, TTL, settings.
    expect(head.tables).toEqual(migrated.tables);
  });

  it('takes the retention TTLs as the migrated database does', async () => {
    for (const database of ['migrated', 'head']) {
      await use(database);
      await applyRetention(storage.client, 7);
    }
    const migrated = await describeDatabase('migrated');
    expect(JSON.stringify(migrated.tables)).toContain('TTL toDateTime(start_time) + toIntervalDay(7)');
    expect((await describeDatabase('head')).tables).toEqual(migrated.tables);
  });

  it('holds the default project, as migration 12 leaves it', async () => {
    expect(await count(storage, `SELECT count() FROM head.projects WHERE id = 'default'`)).toBe(1);
  });

  it('takes spans through the ingest pipeline and fills summaries, rollups and scores through its views', async () => {
    await use('head');
    const pipeline = await IngestPipeline.start(storage, {
      batchMaxSpans: 10_000,
      flushIntervalMs: 60_000,
      queueMaxSpans: 100_000,
      walDir: undefined,
      dedupCapacity: 10_000,
      logger: silentLogger,
    });
    const now = Date.now();
    const trace = agentTrace({ traceIndex: 7, startNs: BigInt(now - 60_000) * 1_000_000n, sessionId: 'head-session' });
    const judged = trace[0]!;
    judged.event_times = [judged.start_time];
    judged.event_names = ['gen_ai.evaluation.result'];
    judged.event_attributes = [{ 'gen_ai.evaluation.name': 'helpfulness', 'gen_ai.evaluation.score.value': '0.75' }];
    const done = pipeline.accept(trace, 'default');
    await pipeline.flush();
    await done;
    await pipeline.stop();
    expect(await count(storage, 'SELECT count() FROM head.spans')).toBe(trace.length);
    expect(await count(storage, 'SELECT sum(span_count) FROM head.trace_summaries')).toBe(trace.length);
    expect(await count(storage, `SELECT count() FROM head.session_summaries WHERE session_id = 'head-session'`)).toBeGreaterThan(0);
    expect(await count(storage, 'SELECT sum(span_count) FROM head.span_rollups_1m')).toBe(trace.length);
    expect(await count(storage, `SELECT value FROM head.scores FINAL WHERE name = 'helpfulness'`)).toBe(0.75);
    const { traces } = await listTraces(storage.client, 'default', { limit: 10, sort: 'start', from: now - 3_600_000, to: now });
    expect(traces.map((t) => t.sessionId)).toEqual(['head-session']);
    // Nothing reached the migrated database: every statement above ran in `head`.
    expect(await count(storage, 'SELECT count() FROM migrated.spans')).toBe(0);
  });
});
