import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceSummary } from '@sightline/contract';
import { IngestPipeline } from '../../ingest/pipeline.js';
import { silentLogger } from '../../logger.js';
import type { Storage } from '../client.js';
import { agentTrace } from '../../test-support/span-rows.js';
import { openMigrated, tempDataDir } from '../../test-support/temp-storage.js';
import { listSessions } from './sessions.js';
import { getTrace, listTraces } from './traces.js';

const tmp = tempDataDir();
let storage: Storage;
const now = Date.now();
const TRACES = 30;

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  const pipeline = await IngestPipeline.start(storage, {
    batchMaxSpans: 10_000,
    flushIntervalMs: 60_000,
    queueMaxSpans: 100_000,
    walDir: undefined,
    dedupCapacity: 10_000,
    logger: silentLogger,
  });
  const rows = [];
  for (let i = 0; i < TRACES; i++) {
    // Start i minutes ago; trace i is (i % 7 + 1)× slow; every third trace searches the web with another model.
    const trace = agentTrace({
      traceIndex: i,
      startNs: BigInt(now - i * 60_000) * 1_000_000n,
      slowFactor: (i % 7) + 1,
      failTool: i % 5 === 0,
      sessionId: `s-${i % 4}`,
    });
    if (i % 3 === 0)
      for (const r of trace) {
        if (r.tool_name) r.tool_name = 'web_search';
        if (r.request_model) [r.request_model, r.response_model] = ['claude-sonnet', 'claude-sonnet-4'];
      }
    rows.push(...trace);
  }
  const done = pipeline.accept(rows, 'default');
  await pipeline.flush();
  await done;
  await pipeline.stop();
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

const list = (q: Partial<Parameters<typeof listTraces>[2]> = {}) =>
  listTraces(storage.client, 'default', { limit: 50, sort: 'start', from: now - 3 * 3_600_000, to: now + 60_000, ...q });

describe('listTraces', () => {
  it('lists every trace newest first with its summary folded from all its spans', async () => {
    const { traces, nextCursor } = await list();
    expect(traces).toHaveLength(TRACES);
    expect(nextCursor).toBeNull();
    const starts = traces.map((t) => BigInt(t.startTime));
    expect([...starts].sort((a, b) => (a > b ? -1 : 1))).toEqual(starts);
    expect(traces[0]).toMatchObject({
      rootName: 'invoke_agent support-agent',
      spanCount: 10,
      errorCount: 2,
      status: 'error',
      tools: ['web_search'],
      models: ['claude-sonnet-4'],
    });
  });

  it('pages with a cursor without gaps or repeats, in both sorts', async () => {
    for (const sort of ['start', 'duration'] as const) {
      const seen: TraceSummary[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const r = await list({ limit: 7, sort, cursor });
        seen.push(...r.traces);
        if (!r.nextCursor) break;
        cursor = r.nextCursor;
      }
      expect(new Set(seen.map((t) => t.traceId)).size, sort).toBe(TRACES);
      const key = (t: TraceSummary) => (sort === 'start' ? Number(BigInt(t.startTime)) : t.durationMs);
      expect(seen.map(key), sort).toEqual([...seen.map(key)].sort((a, b) => b - a));
    }
  });

  it('reads the whole stored history when the range starts at the epoch (no wrap of the day before 1970)', async () => {
    const { traces } = await list({ from: 0, to: now + 60_000 });
    expect(traces).toHaveLength(TRACES);
    const { sessions } = await listSessions(storage.client, 'default', { limit: 50, from: 0, to: now + 60_000 });
    expect(sessions).toHaveLength(4);
  });

  it('sorts slowest first', async () => {
    const { traces } = await list({ sort: 'duration', limit: 5 });
    const slowest = Math.max(...(await list()).traces.map((t) => t.durationMs));
    expect(traces[0]!.durationMs).toBe(slowest);
  });

  it('filters by tool, model, status, session, minimum duration and root name', async () => {
    expect((await list({ tool: 'web_search' })).traces).toHaveLength(10);
    expect((await list({ tool: 'lookup_order' })).traces).toHaveLength(20);
    expect((await list({ model: 'claude-sonnet-4' })).traces).toHaveLength(10);
    expect((await list({ status: 'error' })).traces).toHaveLength(6);
    expect((await list({ status: 'ok' })).traces).toHaveLength(24);
    expect((await list({ session: 's-1' })).traces.every((t) => t.sessionId === 's-1')).toBe(true);
    const slow = await list({ minDurationMs: 5000 });
    expect(slow.traces.length).toBeGreaterThan(0);
    expect(slow.traces.every((t) => t.durationMs >= 5000)).toBe(true);
    expect((await list({ q: 'INVOKE_agent' })).traces).toHaveLength(TRACES);
    expect((await list({ q: 'nothing-like-this' })).traces).toHaveLength(0);
    expect((await list({ agent: 'support-agent', service: 'support-bot', environment: 'production' })).traces).toHaveLength(TRACES);
  });

  it('refuses a cursor of the other sort', async () => {
    const { nextCursor } = await list({ limit: 5 });
    await expect(list({ sort: 'duration', cursor: nextCursor! })).rejects.toMatchObject({ code: 'invalid_parameter', field: 'cursor' });
  });

  it('returns a trace with its spans parents first', async () => {
    const { traces } = await list({ limit: 1 });
    const trace = await getTrace(storage.client, 'default', traces[0]!.traceId);
    expect(trace.spans).toHaveLength(10);
    expect(trace.spans[0]!.parentSpanId).toBe('');
  });
});
