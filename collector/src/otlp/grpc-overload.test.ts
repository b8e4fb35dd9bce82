/**
 * OTLP/gRPC under a flood, as the HTTP receiver is tested by the overload fault test: senders that
 * ignore every retry hint, with requests much larger than the queue can hold at once. Every call
 * is answered (OK, or RESOURCE_EXHAUSTED/UNAVAILABLE with RetryInfo) in bounded time, the queue
 * stays within its bound, and every acknowledged span is stored exactly once.
 */
import { Client, credentials, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../index.js';
import { exportBatch } from '../test-support/faults/span-batches.js';
import { exportOnce } from '../test-support/grpc-export.js';
import { count, tempDataDir } from '../test-support/temp-storage.js';
import { TRACE_EXPORT_PATH } from './grpc.js';

const tmp = tempDataDir();
let collector: RunningCollector;
const QUEUE_MAX = 10_000;
const SPANS_PER_REQUEST = 2_500;
const SENDERS = 8;
const LOAD_MS = 4_000;
/** Three OTel exporter timeouts (10 s): generous on a loaded 2-core machine. */
const ANSWER_BOUND_MS = 30_000;

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'error', alertsTickMs: 0, queueMaxSpans: QUEUE_MAX });
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

describe('OTLP/gRPC under a flood of senders that ignore retry hints', () => {
  it('answers every call in bounded time, keeps the queue bound and stores every acknowledged span once', async () => {
    const run = Date.now().toString(16).slice(-8);
    const acknowledged: string[] = [];
    const codes = new Map<number, number>();
    let slowest = 0;
    let queuePeak = 0;
    const sampler = setInterval(() => (queuePeak = Math.max(queuePeak, collector.pipeline.queuedSpans)), 5);
    const end = Date.now() + LOAD_MS;
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, sender) => {
        const client = new Client(`127.0.0.1:${collector.grpcPort}`, credentials.createInsecure());
        try {
          for (let seq = 0; Date.now() < end; seq++) {
            const batch = exportBatch(run, sender, seq, SPANS_PER_REQUEST, Date.now());
            const t0 = Date.now();
            const answer = await exportOnce(client, TRACE_EXPORT_PATH, batch.body);
            const err = 'error' in answer ? answer.error : undefined;
            slowest = Math.max(slowest, Date.now() - t0);
            const code = err ? err.code : status.OK;
            codes.set(code, (codes.get(code) ?? 0) + 1);
            if (!err) acknowledged.push(...batch.keys);
            else {
              expect([status.RESOURCE_EXHAUSTED, status.UNAVAILABLE]).toContain(err.code);
              expect(err.metadata.get('grpc-status-details-bin')).toHaveLength(1); // RetryInfo rides in the status details
            }
          }
        } finally {
          client.close();
        }
      }),
    );
    clearInterval(sampler);
    await collector.pipeline.flush();
    expect(codes.get(status.OK)).toBeGreaterThan(0);
    expect(codes.get(status.RESOURCE_EXHAUSTED)).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(ANSWER_BOUND_MS);
    expect(queuePeak).toBeLessThanOrEqual(QUEUE_MAX);
    const stored = await count(
      collector.storage,
      `SELECT count() FROM spans WHERE concat(trace_id, ':', span_id) IN {keys:Array(String)}`,
      {
        keys: acknowledged,
      },
    );
    expect(stored).toBe(acknowledged.length);
  });
});
