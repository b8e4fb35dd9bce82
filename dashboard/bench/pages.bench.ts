/**
 * Server time of the dashboard's heaviest pages with 1 million spans stored:
 *   overview < 1 s, trace list < 500 ms, a 5,000-span trace view < 2 s.
 * Starts a real collector (embedded ClickHouse, temp dir), loads spans over OTLP/HTTP JSON,
 * builds and starts the dashboard against it, and times full page responses (first byte to
 * last streamed chunk) after one warm-up request each.
 *
 *   pnpm --filter @sightline/dashboard bench
 * Env: BENCH_SPANS (default 1000000), BENCH_RUNS (5), BENCH_STRICT=1 to exit 1 on a miss,
 *      SIGHTLINE_E2E_REUSE_BUILD=1 to reuse an existing `next build`,
 *      BENCH_DATA_DIR=path to keep the loaded collector data there and reuse it on the next run.
 * Each page's row also shows the median of the slowest collector API call behind it, to tell the
 * dashboard's own time from the collector's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCollector } from '@sightline/collector';
import { acquireRunLock, buildDashboard, startDashboard } from '../e2e/processes';

const TOTAL = Number(process.env.BENCH_SPANS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BIG = 5000;
const SPANS_PER_TRACE = 5;
const BATCH = 5000;
const WINDOW_MS = 55 * 60_000; // inside the overview's default "last hour"

type Attr = { key: string; value: { stringValue?: string; intValue?: string } };
const str = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const int = (key: string, v: number): Attr => ({ key, value: { intValue: String(v) } });
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const ns = (ms: number) => `${Math.round(ms)}000000`;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attr[];
  status: { code: number; message?: string };
}

function body(spans: OtlpSpan[]) {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'bench-agents'), str('deployment.environment.name', 'bench')] },
        scopeSpans: [{ scope: { name: 'sightline-bench' }, spans }],
      },
    ],
  });
}

/** A 5-span agent run: agent → model call, tool call, model call, tool call. */
function agentRun(start: number, i: number): OtlpSpan[] {
  const traceId = hex(16);
  const root = hex(8);
  const agent = `agent-${i % 8}`;
  const session = `bench-session-${i % 5000}`;
  const dur = 200 + (i % 97) * 20;
  const fail = i % 23 === 0;
  const common = [str('gen_ai.agent.name', agent), str('gen_ai.conversation.id', session)];
  const span = (name: string, off: number, d: number, attrs: Attr[], parent = root, err = false): OtlpSpan => ({
    traceId,
    spanId: parent === '' ? root : hex(8),
    parentSpanId: parent,
    name,
    kind: 1,
    startTimeUnixNano: ns(start + off),
    endTimeUnixNano: ns(start + off + d),
    attributes: [...common, ...attrs],
    status: err ? { code: 2, message: 'failed' } : { code: 1 },
  });
  const llm = [
    str('gen_ai.operation.name', 'chat'),
    str('gen_ai.request.model', i % 3 ? 'gpt-4o' : 'claude-sonnet'),
    int('gen_ai.usage.input_tokens', 500),
    int('gen_ai.usage.output_tokens', 120),
  ];
  return [
    span(`invoke_agent ${agent}`, 0, dur, [str('gen_ai.operation.name', 'invoke_agent')], '', fail),
    span('chat gpt-4o', 1, dur * 0.2, llm),
    span(
      `execute_tool tool-${i % 12}`,
      dur * 0.25,
      dur * 0.4,
      [str('gen_ai.operation.name', 'execute_tool'), str('gen_ai.tool.name', `tool-${i % 12}`)],
      root,
      fail,
    ),
    span('chat gpt-4o', dur * 0.7, dur * 0.15, llm),
    span(`execute_tool tool-${(i + 1) % 12}`, dur * 0.86, dur * 0.1, [
      str('gen_ai.operation.name', 'execute_tool'),
      str('gen_ai.tool.name', `tool-${(i + 1) % 12}`),
    ]),
  ];
}

/** One 5,000-span trace: 50 steps of 99 tool calls each under one agent span. */
function bigTrace(start: number): { traceId: string; spans: OtlpSpan[] } {
  const traceId = hex(16);
  const root = hex(8);
  const spans: OtlpSpan[] = [
    {
      traceId,
      spanId: root,
      parentSpanId: '',
      name: 'invoke_agent bench-bulk',
      kind: 1,
      startTimeUnixNano: ns(start),
      endTimeUnixNano: ns(start + 60_000),
      attributes: [str('gen_ai.operation.name', 'invoke_agent'), str('gen_ai.agent.name', 'bench-bulk')],
      status: { code: 1 },
    },
  ];
  for (let s = 0; spans.length < BIG; s++) {
    const step = hex(8);
    spans.push({
      traceId,
      spanId: step,
      parentSpanId: root,
      name: `step ${s}`,
      kind: 1,
      startTimeUnixNano: ns(start + s * 1200),
      endTimeUnixNano: ns(start + s * 1200 + 1150),
      attributes: [str('sightline.operation', 'step')],
      status: { code: 1 },
    });
    for (let k = 0; k < 99 && spans.length < BIG; k++) {
      spans.push({
        traceId,
        spanId: hex(8),
        parentSpanId: step,
        name: `execute_tool t${k % 7}`,
        kind: 1,
        startTimeUnixNano: ns(start + s * 1200 + k * 11),
        endTimeUnixNano: ns(start + s * 1200 + k * 11 + 10),
        attributes: [
          str('gen_ai.operation.name', 'execute_tool'),
          str('gen_ai.tool.name', `t${k % 7}`),
          str('gen_ai.tool.call.arguments', JSON.stringify({ k, q: 'x'.repeat(40) })),
        ],
        status: { code: 1 },
      });
    }
  }
  return { traceId, spans };
}

