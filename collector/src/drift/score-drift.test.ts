/**
 * A falling score is a drift signal, end to end on a real collector: sessions ingested, feedback
 * sent later through POST /api/scores (on the session, or on a trace of it), and the drift report
 * of the two ranges names the score as drifted while the agent's behaviour did not change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftReportAnswer } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { agentTrace } from '../test-support/span-rows.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-score-drift-');
let collector: RunningCollector;
const HOUR = 3_600_000;
const now = Date.now();
const A = { from: now - 12 * HOUR, to: now - 6 * HOUR };
const B = { from: now - 6 * HOUR, to: now - HOUR };
const BASELINE = 300;
const CURRENT = 160;

const traceIdOf = (i: number) => (BigInt(i) + 1n).toString(16).padStart(32, '0');
const sessionOf = (i: number) => `chat-${i}`;

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'warn', flushIntervalMs: 100, wal: false });
  const rows = [];
  for (let i = 0; i < BASELINE + CURRENT; i++) {
    const range = i < BASELINE ? A : B;
    const k = i < BASELINE ? i / BASELINE : (i - BASELINE) / CURRENT;
    const startMs = Math.round(range.from + 60_000 + k * (range.to - range.from - 120_000));
    rows.push(...agentTrace({ traceIndex: i, sessionId: sessionOf(i), startNs: BigInt(startMs) * 1_000_000n, steps: 2 + (i % 3) }));
  }
  await collector.pipeline.accept(rows, 'default');
  // Thumbs up on 90% of the baseline sessions and 55% of the current ones; odd sessions are rated
  // through their trace (no session id on the score), even ones through the session.
  const scores = [];
  for (let i = 0; i < BASELINE + CURRENT; i++) {
    const up = i < BASELINE ? i % 10 !== 0 : i % 20 < 11;
    const target = i % 2 === 0 ? { sessionId: sessionOf(i) } : { traceId: traceIdOf(i) };
    scores.push({ id: `fb-${i}`, name: 'thumbs_up', value: up ? 1 : 0, ...target });
  }
  // One more score name that did not move: it must not be called drift.
  for (let i = 0; i < BASELINE + CURRENT; i++)
    scores.push({ id: `len-${i}`, name: 'concise', value: 1 + (i % 5), sessionId: sessionOf(i) });
  for (let at = 0; at < scores.length; at += 1000) {
    const res = await fetch(`${collector.url}/api/scores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scores: scores.slice(at, at + 1000) }),
    });
    expect(res.status).toBe(201);
  }
  await collector.drift.materialize(now);
}, 120_000);
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

const report = async (signal?: string) => {
  const q = new URLSearchParams({ agent: 'support-agent', fromA: `${A.from}`, toA: `${A.to}`, fromB: `${B.from}`, toB: `${B.to}` });
  if (signal) q.set('signal', signal);
  const res = await fetch(`${collector.url}/api/drift/compare?${q}`);
  expect(res.status).toBe(200);
  return DriftReportAnswer.parse(await res.json());
};

describe('scores as drift signals', () => {
  it('calls the falling feedback score drift, counting session and trace scores, and not the steady one', async () => {
    const r = await report();
    expect(r.baseline.sessions).toBe(BASELINE);
    expect(r.current.sessions).toBe(CURRENT);
    const thumbs = r.signals.find((s) => s.signal === 'score:thumbs_up')!;
    expect(thumbs).toMatchObject({ family: 'outcome', kind: 'numeric', status: 'tested', drifted: true });
    expect([thumbs.baselineN, thumbs.currentN]).toEqual([BASELINE, CURRENT]);
    expect(thumbs.numeric!.baselineMean).toBeCloseTo(0.9, 10);
    expect(thumbs.numeric!.currentMean).toBeCloseTo(0.55, 10);
    expect(thumbs.explanation).toContain('mean 0.9 → 0.55');
    expect(r.signals.find((s) => s.signal === 'score:concise')!.drifted).toBe(false);
    expect(r.driftedSignals).toEqual(['score:thumbs_up']);
    expect(r.status).toBe('drift');
  });

  it('accepts a score signal as the report signal and answers it without examples', async () => {
    const r = await report('score:thumbs_up');
    expect(r.signals.some((s) => s.signal === 'score:thumbs_up' && s.drifted)).toBe(true);
    expect(r.examples?.signal ?? null).not.toBe('score:thumbs_up');
  });
});
