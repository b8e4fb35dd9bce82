/**
 * `pnpm bench`: what an instrumented agent step costs.
 *
 * 1. Time per step (agent → step → llm + tool, 4 spans) with no tracing, with the same spans made
 *    by hand with bare @opentelemetry/api, and with this SDK — both tracing variants through the same
 *    batch processor and OTLP/protobuf exporter to a loopback HTTP sink in a child process.
 *    Rounds alternate between variants; each round includes its flush, so export cost counts.
 * 2. Memory with the collector down: 10 simulated minutes at 1,000 spans/s through the SDK.
 *
 * Prints a table and writes it to the "## SDK overhead" section of BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { agent, flush, getStats, init, llm, session, shutdown, step, tool } from '../src/index.js';

const STEPS_PER_ROUND = 2_000;
const ROUNDS = 12;
const QUEUE = 10_000;
const BENCHMARKS_MD = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

// ------------------------------------------------------------------ the work being traced

const MODEL_RESULT = {
  model: 'gpt-4o-mini-2024-07-18',
  usage: { prompt_tokens: 220, completion_tokens: 40 },
  choices: [{ finish_reason: 'tool_calls', message: { role: 'assistant', content: null } }],
};
async function callModel(): Promise<typeof MODEL_RESULT> {
  await Promise.resolve();
  return MODEL_RESULT;
}
async function runTool(): Promise<string> {
  await Promise.resolve();
  return 'doc-1';
}

async function plainStep(): Promise<string> {
  const r = await callModel();
  return (await runTool()) + r.choices.length;
}

// ------------------------------------------------------------------ bare OpenTelemetry, by hand

function makeBare(tracer: Tracer) {
  const run = async <T>(name: string, kind: SpanKind, attrs: Record<string, string | number>, fn: (s: Span) => Promise<T>) =>
    tracer.startActiveSpan(name, { kind, attributes: attrs }, async (span) => {
      try {
        return await fn(span);
      } catch (e) {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', (e as Error).name);
        throw e;
      } finally {
        span.end();
      }
    });
  const sid = { 'session.id': 'sess-1', 'gen_ai.conversation.id': 'sess-1' };
  return () =>
    run(
      'invoke_agent support-agent',
      SpanKind.INTERNAL,
      { ...sid, 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support-agent' },
      () =>
        run('step 0', SpanKind.INTERNAL, { ...sid, 'gen_ai.operation.name': 'step', 'sightline.step.index': 0 }, async () => {
          const r = await run(
            'chat gpt-4o-mini',
            SpanKind.CLIENT,
            { ...sid, 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' },
            async (span) => {
              const res = await callModel();
              span.setAttributes({
                'gen_ai.response.model': res.model,
                'gen_ai.usage.input_tokens': res.usage.prompt_tokens,
                'gen_ai.usage.output_tokens': res.usage.completion_tokens,
              });
              span.setAttribute(
                'gen_ai.response.finish_reasons',
                res.choices.map((c) => c.finish_reason),
              );
              return res;
            },
          );
          const doc = await run(
            'execute_tool search_kb',
            SpanKind.INTERNAL,
            { ...sid, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search_kb', 'gen_ai.tool.type': 'function' },
            () => runTool(),
          );
          return doc + r.choices.length;
        }),
    );
}

// ------------------------------------------------------------------ the SDK

const sdkStep = () =>
  session('sess-1', () =>
    agent('support-agent', () =>
      step(async () => {
        const r = await llm({ provider: 'openai', model: 'gpt-4o-mini' }, () => callModel());
        const doc = await tool('search_kb', { q: 'x' }, () => runTool());
        return doc + r.choices.length;
      }),
    ),
  );

// ------------------------------------------------------------------ harness

async function startSink(): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, {'content-type':'application/x-protobuf'}); s.end(); }); })
        .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function round(fn: () => Promise<unknown>, after: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < STEPS_PER_ROUND; i++) await fn();
  await after();
  return Number(process.hrtime.bigint() - t0) / STEPS_PER_ROUND / 1000; // µs per step
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function overhead(sinkUrl: string) {
  const cm = new AsyncLocalStorageContextManager();
  cm.enable();
  context.setGlobalContextManager(cm);

  // Bare OTel: its own provider (not global), same processor and exporter settings as the SDK.
  const bareProvider = new TracerProvider({
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${sinkUrl}/v1/traces`, timeoutMillis: 10_000 }),
        maxQueueSize: QUEUE,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 1000,
      }),
    ],
  });
  const bareStep = makeBare(bareProvider.getTracer('bare'));
  init({ serviceName: 'bench', endpoint: sinkUrl, maxQueueSize: QUEUE, logger: { warn: () => undefined } });

  const variants: [string, () => Promise<unknown>, () => Promise<void>][] = [
    ['no tracing', plainStep, async () => undefined],
    ['bare @opentelemetry/api', bareStep, () => bareProvider.forceFlush()],
    ['@sightline/sdk', sdkStep, () => flush()],
  ];
  const times = new Map<string, number[]>(variants.map(([n]) => [n, []]));
  for (const [, fn, after] of variants) await round(fn, after); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? variants : [...variants].reverse();
    for (const [name, fn, after] of order) times.get(name)!.push(await round(fn, after));
  }
  const stats = getStats();
  await shutdown();
  await bareProvider.shutdown();
  return { times, exported: stats.exportedSpans, dropped: stats.droppedSpans };
}

async function memoryWithCollectorDown() {
  const { url, stop } = await startSink();
  stop(); // nothing listens any more: every export fails
  await new Promise((r) => setTimeout(r, 100));
  init({ serviceName: 'bench-down', endpoint: url, logger: { warn: () => undefined } });
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = () => {
    gc?.();
    return process.memoryUsage().heapUsed;
  };
  const SPANS_PER_SECOND = 1000;
  const SECONDS = 600;
  const samples: number[] = [heap()];
  const t0 = Date.now();
  for (let s = 1; s <= SECONDS; s++) {
    // One simulated second: 250 steps of 4 spans.
    for (let i = 0; i < SPANS_PER_SECOND / 4; i++) await sdkStep();
    await new Promise((r) => setImmediate(r));
    if (s % 60 === 0) samples.push(heap());
  }
  const stats = getStats();
  await shutdown({ timeoutMs: 2000 });
  return {
    samples,
    spans: SPANS_PER_SECOND * SECONDS,
    dropped: stats.droppedSpans,
    failed: stats.failedSpans,
    wallSeconds: (Date.now() - t0) / 1000,
    gc: gc !== undefined,
  };
}

// ------------------------------------------------------------------ report

const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

async function main() {
  const sink = await startSink();
  const o = await overhead(sink.url);
  sink.stop();
  const m = await memoryWithCollectorDown();

  const none = median(o.times.get('no tracing')!);
  const bare = median(o.times.get('bare @opentelemetry/api')!);
  const sdk = median(o.times.get('@sightline/sdk')!);
  const ratio = sdk / bare;
  const rows = [
    ['no tracing', none, '—', '—'],
    ['bare @opentelemetry/api (same exporter)', bare, (bare / none).toFixed(2) + '×', '1.00×'],
    ['@sightline/sdk', sdk, (sdk / none).toFixed(2) + '×', ratio.toFixed(2) + '×'],
  ] as const;
  const growth = Math.max(...m.samples) - m.samples[0]!;

  const md = [
    '## SDK overhead',
    '',
    `Measured by \`pnpm bench\` (sdk/bench/overhead.bench.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}. One instrumented step = agent → step → llm + tool (4 spans, content capture off); ` +
      `${ROUNDS} alternating rounds of ${STEPS_PER_ROUND.toLocaleString()} steps per variant, median round, each round including its flush ` +
      'through a BatchSpanProcessor and the OTLP/protobuf exporter to a loopback HTTP sink.',
    '',
    '| variant | µs per step | vs no tracing | vs bare OTel |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([n, t, a, b]) => `| ${n} | ${t.toFixed(1)} | ${a} | ${b} |`),
    '',
    `Target: at most 1.20× bare OpenTelemetry — **${ratio <= 1.2 ? 'met' : 'NOT met'}** (${ratio.toFixed(2)}×). ` +
      `Spans exported by the SDK during the run: ${o.exported.toLocaleString()}, dropped: ${o.dropped}.`,
    '',
    `Collector down, ${m.spans.toLocaleString()} spans = 10 simulated minutes at 1,000 spans/s (${m.wallSeconds.toFixed(1)} s of wall time): ` +
      `heap after GC per simulated minute ${m.samples.map(mb).join(' → ')} MB; ` +
      `largest growth over the start ${mb(growth)} MB${m.gc ? '' : ' (run without --expose-gc: noisy)'}; ` +
      `${m.dropped.toLocaleString()} spans dropped at the queue bound (2,048), ${m.failed.toLocaleString()} lost in failed exports, all counted; no exceptions.`,
    '',
  ].join('\n');

  console.log('\n' + md);
  writeSection(md);
  console.log(`written to ${BENCHMARKS_MD}`);
}

/** Replaces only our section, leaving the other engineers' sections as they are. */
function writeSection(section: string) {
  const current = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n\n';
  const start = current.indexOf('## SDK overhead');
  let next: string;
  if (start === -1) next = current.trimEnd() + '\n\n' + section;
  else {
    const rest = current.slice(start + 1);
    const end = rest.search(/\n## /);
    next = current.slice(0, start) + section + (end === -1 ? '' : rest.slice(end + 1).replace(/^/, '\n'));
  }
  writeFileSync(BENCHMARKS_MD, next.trimEnd() + '\n');
}

await main();
