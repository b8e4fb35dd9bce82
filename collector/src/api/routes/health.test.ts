/**
 * /api/health tells the truth about the write path: storage failing (with why, the backlog and its
 * age), and spans quarantined, which /api/ingest/quarantine lists and a replay stores after a fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../index.js';
import type { RawInsert } from '../../storage/client.js';
import { agentTrace } from '../../test-support/span-rows.js';
import { count, tempDataDir } from '../../test-support/temp-storage.js';
import { Health, QuarantineList, QuarantineReplay } from '@sightline/contract';

const tmp = tempDataDir();
let collector: RunningCollector;
let realInsert: (r: RawInsert) => Promise<void>;
const health = async () => {
  const res = await fetch(`${collector.url}/api/health`);
  return { status: res.status, body: Health.parse(await res.json()) };
};
const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'silent', flushIntervalMs: 50, alertsTickMs: 0 });
  realInsert = collector.storage.insertRaw;
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

describe('/api/health', () => {
  it('says degraded (503) with the reason and the backlog while inserts fail, and ok once they succeed', async () => {
    collector.storage.insertRaw = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:8123');
    };
    await collector.pipeline.accept(agentTrace({ traceIndex: 1, startNs }), 'default');
    await collector.pipeline.flush().catch(() => undefined);
    const failing = await health();
    expect(failing.status).toBe(503);
    expect(failing.body.status).toBe('degraded');
    expect(failing.body.storage).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(failing.body.ingest.queuedSpans).toBe(10);
    collector.storage.insertRaw = realInsert;
    for (let i = 0; i < 200 && (await health()).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    const ok = await health();
    expect(ok.body).toMatchObject({ status: 'ok', storage: { ok: true, error: null }, ingest: { queuedSpans: 0, backlogAgeMs: 0 } });
  });

  it('says which background jobs this collector runs: a lone collector holds both leases', async () => {
    const { jobs } = (await health()).body;
    expect(jobs?.holder).toMatch(/:\d+:/);
    expect(jobs?.leases).toEqual(
      ['alerts', 'drift'].map((job) => ({ job, held: true, term: 1, holder: jobs?.holder, expiresAt: expect.any(Number) as number })),
    );
  });

  it('counts quarantined spans, lists them with the reason, and stores them on replay after a fix', async () => {
    const [root, ...rest] = agentTrace({ traceIndex: 2, startNs });
    // A row ClickHouse refuses for its content: rows travel in RowBinary, which leaves nothing to
    // misparse, so a table constraint refuses it (as an operator's CHECK on a server would).
    const constraint = `ALTER TABLE spans ADD CONSTRAINT refuses_root CHECK span_id != '${root!.span_id}'`;
    await collector.storage.client.command({ query: constraint });
    await collector.pipeline.accept([...rest, root!], 'default');
    await collector.pipeline.flush();
    expect((await health()).body).toMatchObject({ status: 'ok', ingest: { quarantinedSpans: 1 } });
    const list = QuarantineList.parse(await (await fetch(`${collector.url}/api/ingest/quarantine`)).json());
    expect(list.spans).toBe(1);
    expect(list.entries[0]!.reason).toMatch(/^Code: \d+/);
    expect(list.entries[0]!.reason).not.toContain('invoke_agent'); // no row content in the reason

    // "The fix": the table accepts the row again; a replay stores it, once.
    await collector.storage.client.command({ query: 'ALTER TABLE spans DROP CONSTRAINT refuses_root' });
    const replay = await fetch(`${collector.url}/api/ingest/quarantine/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    expect(QuarantineReplay.parse(await replay.json())).toEqual({ entries: 1, spans: 1 });
    await collector.pipeline.flush();
    expect((await health()).body.ingest.quarantinedSpans).toBe(0);
    expect(await count(collector.storage, 'SELECT count() FROM spans WHERE trace_id = {t:String}', { t: root!.trace_id })).toBe(10);
  });
});
