/**
 * The overload phase of the ingest benchmark: a collector with a small queue (20,000 spans) and 32
 * senders that never back off, each request fresh. Overload must be answered with 429/503, memory
 * must stay flat, and every acknowledged span must be stored (checked from another process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startCollectorProcess } from '../src/test-support/faults/collector-process.js';
import { brokenInvariants, verifyStorage } from '../src/test-support/faults/verify-storage.js';
import { buildRequests } from './agent-requests.js';

const QUEUE_MAX_SPANS = 20_000;
const SENDERS = 32;
const REQUESTS = 200;

export async function overload(spansPerRequest: number): Promise<void> {
  const { bodies, spans } = buildRequests(REQUESTS, spansPerRequest, 7);
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-overload-'));
  const c = await startCollectorProcess({
    dataDir,
    port: await freePort(),
    env: { SIGHTLINE_QUEUE_MAX_SPANS: String(QUEUE_MAX_SPANS), SIGHTLINE_OTLP_GRPC: 'false' },
  });
  try {
    const statuses = new Map<number, number>();
    let acked = 0;
    let peakRss = c.rssBytes() ?? 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, c.rssBytes() ?? 0)), 20);
    let next = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const res = await fetch(`${c.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.ok) acked += spansPerRequest;
        }
      }),
    );
    clearInterval(sampler);
    const stopped = await c.stop();
    if (stopped.code !== 0) throw new Error(`collector exited with ${stopped.code ?? stopped.signal}`);
    const check = await verifyStorage(dataDir, new Set());
    const broken = brokenInvariants(check);
    console.log(`overload: ${SENDERS} senders, ${bodies.length} requests (${spans} spans), queue limit ${QUEUE_MAX_SPANS} spans`);
    console.log(`  responses: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}`);
    console.log(
      `  acknowledged ${acked} spans, stored ${check.distinct} (lost: ${acked - check.distinct})` +
        `${broken.length > 0 ? `; BROKEN: ${broken.join('; ')}` : ''}; collector peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`,
    );
  } finally {
    if (c.child.exitCode === null && c.child.signalCode === null) await c.kill9();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
