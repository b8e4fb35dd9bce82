/**
 * The embedded engine takes its server time zone from TZ when it starts: in a process whose zone
 * is America/St_Johns (UTC−03:30), 00:30 UTC is still the previous day. Summary days, rollup
 * minutes and listings must not depend on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Before anything loads chDB (every storage import below is dynamic).
process.env.TZ = 'America/St_Johns';

const { openMigrated, tempDataDir } = await import('../test-support/temp-storage.js');
const { select } = await import('./queries/common.js');
const { listTraces } = await import('./queries/traces.js');
const { listSessions } = await import('./queries/sessions.js');

const tmp = tempDataDir('sightline-server-tz-');
let storage: Awaited<ReturnType<typeof openMigrated>>;
const AT = Date.UTC(2026, 2, 10, 0, 30);

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  await storage.client.command({
    query: `INSERT INTO spans (trace_id, span_id, session_id, start_time, end_time, duration_ns, service_name, name)
            VALUES ('t1', 't1', 's1', fromUnixTimestamp64Milli({at:Int64}), fromUnixTimestamp64Milli({at:Int64} + 1000), 1000000000, 'shop', 'root')`,
    query_params: { at: AT },
  });
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

describe('a server in another time zone', () => {
  it('runs in the zone under test', async () => {
    expect(await select(storage.client, 'SELECT serverTimezone() AS z', {})).toEqual([{ z: 'America/St_Johns' }]);
  });

  it('keys summaries by the UTC date and rollups by the UTC minute', async () => {
    const rows = await select<{ t: string; s: string; m: string }>(
      storage.client,
      `SELECT (SELECT toString(day) FROM trace_summaries) AS t, (SELECT toString(day) FROM session_summaries) AS s,
              (SELECT toString(toUnixTimestamp(minute)) FROM span_rollups_1m) AS m`,
      {},
    );
    expect(rows).toEqual([{ t: '2026-03-10', s: '2026-03-10', m: String(AT / 1000) }]);
  });

  it('lists the trace and the session in a range of minutes around it', async () => {
    const range = { from: AT - 60_000, to: AT + 60_000 };
    expect((await listTraces(storage.client, 'default', { limit: 10, sort: 'start', ...range })).traces.map((t) => t.traceId)).toEqual([
      't1',
    ]);
    expect((await listSessions(storage.client, 'default', { limit: 10, ...range })).sessions.map((s) => s.sessionId)).toEqual(['s1']);
  });
});
