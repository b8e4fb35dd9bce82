/**
 * `q` on the trace and session lists (issue 17), on real embedded ClickHouse: words in tool results,
 * LLM inputs and outputs, attributes and events find their runs; field scoping, phrases and AND;
 * other filters and keyset pagination still apply; another project's spans never match; the query
 * is answered through the search index of migration 016.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRow } from '../span-row.js';
import { IngestPipeline } from '../../ingest/pipeline.js';
import { silentLogger } from '../../logger.js';
import type { Storage } from '../client.js';
import { agentTrace } from '../../test-support/span-rows.js';
import { openMigrated, tempDataDir } from '../../test-support/temp-storage.js';
import { listSessions } from './sessions.js';
import { matchingIds, SEARCH_SLACK_MS, spanSearch } from './search.js';
import { listTraces } from './traces.js';

const tmp = tempDataDir('sightline-search-');
let storage: Storage;
const now = Date.now();
const RUNS = 12;
const traceId = (i: number) => (BigInt(i) + 1n).toString(16).padStart(32, '0');

/** Edits the spans of run `i` of the default project: its content words. */
function plant(i: number, rows: SpanRow[]): void {
  const tools = rows.filter((r) => r.operation === 'execute_tool');
  const chats = rows.filter((r) => r.operation === 'chat');
  if (i === 3) tools[1]!.output = '{"status":"held","note":"parcel waits at the Quokka depot"}';
  if (i === 4) {
    chats[0]!.input = '[{"role":"user","content":"I want a refund, the wombat ate my parcel"}]';
    chats[0]!.output = '[{"role":"assistant","content":"Refund issued for the wombat incident"}]';
  }
  if (i === 5) {
    chats[0]!.output = '[{"role":"assistant","content":"issued a refund"}]';
    rows[0]!.span_attributes = { ...rows[0]!.span_attributes, 'user.tier': 'Platinum' };
  }
  if (i === 6) {
    tools[0]!.tool_name = 'cancel_order';
    tools[0]!.event_times = [tools[0]!.start_time];
    tools[0]!.event_names = ['gen_ai.choice'];
    tools[0]!.event_attributes = [{ note: 'customer mentioned a narwhal' }];
  }
  // Run 7 holds "quokka" in one span and "wombat" in another: AND is over the run, not one span.
  if (i === 7) {
    tools[0]!.output = '{"note":"quokka"}';
    chats[2]!.input = '[{"role":"user","content":"wombat"}]';
  }
}

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
  const own: SpanRow[] = [];
  for (let i = 0; i < RUNS; i++) {
    const rows = agentTrace({
      traceIndex: i,
      startNs: BigInt(now - (i + 1) * 60_000) * 1_000_000n,
      sessionId: `sess-${i}`,
      failTool: i === 3,
    });
    plant(i, rows);
    own.push(...rows);
  }
  // Project "other": a run whose tool result holds the same rare word, in a session of the same id.
  const foreign = agentTrace({ traceIndex: 100, startNs: BigInt(now - 30_000) * 1_000_000n, sessionId: 'sess-3' });
  foreign.find((r) => r.operation === 'execute_tool')!.output = '{"note":"quokka and narwhal and wombat"}';
  const done = [pipeline.accept(own, 'default'), pipeline.accept(foreign, 'other')];
  await pipeline.flush();
  await Promise.all(done);
  await pipeline.stop();
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

const range = { from: now - 3 * 3_600_000, to: now + 60_000 };
const traces = async (q: string, more: Partial<Parameters<typeof listTraces>[2]> = {}, project = 'default') =>
  (await listTraces(storage.client, project, { limit: 50, sort: 'start', ...range, q, ...more })).traces.map((t) => t.traceId).sort();
const sessions = async (q: string, project = 'default') =>
  (await listSessions(storage.client, project, { limit: 50, ...range, q })).sessions.map((s) => s.sessionId).sort();

describe('content search on the trace and session lists', () => {
  it('finds exactly the run whose tool result holds a word, case-insensitive, and its session', async () => {
    expect(await traces('quokka depot')).toEqual([traceId(3)]);
    expect(await traces('QUOKKA')).toEqual([traceId(3), traceId(7)]);
    expect(await sessions('depot')).toEqual(['sess-3']);
  });

  it('matches whole words only', async () => {
    expect(await traces('quok')).toEqual([]);
  });

  it('scopes a term to inputs, outputs, a tool or an attribute', async () => {
    expect(await traces('input:wombat')).toEqual([traceId(4), traceId(7)]);
    expect(await traces('output:wombat')).toEqual([traceId(4)]);
    expect(await traces('input:quokka')).toEqual([]);
    expect(await traces('tool:cancel_order')).toEqual([traceId(6)]);
    expect(await traces('attr.user.tier=platinum')).toEqual([traceId(5)]);
    expect(await traces('attr.user.tier=plat')).toEqual([]);
  });

  it('finds words in event fields and span names', async () => {
    expect(await traces('narwhal')).toEqual([traceId(6)]);
    expect(await traces('invoke_agent').then((ids) => ids.length)).toBe(RUNS);
  });

  it('keeps the words of a quoted phrase in order', async () => {
    expect(await traces('"refund issued"')).toEqual([traceId(4)]);
    expect(await traces('"issued a refund"')).toEqual([traceId(5)]);
    expect(await traces('refund issued')).toEqual([traceId(4), traceId(5)]);
  });

  it('requires every term, each in some span of the run', async () => {
    expect(await traces('quokka wombat')).toEqual([traceId(7)]);
    expect(await traces('output:quokka input:wombat')).toEqual([traceId(7)]);
    expect(await traces('quokka wombat narwhal')).toEqual([]);
    expect(await sessions('quokka wombat')).toEqual(['sess-7']);
  });

  it('combines with the other filters and pages with the cursor', async () => {
    expect(await traces('quokka', { status: 'error' })).toEqual([traceId(3)]);
    expect(await traces('quokka', { session: 'sess-7' })).toEqual([traceId(7)]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listTraces(storage.client, 'default', { limit: 5, sort: 'start', ...range, q: 'shipped', cursor });
      seen.push(...page.traces.map((t) => t.traceId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Every run's tool results say "shipped", except run 3's failed step... its other steps still do.
    expect(seen).toHaveLength(RUNS);
    expect(new Set(seen).size).toBe(RUNS);
  });

  it("never matches another project's spans, and that project finds its own", async () => {
    expect(await traces('quokka narwhal wombat')).toEqual([]);
    expect(await traces('quokka narwhal wombat', {}, 'other')).toEqual([traceId(100)]);
    expect(await sessions('quokka narwhal', 'other')).toEqual(['sess-3']);
    expect(await sessions('narwhal quokka')).toEqual([]);
  });

  it('still finds a session by part of its id with one plain word', async () => {
    expect(await sessions('sess-1')).toEqual(['sess-1', 'sess-10', 'sess-11']);
  });

  it('answers through the search index, which keeps only the granules of the word', async () => {
    const search = spanSearch('quokka')!;
    const rs = await storage.client.query({
      query: `EXPLAIN indexes = 1 ${matchingIds(search, 'trace_id')}`,
      query_params: { ...search.params, projectId: 'default', from: range.from, searchTo: range.to + SEARCH_SLACK_MS },
      format: 'TabSeparatedRaw',
    });
    expect(await rs.text()).toMatch(/Name: idx_search/);
  });

  it('refuses bad syntax naming the field q', () => {
    expect(() => spanSearch('input:"open')).toThrow(expect.objectContaining({ code: 'invalid_parameter', extra: { field: 'q' } }));
  });
});
