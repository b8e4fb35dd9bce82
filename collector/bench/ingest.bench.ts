/**
 * Ingest benchmark: OTLP protobuf requests (512 agent spans each) from several concurrent senders
 * into a real collector with an embedded ClickHouse, until every span is queryable; compared with a
 * plain chDB JSONEachRow insert of the same rows into the same tables in the same run.
 * Then an overload phase: senders that outpace the collector must get 429/503, not grow its memory.
 *
 *   pnpm --filter @sightline/collector bench   [SPANS=300000 SENDERS=4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { startCollector, type RunningCollector } from '../src/index.js';
import { TRACE_EXPORT_PATH } from '../src/otlp/grpc.js';
import { exportOnce } from '../src/test-support/grpc-export.js';
import { normalizeRows } from '../src/normalize/index.js';
import { decodeTraceRequest } from '../src/otlp/decode.js';
import { buildRequests } from './agent-requests.js';

const TOTAL_SPANS = Number(process.env.SPANS ?? 300_000);
const SENDERS = Number(process.env.SENDERS ?? 4);
const SPANS_PER_REQUEST = 512;
const TABLES = ['spans', 'trace_summaries', 'session_summaries', 'span_rollups_1m'];

const mib = (b: number) => (b / 1024 / 1024).toFixed(0);

async function count(c: RunningCollector): Promise<number> {
  const rs = await c.storage.client.query({ query: 'SELECT count() AS n FROM spans', format: 'JSONEachRow' });
  return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
}

async function truncateAll(c: RunningCollector): Promise<void> {
  for (const t of TABLES) await c.storage.client.command({ query: `TRUNCATE TABLE ${t}` });
}

/**
 * The physical limit: the same rows, already JSONEachRow bytes, inserted in the pipeline's batch
 * size through chDB's fastest plain path (its zero-copy raw insert).
 */
async function baseline(c: RunningCollector, bodies: Uint8Array[], batch: number): Promise<number> {
  const lines: string[] = [];
  for (const b of bodies) for (const row of normalizeRows(decodeTraceRequest(b, 'protobuf').rows)) lines.push(JSON.stringify(row) + '\n');
  const batches: Buffer[] = [];
  for (let i = 0; i < lines.length; i += batch) batches.push(Buffer.from(lines.slice(i, i + batch).join('')));
  const t0 = performance.now();
  for (const body of batches) await c.storage.insertRaw({ table: 'spans', format: 'JSONEachRow', body });
  const seconds = (performance.now() - t0) / 1000;
  if ((await count(c)) !== lines.length) throw new Error('baseline insert lost rows');
  return lines.length / seconds;
}

async function send(url: string, bodies: Uint8Array[], senders: number, onStatus: (s: number) => void): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        for (;;) {
          const res = await fetch(`${url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
          await res.arrayBuffer();
          onStatus(res.status);
          if (res.ok) break;
          if (res.status !== 429 && res.status !== 503) throw new Error(`unexpected status ${res.status}`);
          await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 100));
        }
      }
    }),
  );
}

/** The same senders over OTLP/gRPC: one HTTP/2 connection each, retrying RESOURCE_EXHAUSTED/UNAVAILABLE. */
async function sendGrpc(port: number, bodies: Uint8Array[], senders: number, onStatus: (s: number) => void): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
      try {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          for (;;) {
            const answer = await exportOnce(client, TRACE_EXPORT_PATH, body);
            const err = 'error' in answer ? answer.error : undefined;
            onStatus(err ? err.code : GrpcStatus.OK);
            if (!err) break;
            if (err.code !== GrpcStatus.RESOURCE_EXHAUSTED && err.code !== GrpcStatus.UNAVAILABLE) throw err;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      } finally {
        client.close();
      }
    }),
  );
}

async function endToEnd(
  c: RunningCollector,
  bodies: Uint8Array[],
  spans: number,
  protocol: 'http' | 'grpc' = 'http',
): Promise<{ rate: number; retries: number }> {
  let retries = 0;
  const t0 = performance.now();
  const before = await count(c);
  const onStatus = (s: number) => (retries += s === 200 || s === GrpcStatus.OK ? 0 : 1);
  if (protocol === 'http') await send(c.url, bodies, SENDERS, onStatus);
  else await sendGrpc(c.grpcPort!, bodies, SENDERS, onStatus);
  spans += before;
  while ((await count(c)) < spans) await new Promise((r) => setTimeout(r, 20));
  return { rate: spans / ((performance.now() - t0) / 1000), retries };
}

async function overload(dir: string): Promise<void> {
  // A small queue and a flood of fresh requests from many senders that never back off.
  const c = await startCollector({ port: 0, dataDir: dir, logLevel: 'error', queueMaxSpans: 20_000 });
  const { bodies, spans } = buildRequests(200, SPANS_PER_REQUEST, 7);
  const statuses = new Map<number, number>();
  let acked = 0;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const before = await count(c);
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await fetch(`${c.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.ok) acked += SPANS_PER_REQUEST;
      }
    }),
  );
  await c.pipeline.flush();
  clearInterval(sampler);
  const stored = (await count(c)) - before;
  console.log(`overload: 32 senders, ${bodies.length} requests (${spans} spans), queue limit 20000 spans`);
  console.log(`  responses: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}`);
  console.log(`  acknowledged ${acked} spans, stored ${stored} (lost: ${acked - stored}); peak RSS ${mib(peakRss)} MiB`);
  await c.stop();
}

async function main(): Promise<void> {
  const requests = Math.ceil(TOTAL_SPANS / SPANS_PER_REQUEST);
  console.log(`building ${requests} OTLP protobuf requests of ${SPANS_PER_REQUEST} agent spans with the OpenTelemetry SDK…`);
  const { bodies, spans } = buildRequests(requests, SPANS_PER_REQUEST);
  const avgKiB = bodies.reduce((n, b) => n + b.length, 0) / bodies.length / 1024;
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  try {
    const c = await startCollector({ port: 0, dataDir: dir, logLevel: 'error' });
    const base = await baseline(c, bodies, c.config.batchMaxSpans);
    await truncateAll(c);
    const e2e = await endToEnd(c, bodies, spans);
    const rss = process.memoryUsage().rss;
    // gRPC: fresh span ids (the collector remembers the HTTP run's ids as already stored).
    await truncateAll(c);
    const grpcBodies = buildRequests(requests, SPANS_PER_REQUEST, 3).bodies;
    const grpc = await endToEnd(c, grpcBodies, spans, 'grpc');
    await c.stop();
    console.log(
      `\n${spans} spans in ${bodies.length} requests (avg ${avgKiB.toFixed(0)} KiB), ${SENDERS} concurrent senders, write-ahead log on`,
    );
    console.log(`  baseline: plain chDB JSONEachRow insert of the same rows   ${Math.round(base).toLocaleString('en')} spans/s`);
    console.log(
      `  end to end: OTLP → decode → normalize → WAL → ClickHouse   ${Math.round(e2e.rate).toLocaleString('en')} spans/s (429/503 retries: ${e2e.retries})`,
    );
    console.log(`  ratio end-to-end / baseline: ${(e2e.rate / base).toFixed(2)}   RSS after: ${mib(rss)} MiB`);
    console.log(
      `  end to end over OTLP/gRPC (same senders, fresh ids)         ${Math.round(grpc.rate).toLocaleString('en')} spans/s (RESOURCE_EXHAUSTED/UNAVAILABLE retries: ${grpc.retries}); ratio ${(grpc.rate / base).toFixed(2)}\n`,
    );
    await overload(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
