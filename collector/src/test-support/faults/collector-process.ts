/**
 * Fault-test support: the real collector as a child process (`src/main.ts` under tsx, or the built
 * `dist/main.js` with SIGHTLINE_FAULTS_ENTRY=dist), on a fixed loopback port so that exporters keep
 * one URL across restarts, as they do in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const collectorDir = fileURLToPath(new URL('../../..', import.meta.url));

export interface CollectorProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves when the process is gone, with its exit code (null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last ~256 KiB of its stderr (its log). */
  log(): string;
  /** Lines of its log at level ERROR so far. */
  errorLines(): number;
  kill9(): Promise<void>;
  /** SIGTERM (drain), then waits; past `timeoutMs` it is killed and the result says so. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }>;
  /** VmRSS of the process in bytes, or undefined once it has exited. */
  rssBytes(): number | undefined;
  /** CPU seconds (user + system) the process has used so far, or undefined once it has exited. */
  cpuSeconds(): number | undefined;
}

const live = new Set<ChildProcess>();

/** Kills every collector this test file started and that is still running (for afterAll). */
export function killAllCollectors(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** A loopback port that is free right now (the collector binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  dataDir: string;
  port: number;
  env?: Record<string, string>;
  /** Node options before the entry (e.g. `--cpu-prof`); SIGHTLINE_FAULTS_NODE_ARGS when absent. */
  nodeArgs?: string[];
  startTimeoutMs?: number;
}

const LOG_KEEP = 256 * 1024;

export async function startCollectorProcess(opts: StartOptions): Promise<CollectorProcess> {
  const entry = process.env.SIGHTLINE_FAULTS_ENTRY === 'dist' ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  // e.g. SIGHTLINE_FAULTS_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the collector spends its time.
  const nodeArgs = opts.nodeArgs ?? (process.env.SIGHTLINE_FAULTS_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // node itself (not the tsx wrapper, which forks) so that signals and /proc/PID reach the collector.
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: collectorDir,
    env: {
      ...process.env,
      SIGHTLINE_HOST: '127.0.0.1',
      SIGHTLINE_OTLP_PORT: String(opts.port),
      SIGHTLINE_DATA_DIR: opts.dataDir,
      SIGHTLINE_ALERTS_TICK_MS: '0',
      SIGHTLINE_LOG_LEVEL: 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  let log = '';
  let errors = 0;
  let partial = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    log = (log + text).slice(-LOG_KEEP);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) if (/^\S+ ERROR /.test(l)) errors++;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`collector did not start within ${opts.startTimeoutMs ?? 90_000} ms:\n${log.slice(-4000)}`));
    }, opts.startTimeoutMs ?? 90_000);
    const onData = () => {
      const m = /collector listening \{"url":"([^"]+)"/.exec(log);
      if (m) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stderr!.on('data', onData);
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`collector exited during start-up (code ${e.code}, signal ${e.signal}):\n${log.slice(-4000)}`));
    });
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    child,
    exited,
    log: () => log,
    errorLines: () => errors,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 120_000) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
      const result = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        return { ...(await exited), timedOut: true };
      }
      return { ...result, timedOut: false };
    },
    cpuSeconds() {
      try {
        // Fields after the parenthesised command name; utime and stime are the 12th and 13th, in ticks (100 Hz on Linux).
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return undefined;
      }
    },
    rssBytes() {
      try {
        const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** `/api/health` as the fault tests read it (200 or 503 both carry the body). */
export interface HealthSample {
  status: number;
  queuedSpans: number;
  body: unknown;
}

export async function readHealth(url: string, timeoutMs = 5_000): Promise<HealthSample | undefined> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json()) as { ingest?: { queuedSpans?: unknown } };
    const queued = Number(body.ingest?.queuedSpans ?? NaN);
    return { status: res.status, queuedSpans: queued, body };
  } catch {
    return undefined;
  }
}