async function post(url: string, spans: OtlpSpan[]) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(spans) });
    if (res.ok) return;
    // 429/503: the collector's queue is full; back off and retry.
    if ((res.status === 429 || res.status === 503) && attempt < 50) {
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      continue;
    }
    throw new Error(`OTLP POST failed: ${res.status} ${await res.text()}`);
  }
}

async function load(url: string): Promise<string> {
  const now = Date.now();
  const big = bigTrace(now - 30 * 60_000);
  await post(url, big.spans);
  const runs = Math.ceil((TOTAL - BIG) / SPANS_PER_TRACE);
  let batch: OtlpSpan[] = [];
  const inflight = new Set<Promise<void>>();
  const started = Date.now();
  for (let i = 0; i < runs; i++) {
    batch.push(...agentRun(now - WINDOW_MS + (i / runs) * (WINDOW_MS - 60_000), i));
    if (batch.length >= BATCH || i === runs - 1) {
      const p = post(url, batch).finally(() => inflight.delete(p));
      inflight.add(p);
      batch = [];
      if (inflight.size >= 2) await Promise.race(inflight);
    }
  }
  await Promise.all(inflight);
  console.log(`sent ${TOTAL.toLocaleString('en-US')} spans in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return big.traceId;
}

async function waitWritten(url: string, expected: number) {
  for (;;) {
    const health = (await (await fetch(`${url}/api/health`)).json()) as { ingest: { writtenSpans: number; queuedSpans: number } };
    if (health.ingest.writtenSpans >= expected && health.ingest.queuedSpans === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function time(url: string, accept = 'text/html'): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers: { accept } });
  await res.text(); // the whole streamed page, every Suspense boundary resolved
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t;
}

async function median(url: string, accept?: string): Promise<{ median: number; max: number }> {
  await time(url, accept); // warm-up, as a user's second visit
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await time(url, accept));
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, max: samples[samples.length - 1]! };
}

async function main() {
  const keep = process.env.BENCH_DATA_DIR;
  const dataDir = keep ? path.resolve(keep) : await mkdtemp(path.join(tmpdir(), 'sightline-bench-'));
  if (keep) await mkdir(dataDir, { recursive: true });
  const meta = path.join(dataDir, 'bench-meta.json');
  const collector = await startCollector({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'warn', wal: false });
  let dashboard: Awaited<ReturnType<typeof startDashboard>> | undefined;
  let release: (() => Promise<void>) | undefined;
  try {
    let bigTraceId: string;
    if (keep && existsSync(meta)) {
      ({ bigTraceId } = JSON.parse(await readFile(meta, 'utf8')) as { bigTraceId: string });
      console.log(`reusing the spans loaded in ${dataDir}`);
    } else {
      bigTraceId = await load(collector.url);
      await waitWritten(collector.url, TOTAL);
      if (keep) await writeFile(meta, JSON.stringify({ bigTraceId, spans: TOTAL, loadedAt: Date.now() }));
    }
    // Held until the end: a concurrent e2e build would replace the files this server reads.
    release = await acquireRunLock();
    await buildDashboard();
    dashboard = await startDashboard(collector.url);
    const now = Date.now();
    const hour = `from=${now - 3600_000}&to=${now}`;
    const api = (p: string) => `${collector.url}${p}`;
    const pages = [
      {
        name: 'overview (last hour)',
        path: '/',
        targetMs: 1000,
        apis: [
          `/api/metrics?${hour}&groupBy=none&rootOnly=true&bucket=60`,
          `/api/metrics?${hour}&groupBy=none&bucket=60`,
          `/api/metrics?${hour}&groupBy=agent`,
          `/api/metrics?${hour}&groupBy=tool`,
          `/api/metrics?${hour}&groupBy=model`,
          `/api/filters?${hour}`,
        ],
      },
      { name: 'trace list', path: '/traces', targetMs: 500, apis: [`/api/traces?${hour}&limit=50`, `/api/filters?${hour}`, '/api/health'] },
      { name: `trace view (${BIG} spans)`, path: `/traces/${bigTraceId}`, targetMs: 2000, apis: [`/api/traces/${bigTraceId}`] },
    ];
    const results = [];
    for (const p of pages) {
      const page = await median(dashboard.url + p.path);
      let slowest = { path: '', median: 0 };
      for (const a of p.apis) {
        const m = await median(api(a), 'application/json');
        if (m.median > slowest.median) slowest = { path: a.split('?')[0]!, median: m.median };
      }
      results.push({
        page: p.name,
        medianMs: Math.round(page.median),
        maxMs: Math.round(page.max),
        targetMs: p.targetMs,
        ok: page.median < p.targetMs,
        slowestApi: slowest.path,
        slowestApiMs: Math.round(slowest.median),
      });
    }
    console.log(`\nDashboard server time with ${TOTAL.toLocaleString('en-US')} spans stored (${RUNS} runs each):`);
    console.table(results);
    console.log(JSON.stringify({ bench: 'dashboard-pages', spans: TOTAL, results }));
    if (process.env.BENCH_STRICT === '1' && results.some((r) => !r.ok)) process.exitCode = 1;
  } finally {
    await dashboard?.stop();
    await release?.();
    await collector.stop();
    if (!keep) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
