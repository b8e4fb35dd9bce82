/**
 * The collector as a process: acknowledged spans survive SIGTERM (drained into ClickHouse) and
 * SIGKILL (replayed from the write-ahead log at the next start).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceList } from '@sightline/contract';
import { segmentFormatOf } from './ingest/segment-format.js';
import { tempDataDir } from './test-support/temp-storage.js';

const tmp = tempDataDir();
const collectorDir = fileURLToPath(new URL('..', import.meta.url));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  tmp.remove();
});

/** Starts `src/main.ts` in its own process; resolves with its URL once it listens. */
async function startProcess(
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  // node itself (not the tsx wrapper, which runs a child process) so signals reach the collector.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: collectorDir,
    env: {
      ...process.env,
      SIGHTLINE_OTLP_PORT: '0',
      SIGHTLINE_DATA_DIR: tmp.dir,
      SIGHTLINE_LOG_LEVEL: 'info',
      // Nothing is inserted before the signal: every acknowledged span is only in the log.
      SIGHTLINE_FLUSH_INTERVAL_MS: '60000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${log}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const m = /collector listening \{"url":"([^"]+)"/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', () => reject(new Error(`collector exited early:\n${log}`)));
  });
  return { child, url, exited };
}

function exportBody(serviceName: string, traces: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: traces }, (_, i) => ({
              traceId: hex(i + 1, 8) + Buffer.from(serviceName.padEnd(12, '.').slice(0, 12)).toString('hex'),
              spanId: hex(i + 1, 16),
              name: `run ${i}`,
              kind: 1,
              startTimeUnixNano: (now + BigInt(i)).toString(),
              endTimeUnixNano: (now + BigInt(i) + 1_000_000n).toString(),
            })),
          },
        ],
      },
    ],
  });
}

async function post(url: string, body: string): Promise<number> {
  const res = await fetch(`${url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  await res.arrayBuffer();
  return res.status;
}

async function tracesOf(url: string, service: string): Promise<number> {
  const res = await fetch(`${url}/api/traces?service=${service}&limit=500&from=${Date.now() - 3_600_000}`);
  return TraceList.parse(await res.json()).traces.length;
}

describe('the collector process', () => {
  it('drains every acknowledged span into ClickHouse on SIGTERM', async () => {
    const first = await startProcess();
    for (let i = 0; i < 5; i++) expect(await post(first.url, exportBody(`sigterm-${i}`, 40))).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // Drained, not merely left in the log: the log holds no rows now.
    const wal = join(tmp.dir, 'wal');
    expect(readdirSync(wal).filter((f) => segmentFormatOf(f))).toHaveLength(0);
    const second = await startProcess();
    for (let i = 0; i < 5; i++) expect(await tracesOf(second.url, `sigterm-${i}`)).toBe(40);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('replays acknowledged spans from the write-ahead log after SIGKILL', async () => {
    const first = await startProcess();
    expect(await post(first.url, exportBody('sigkill', 60))).toBe(200);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startProcess();
    expect(await tracesOf(second.url, 'sigkill')).toBe(60);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
