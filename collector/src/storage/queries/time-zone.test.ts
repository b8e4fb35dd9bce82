/**
 * Storage computes in UTC whatever the session's time zone: summary days are UTC dates, list
 * queries find rows on either side of UTC midnight, and metric buckets of a day start at UTC
 * midnight. Spans are written and read through sessions in zones far from UTC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../client.js';
import { inTimeZone } from '../../test-support/session-time-zone.js';
import { openMigrated, tempDataDir } from '../../test-support/temp-storage.js';
import { select } from './common.js';
import { queryMetrics } from './metrics.js';
import { listSessions } from './sessions.js';
import { listTraces } from './traces.js';

const tmp = tempDataDir('sightline-tz-');
let storage: Storage;
const MIN = 60_000;
const MIDNIGHT = Date.UTC(2026, 2, 10);
const ZONES = ['UTC', 'America/St_Johns', 'Asia/Kolkata', 'Pacific/Kiritimati'];

/** One root span of trace `id` in session `id`, written through a session in `zone`. */
async function span(id: string, at: number, zone: string): Promise<void> {
  await inTimeZone(storage.client, zone).command({
    query: `INSERT INTO spans (trace_id, span_id, session_id, start_time, end_time, duration_ns, service_name, name)
            VALUES ({id:String}, {id:String}, {id:String}, fromUnixTimestamp64Milli({at:Int64}), fromUnixTimestamp64Milli({at:Int64} + 1000), 1000000000, 'shop', 'root')`,
    query_params: { id, at },
  });
}

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  // Just after UTC midnight, written from a zone where it is still the previous day, and the reverse.
  await span('after-midnight', MIDNIGHT + 30 * MIN, 'America/St_Johns');
  await span('before-midnight', MIDNIGHT - 30 * MIN, 'Pacific/Kiritimati');
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

describe('storage in UTC', () => {
  it('keys trace and session summaries by the UTC date of their start', async () => {
    const days = await select<{ id: string; day: string }>(
      storage.client,
      `SELECT * FROM (SELECT trace_id AS id, toString(day) AS day FROM trace_summaries
       UNION ALL SELECT session_id AS id, toString(day) AS day FROM session_summaries) ORDER BY id, day`,
      {},
    );
    expect(days).toEqual([
      { id: 'after-midnight', day: '2026-03-10' },
      { id: 'after-midnight', day: '2026-03-10' },
      { id: 'before-midnight', day: '2026-03-09' },
      { id: 'before-midnight', day: '2026-03-09' },
    ]);
  });

  it.each(ZONES)('lists traces and sessions on both sides of UTC midnight with session time zone %s', async (zone) => {
    const client = inTimeZone(storage.client, zone);
    for (const [id, from, to] of [
      ['after-midnight', MIDNIGHT + 20 * MIN, MIDNIGHT + 40 * MIN],
      ['before-midnight', MIDNIGHT - 40 * MIN, MIDNIGHT - 20 * MIN],
    ] as const) {
      const traces = await listTraces(client, 'default', { limit: 10, sort: 'start', from, to });
      expect(traces.traces.map((t) => t.traceId)).toEqual([id]);
      const sessions = await listSessions(client, 'default', { limit: 10, from, to });
      expect(sessions.sessions.map((s) => s.sessionId)).toEqual([id]);
    }
  });

  it.each(ZONES)('starts daily metric buckets at UTC midnight with session time zone %s', async (zone) => {
    const m = await queryMetrics(inTimeZone(storage.client, zone), 'default', {
      groupBy: 'none',
      bucket: 86_400,
      from: MIDNIGHT - 86_400_000,
      to: MIDNIGHT + 86_400_000,
    });
    expect(m.series[0]?.points.map((p) => [p.time, p.count])).toEqual([
      [MIDNIGHT - 86_400_000, 1],
      [MIDNIGHT, 1],
    ]);
  });
});
