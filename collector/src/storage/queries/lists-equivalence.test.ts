/**
 * The trace and session lists of issue 19 (windows of time, two steps) give the pages the queries
 * before it gave (bench/lists-baseline.ts): on generated agent runs over three days plus long traces
 * and sessions that cross midnights, inserted in several parts, for several ranges, filters, both
 * sorts of each list and every page a cursor leads to. Fixed timestamps: no wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionListQuery, TraceListQuery } from '@sightline/contract';
import { baselineListSessions, baselineListTraces } from '../../../bench/lists-baseline.js';
import { insertBlock, RARE_WORD } from '../../../bench/span-generator.js';
import type { Storage } from '../client.js';
import { openMigrated, tempDataDir } from '../../test-support/temp-storage.js';
import { listSessions } from './sessions.js';
import { listTraces } from './traces.js';

const tmp = tempDataDir();
let storage: Storage;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 7); // 3 days of data: Jan 7 00:00 to Jan 10 00:00 UTC
const END = START + 3 * DAY;
const BLOCKS = 36;
const BLOCK = 1_200; // 150 runs of 8 spans

/** 200 traces of 6 spans 5 h apart (25 h long), 20 sessions of 10 of them (2.5 days long). */
const LONG_TRACES = `
INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ns, status_code,
  service_name, session_id, operation, agent_name, tool_name, total_cost, cost_source)
SELECT 'default', concat('long-', toString(t)), concat('long-', toString(t), '-', toString(k)), if(k = 0, '', concat('long-', toString(t), '-0')),
  if(k = 0, 'invoke_agent long', 'execute_tool slow'), 'INTERNAL',
  fromUnixTimestamp64Milli(toInt64(${START} + 3 * ${HOUR} + t * 977000 + k * 5 * ${HOUR})) AS start_time,
  start_time + toIntervalMillisecond(1000 + t * 37 + k) AS end_time, toUInt64(1000 + t * 37 + k) * 1000000,
  if((t + k) % 7 = 0, 'ERROR', 'OK'), 'long-bot', concat('long-session-', toString(t % 20)),
  if(k = 0, 'invoke_agent', 'execute_tool'), if(t % 2 = 0, 'a', 'b'), if(k = 0, '', 'slow'), (t % 13) / 1000, 'database'
FROM (SELECT intDiv(number, 6) AS t, number % 6 AS k FROM numbers(1200))`;

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  // In several inserts: the summaries keep several partial rows per trace and day until merged.
  // Block i: 150 runs spread over the 2 hours from START + 2i h.
  for (let i = 0; i < BLOCKS; i++) {
    const block = insertBlock(i * BLOCK, BLOCK, START + i * 2 * HOUR, BLOCKS * BLOCK, 20, { spreadMs: 2 * HOUR, cost: true });
    await storage.client.command({ query: block });
  }
  await storage.client.command({ query: LONG_TRACES });
}, 120_000);
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

const RANGES = {
  '1 h': { from: END - HOUR, to: END },
  '1 h at a midnight': { from: START + DAY - HOUR / 2, to: START + DAY + HOUR / 2 },
  '24 h': { from: END - DAY, to: END },
  'all (from before the data)': { from: START - 2 * DAY, to: END + DAY },
};

/** Sums of Float64 dollars differ in their last bits with the order rows are added in: to 1e-12 $. */
const roundCosts = <R>(r: R): R =>
  JSON.parse(JSON.stringify(r), (k, v: unknown) => (k === 'costUsd' && typeof v === 'number' ? Math.round(v * 1e12) / 1e12 : v)) as R;

/** Follows the cursors of both lists page by page: the same page each time, to the end or `pages`. */
async function samePages<Q extends { cursor?: string | undefined }, R extends { nextCursor: string | null }>(
  q: Q,
  oldList: (q: Q) => Promise<R>,
  newList: (q: Q) => Promise<R>,
  pages: number,
): Promise<number> {
  let cursor: string | undefined;
  let n = 0;
  for (let page = 0; page < pages; page++) {
    const old = await oldList({ ...q, cursor });
    expect(roundCosts(await newList({ ...q, cursor })), JSON.stringify({ ...q, page })).toEqual(roundCosts(old));
    n++;
    if (old.nextCursor === null) break;
    cursor = old.nextCursor;
  }
  return n;
}

describe('trace list (issue 19)', () => {
  const filters: Array<Partial<TraceListQuery>> = [
    {},
    { agent: 'a' },
    { status: 'error' },
    { agent: 'support-agent', status: 'error' },
    { tool: 'slow', status: 'ok' },
    { session: 'long-session-3' },
    { minDurationMs: 3_000 },
    { q: RARE_WORD },
  ];
  for (const [range, { from, to }] of Object.entries(RANGES)) {
    it(`gives the pages of the old query: ${range}, every filter, every sort`, async () => {
      let pages = 0;
      for (const f of filters)
        for (const sort of ['start', 'duration', 'cost'] as const) {
          const q: TraceListQuery = { limit: 7, sort, from, to, ...f };
          pages += await samePages(
            q,
            (p) => baselineListTraces(storage.client, 'default', p),
            (p) => listTraces(storage.client, 'default', p),
            3,
          );
        }
      expect(pages).toBeGreaterThan(filters.length * 3);
    });
  }

  it('lists the long traces across midnights with every span of theirs folded in', async () => {
    const { traces } = await listTraces(storage.client, 'default', { limit: 500, sort: 'start', from: START, to: END, agent: 'a' });
    expect(traces).toHaveLength(100);
    expect(traces.every((t) => t.spanCount === 6 && t.durationMs > 25 * HOUR)).toBe(true);
  });
});

describe('session list (issue 19)', () => {
  const filters: Array<Partial<SessionListQuery>> = [{}, { status: 'error' }, { agent: 'b' }, { status: 'ok' }, { q: RARE_WORD }];
  for (const [range, { from, to }] of Object.entries(RANGES)) {
    it(`gives the pages of the old query: ${range}, every filter, both sorts`, async () => {
      for (const f of filters)
        for (const sort of ['recent', 'cost'] as const) {
          const q: SessionListQuery = { limit: 9, sort, from, to, ...f };
          await samePages(
            q,
            (p) => baselineListSessions(storage.client, 'default', p),
            (p) => listSessions(storage.client, 'default', p),
            3,
          );
        }
    });
  }
});
