/**
 * The collector is down, failing or hanging: the agent gets the same results, nothing is thrown
 * or left as an unhandled rejection, failures are logged once, memory stays bounded and
 * shutdown() returns in bounded time.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpSink, type SinkMode } from '../test/otlp-sink.js';
import { agent, flush, getStats, init, llm, session, shutdown, step, tool } from './index.js';

const unhandled: unknown[] = [];
beforeAll(() => {
  process.on('unhandledRejection', (e) => unhandled.push(e));
});
afterEach(async () => {
  await shutdown({ timeoutMs: 1000 });
});

/** A small agent run whose result depends only on its input. */
async function runAgent(i: number): Promise<string> {
  return session(`s-${i}`, () =>
    agent('support-agent', async () => {
      const intent = await step('classify', () =>
        llm({ provider: 'fake', model: 'm' }, async () => ({ text: i % 2 ? 'refund' : 'question' })),
      );
      const doc = await step('act', () => tool('search_kb', { i }, async () => `doc-${i}`));
      return `${intent.text}:${doc}`;
    }),
  );
}

const expected = (i: number) => `${i % 2 ? 'refund' : 'question'}:doc-${i}`;

/** Resolves once `done()` holds, checked every few ms; gives up (fails) after `checks` checks. */
async function until(done: () => boolean, what: string, checks = 2_000): Promise<void> {
  for (let i = 0; i < checks; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`still waiting for ${what}`);
}

async function deadEndpoint(): Promise<string> {
  const sink = await startOtlpSink();
  await sink.close();
  return sink.url; // nothing listens there any more: connection refused
}

describe('a misbehaving collector never hurts the agent', () => {
  const cases: [string, () => Promise<{ url: string; close?: () => Promise<void>; requests?: () => number }>][] = [
    ['down (connection refused)', async () => ({ url: await deadEndpoint() })],
    ...([500, 429, 'hang'] as SinkMode[]).map(
      (mode) =>
        [
          `answering ${mode}`,
          async () => {
            const sink = await startOtlpSink(mode);
            return { url: sink.url, close: sink.close, requests: () => sink.requests };
          },
        ] as [string, () => Promise<{ url: string; close?: () => Promise<void>; requests?: () => number }>],
    ),
  ];

  for (const [label, start] of cases) {
    it(`collector ${label}: same results, no throw, one log line, bounded shutdown`, async () => {
      const target = await start();
      const logs: string[] = [];
      init({
        serviceName: 'resilience',
        endpoint: target.url,
        scheduledDelayMs: 10,
        exportTimeoutMs: 300,
        logger: { warn: (m) => logs.push(m) },
      });
      const results: string[] = [];
      for (let i = 0; i < 40; i++) {
        results.push(await runAgent(i));
        if (i % 10 === 9) await flush(); // resolves, never rejects
      }
      expect(results).toEqual(Array.from({ length: 40 }, (_, i) => expected(i)));
      await flush();
      await until(
        () => logs.some((l) => l.includes('failed')) && getStats().failedSpans + getStats().droppedSpans > 0,
        'the export failure',
      );

      const stats = getStats();
      expect(stats.exportedSpans).toBe(0);
      expect(stats.failedSpans + stats.droppedSpans).toBeGreaterThan(0);
      expect(logs.filter((l) => l.includes('failed')).length).toBe(1);
      if (target.requests) expect(target.requests()).toBeGreaterThan(0);

      // Time is up at once: shutdown returns even while an export hangs (it would never return otherwise).
      await shutdown({ deadline: Promise.resolve() });
      expect(unhandled).toEqual([]);
      await target.close?.();
    });
  }

  it('keeps memory bounded while the collector is down: the queue drops and counts', async () => {
    const logs: string[] = [];
    init({ endpoint: await deadEndpoint(), maxQueueSize: 1000, scheduledDelayMs: 50, logger: { warn: (m) => logs.push(m) } });
    const gc = (globalThis as { gc?: () => void }).gc!;
    const produce = async (n: number) => {
      for (let i = 0; i < n; i += 100) {
        for (let j = 0; j < 100; j++) tool('t', { j }, () => j);
        await new Promise((r) => setImmediate(r));
      }
    };
    await produce(20_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    await produce(100_000);
    gc();
    const after = process.memoryUsage().heapUsed;
    const stats = getStats();
    expect(stats.droppedSpans).toBeGreaterThan(50_000);
    expect(after - before).toBeLessThan(8 * 1024 * 1024);
    expect(logs.some((l) => l.includes('queue full'))).toBe(true);
    expect(logs.filter((l) => l.includes('queue full'))).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('reports losses in one line at shutdown', async () => {
    const logs: string[] = [];
    init({ endpoint: await deadEndpoint(), scheduledDelayMs: 10, exportTimeoutMs: 300, logger: { warn: (m) => logs.push(m) } });
    await runAgent(1);
    await flush();
    await shutdown();
    expect(logs.at(-1)).toMatch(/^shutdown: 0 spans exported, 5 lost to export failures, 0 dropped/);
  });
});
