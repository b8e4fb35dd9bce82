/**
 * The write path keeps each span in the project of the request that sent it: a write-ahead log
 * segment written before projects existed (no project_id column) replays into `default`, and a
 * span's identity for de-duplication includes its project, across restarts too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import type { Storage } from '../storage/client.js';
import { SPAN_COLUMNS } from '../storage/span-table.js';
import { legacySpanLine } from '../test-support/legacy-segments.js';
import { agentTrace } from '../test-support/span-rows.js';
import { count, openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { IngestPipeline, type PipelineOptions } from './pipeline.js';

const tmp = tempDataDir('sightline-projects-ingest-');
const walDir = join(tmp.dir, 'wal');
let storage: Storage;
const options: PipelineOptions = {
  batchMaxSpans: 10_000,
  flushIntervalMs: 60_000, // flushed explicitly
  queueMaxSpans: 100_000,
  walDir,
  quarantineDir: join(tmp.dir, 'quarantine'),
  dedupCapacity: 100_000,
  logger: silentLogger,
};
const startNs = BigInt(Date.now() - 600_000) * 1_000_000n;
const inProject = (project: string, traceId: string) =>
  count(storage, 'SELECT count() FROM spans WHERE project_id = {p:String} AND trace_id = {t:String}', { p: project, t: traceId });
const summarized = (project: string, traceId: string) =>
  count(storage, 'SELECT sum(span_count) FROM trace_summaries WHERE project_id = {p:String} AND trace_id = {t:String}', {
    p: project,
    t: traceId,
  });

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

describe('projects on the write path', () => {
  it('replays a log segment written before projects existed into project default, summaries included', async () => {
    const rows = agentTrace({ traceIndex: 100, startNs });
    const oldColumns = SPAN_COLUMNS.filter((c) => c !== 'project_id');
    // The segment format of the release before: a header without project_id, rows without it.
    const lines = rows.map((r) => {
      const values = JSON.parse(legacySpanLine(r)) as unknown[];
      return JSON.stringify(values.slice(0, oldColumns.length)) + '\n';
    });
    expect(SPAN_COLUMNS[SPAN_COLUMNS.length - 1]).toBe('project_id');
    mkdirSync(walDir, { recursive: true });
    writeFileSync(join(walDir, `000000000000001-1-00000000.ndjson`), JSON.stringify(oldColumns) + '\n' + lines.join(''));

    const p = await IngestPipeline.start(storage, options);
    await p.flush();
    const traceId = rows[0]!.trace_id;
    expect(await inProject('default', traceId)).toBe(rows.length);
    expect(await summarized('default', traceId)).toBe(rows.length);
    // The exporter's retry of those spans, after the upgrade, is known as a duplicate.
    expect(await p.accept(rows, 'default')).toEqual({ accepted: 0, duplicates: rows.length });
    await p.stop();
  });

  it('stores the same span ids sent to two projects once in each, and a retry to either as a duplicate', async () => {
    const p = await IngestPipeline.start(storage, options);
    const rows = () => agentTrace({ traceIndex: 200, startNs });
    const traceId = rows()[0]!.trace_id;
    expect(await p.accept(rows(), 'team-a')).toEqual({ accepted: rows().length, duplicates: 0 });
    expect(await p.accept(rows(), 'team-b')).toEqual({ accepted: rows().length, duplicates: 0 });
    expect(await p.accept(rows(), 'team-b')).toEqual({ accepted: 0, duplicates: rows().length });
    await p.flush();
    expect(await inProject('team-a', traceId)).toBe(rows().length);
    expect(await inProject('team-b', traceId)).toBe(rows().length);
    expect(await summarized('team-a', traceId)).toBe(rows().length);
    expect(await summarized('team-b', traceId)).toBe(rows().length);
    await p.stop();
  });

  it('takes the project from the caller, whatever the rows say', async () => {
    const p = await IngestPipeline.start(storage, options);
    const rows = agentTrace({ traceIndex: 300, startNs }).map((r) => ({ ...r, project_id: 'team-a' }));
    await p.accept(rows, 'team-b');
    await p.flush();
    expect(await inProject('team-a', rows[0]!.trace_id)).toBe(0);
    expect(await inProject('team-b', rows[0]!.trace_id)).toBe(rows.length);
    await p.stop();
  });

  it('remembers after a crash which project each logged span belongs to', async () => {
    const crashed = await IngestPipeline.start(storage, options);
    const rows = () => agentTrace({ traceIndex: 400, startNs });
    await crashed.accept(rows(), 'team-a'); // in the log only when the process dies
    await crashed.abandon();
    const restarted = await IngestPipeline.start(storage, options);
    expect(await restarted.accept(rows(), 'team-a')).toEqual({ accepted: 0, duplicates: rows().length });
    expect(await restarted.accept(rows(), 'team-b')).toEqual({ accepted: rows().length, duplicates: 0 });
    await restarted.flush();
    expect(await inProject('team-a', rows()[0]!.trace_id)).toBe(rows().length);
    expect(await inProject('team-b', rows()[0]!.trace_id)).toBe(rows().length);
    await restarted.stop();
    // Seeded from ClickHouse at the next start: still one per project.
    const again = await IngestPipeline.start(storage, options);
    expect(await again.accept(rows(), 'team-b')).toEqual({ accepted: 0, duplicates: rows().length });
    await again.stop();
  });
});
