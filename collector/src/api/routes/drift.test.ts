/** The drift API on a real collector: validation errors, an agent's report, compare, check and history. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftAgents, DriftCheckResult, DriftHistory, DriftReportAnswer, ErrorBody } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../../index.js';
import { agentTrace } from '../../test-support/span-rows.js';
import { tempDataDir } from '../../test-support/temp-storage.js';

const tmp = tempDataDir();
let collector: RunningCollector;
const HOUR = 3_600_000;
const now = Date.now();

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'warn', flushIntervalMs: 100, wal: false });
  // 300 sessions over the last 10 hours (release 1.4.2), with 3 steps each; older than the 10-minute tail.
  const rows = [];
  for (let i = 0; i < 300; i++) {
    const startMs = now - 10 * HOUR + (i / 300) * 9 * HOUR;
    rows.push(...agentTrace({ traceIndex: i, startNs: BigInt(Math.round(startMs)) * 1_000_000n, steps: 2 + (i % 3) }));
  }
  await collector.pipeline.accept(rows, 'default');
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

const get = async (path: string) => {
  const res = await fetch(`${collector.url}/api${path}`);
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('drift API', () => {
  it('answers at once from what is summarized, says a catch-up is running, and is complete after it', async () => {
    // The first API call starts a background catch-up and does not wait for it. (The scheduler's
    // first run, 5 s after start, may have summarized already: only the catch-up state is certain.)
    const first = DriftAgents.parse((await get('/drift/agents')).body);
    expect(first.freshness.catchUp).toBe('running');
    await collector.drift.caughtUp();
    const after = DriftAgents.parse((await get('/drift/agents')).body);
    expect(after.freshness.materializedUntil).toBeGreaterThan(now - 11 * 60_000);
    expect(after.freshness.spansIngestedUntil).toBeGreaterThan(now - 60_000);
    expect(after.agents.map((a) => a.agent)).toEqual(['support-agent']);
  });

  it('rejects an unknown signal with a 400 naming the field', async () => {
    const r = await get('/drift/report?agent=support-agent&signal=nope');
    expect(r.status).toBe(400);
    expect(ErrorBody.parse(r.body).error).toMatchObject({ code: 'invalid_parameter', field: 'signal' });
    expect((await get('/drift/report')).status).toBe(400);
  });

  it('answers "not enough data" for a window with too few sessions, never a verdict', async () => {
    const r = await get('/drift/report?agent=support-agent');
    expect(r.status).toBe(200);
    const report = DriftReportAnswer.parse(r.body);
    expect(report.status).toBe('insufficient_data');
    expect(report.summary).toMatch(/Not enough data/);
  });

  it('reports on explicit ranges and lists the agent with its releases', async () => {
    const r = await get(
      `/drift/compare?agent=support-agent&fromA=${now - 10 * HOUR}&toA=${now - 5 * HOUR}&fromB=${now - 5 * HOUR}&toB=${now}`,
    );
    expect(r.status).toBe(200);
    const report = DriftReportAnswer.parse(r.body);
    expect(report.baselineMode).toBe('range');
    expect(report.baseline.sessions + report.current.sessions).toBe(300);
    expect(report.topPaths.baseline[0]!.path).toMatch(/^lookup_order → lookup_order/);
    const agents = DriftAgents.parse((await get('/drift/agents')).body);
    expect(agents.agents).toEqual([expect.objectContaining({ agent: 'support-agent', releases: ['1.4.2'] })]);
  });

  it('runs the due hourly checks on demand and serves them as history', async () => {
    const res = await fetch(`${collector.url}/api/drift/check`, { method: 'POST' });
    expect(res.status).toBe(200);
    const check = DriftCheckResult.parse(await res.json());
    expect(check.reports.map((r) => r.agent)).toEqual(['support-agent']);
    const history = DriftHistory.parse((await get(`/drift/history?agent=support-agent&from=${now - 48 * HOUR}`)).body);
    expect(history.checks.length).toBeGreaterThanOrEqual(8); // windows that hold sessions of the last 10 h
    expect(history.signals.find((s) => s.signal === 'steps')!.cells.length).toBe(history.checks.length);
  });
});
