/**
 * One end-to-end run of the ingest benchmark: a fresh collector as a child process (the real
 * `src/main.ts`, its own data dir, write-ahead log on), keep-alive senders that post every request
 * (OTLP/HTTP or OTLP/gRPC), and the time until `/api/health` says every span is in ClickHouse.
 * The collector's CPU time comes from /proc (its JavaScript and the embedded ClickHouse's threads),
 * so spans per CPU second are the collector's alone, not the senders'. Afterwards the data dir is
 * checked from another process: every span stored once, in `spans` and in the summaries.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { TRACE_EXPORT_PATH } from '../src/otlp/grpc.js';
import { freePort, readHealth, startCollectorProcess, type CollectorProcess } from '../src/test-support/faults/collector-process.js';
import { brokenInvariants, verifyStorage } from '../src/test-support/faults/verify-storage.js';
import { exportOnce } from '../src/test-support/grpc-export.js';

export interface EndToEnd {
  /** Spans per second, from the first request to the last span written. */
  rate: number;
  /** Spans per CPU second of the collector process. */
  perCpuSecond: number;
  cpuSeconds: number;
  /** Of which the main thread (JavaScript: decode, normalize, encode, the log, HTTP). */
  mainThreadCpuSeconds: number;
  wallSeconds: number;
  /** 429/503 (or RESOURCE_EXHAUSTED/UNAVAILABLE) answers that were retried. */
  retries: number;
  rssMiB: number;
}

export interface RunOptions {
  protocol: 'http' | 'grpc';
  senders: number;
  /** Extra environment of the collector (SIGHTLINE_*). */
  env?: Record<string, string>;
  /** Node options of the collector, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeArgs?: string[];
}

const HEALTH_POLL_MS = 50;

/** CPU seconds by thread name (/proc/PID/task/TID/comm): where the collector's CPU goes. */
export function cpuByThreadName(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const key = Number(tid) === pid ? 'main (JavaScript)' : name.replace(/\d+$/, '');
      out.set(key, (out.get(key) ?? 0) + threadCpuSeconds(pid, Number(tid)));
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** CPU seconds of one thread of a process (utime + stime from /proc, 100 ticks a second), 0 once gone. */
function threadCpuSeconds(pid: number, tid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function writtenSpans(c: CollectorProcess): Promise<number> {
  const h = await readHealth(c.url);
  const ingest = (h?.body as { ingest?: { writtenSpans?: number } } | undefined)?.ingest;
  return ingest?.writtenSpans ?? 0;
}

async function sendHttp(url: string, bodies: Uint8Array[], senders: number): Promise<number> {
  let next = 0;
  let retries = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        for (;;) {
          const res = await fetch(`${url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
          await res.arrayBuffer();
          if (res.ok) break;
          if (res.status !== 429 && res.status !== 503) throw new Error(`unexpected status ${res.status}`);
          retries++;
          await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 100));
        }
      }
    }),
  );
  return retries;
}

/** The same senders over OTLP/gRPC: one HTTP/2 connection each, retrying RESOURCE_EXHAUSTED/UNAVAILABLE. */
async function sendGrpc(port: number, bodies: Uint8Array[], senders: number): Promise<number> {
  let next = 0;
  let retries = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
      try {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          for (;;) {
            const answer = await exportOnce(client, TRACE_EXPORT_PATH, body);
            if (!('error' in answer)) break;
            const code = answer.error.code;
            if (code !== GrpcStatus.RESOURCE_EXHAUSTED && code !== GrpcStatus.UNAVAILABLE) throw answer.error;
            retries++;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      } finally {
        client.close();
      }
    }),
  );
  return retries;
}

/** Sends `bodies` (`spans` spans in all) to a fresh collector and waits until all are stored. */
export async function endToEnd(bodies: Uint8Array[], spans: number, opts: RunOptions): Promise<EndToEnd> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-e2e-'));
  const grpcPort = await freePort();
  const c = await startCollectorProcess({
    dataDir,
    port: await freePort(),
    env: { SIGHTLINE_OTLP_GRPC_PORT: String(grpcPort), ...opts.env },
    ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
  });
  try {
    const cpu0 = c.cpuSeconds()!;
    const main0 = threadCpuSeconds(c.pid, c.pid);
    const threads0 = cpuByThreadName(c.pid);
    const t0 = performance.now();
    const retries = opts.protocol === 'http' ? await sendHttp(c.url, bodies, opts.senders) : await sendGrpc(grpcPort, bodies, opts.senders);
    while ((await writtenSpans(c)) < spans) await new Promise((r) => setTimeout(r, HEALTH_POLL_MS));
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpuSeconds = c.cpuSeconds()! - cpu0;
    const mainThreadCpuSeconds = threadCpuSeconds(c.pid, c.pid) - main0;
    if (process.env.THREADS) {
      const by = [...cpuByThreadName(c.pid)].map(([k, v]) => [k, v - (threads0.get(k) ?? 0)] as const).filter(([, v]) => v > 0.05);
      console.log(
        by
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(', '),
      );
    }
    const rssMiB = (c.rssBytes() ?? 0) / 1024 / 1024;
    const stopped = await c.stop();
    if (stopped.code !== 0) throw new Error(`collector exited with ${stopped.code ?? stopped.signal}:\n${c.log().slice(-2000)}`);
    const check = await verifyStorage(dataDir, new Set());
    const broken = brokenInvariants(check);
    if (check.distinct !== spans) broken.push(`${check.distinct} distinct spans stored of ${spans} sent`);
    if (broken.length > 0) throw new Error(`end-to-end run stored wrong data: ${broken.join('; ')}`);
    return { rate: spans / wallSeconds, perCpuSecond: spans / cpuSeconds, cpuSeconds, mainThreadCpuSeconds, wallSeconds, retries, rssMiB };
  } finally {
    if (c.child.exitCode === null && c.child.signalCode === null) await c.kill9();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
