/**
 * Ingest benchmark: OTLP protobuf requests (512 agent spans each) from keep-alive senders into a
 * real collector (child process, embedded ClickHouse, write-ahead log on), until every span is
 * stored; compared in the same run with two plain inserts of the same rows (ingest-baselines.ts):
 * one MergeTree table with the same columns and no views (issue 18's reference), and the
 * collector's own tables with their materialized views. Rounds alternate baseline and end to end,
 * and the medians are reported: the machine is shared, ratios within a round are what count.
 * Then one run over OTLP/gRPC, the cost of pricing at ingest (collectors with and without it,
 * alternated: issue 14 allows at most 5 %), and an overload phase (senders that outpace the
 * collector must get 429/503, not grow its memory).
 *
 *   pnpm --filter @sightline/collector bench
 *     [SPANS=300000 SENDERS=4 ROUNDS=3 PHASES=http,grpc,pricing,overload CPU_PROFILE_DIR=/tmp/prof COLLECTOR_NODE_ARGS=…]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { normalizeRows } from '../src/normalize/index.js';
import { decodeTraceRequest } from '../src/otlp/decode.js';
import { CustomPriceBook } from '../src/pricing/custom-prices.js';
import { SpanPricer } from '../src/pricing/pricer.js';
import { openMigrated } from '../src/test-support/temp-storage.js';
import { buildRequests } from './agent-requests.js';
import { createPlainTable, plainInsert, sameTablesInsert, type BaselineBatches } from './ingest-baselines.js';
import { endToEnd, type EndToEnd } from './ingest-run.js';
import { overload } from './ingest-overload.js';

const TOTAL_SPANS = Number(process.env.SPANS ?? 300_000);
const SENDERS = Number(process.env.SENDERS ?? 4);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PHASES = new Set((process.env.PHASES ?? 'http,grpc,pricing,overload').split(','));
const CPU_PROFILE_DIR = process.env.CPU_PROFILE_DIR;
/** Extra Node options of the collector, e.g. COLLECTOR_NODE_ARGS="--max-semi-space-size=64". */
const COLLECTOR_NODE_ARGS = (process.env.COLLECTOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
const SPANS_PER_REQUEST = 512;

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => loadavg()[0]!.toFixed(1);

/** The rows of `bodies` as the collector stores them (normalized, priced, in project default), as JSONEachRow bodies of `batch` rows. */
function baselineBatches(bodies: Uint8Array[], batch: number): BaselineBatches {
  const pricer = new SpanPricer(new CustomPriceBook());
  const out: Buffer[] = [];
  let lines: string[] = [];
  let rows = 0;
  for (const b of bodies) {
    const decoded = normalizeRows(decodeTraceRequest(b, 'protobuf').rows);
    pricer.priceRows(decoded, 'default');
    for (const row of decoded) {
      row.project_id = 'default';
      lines.push(JSON.stringify(row) + '\n');
      if (lines.length === batch) {
        out.push(Buffer.from(lines.join('')));
        rows += lines.length;
        lines = [];
      }
    }
  }
  if (lines.length > 0) out.push(Buffer.from(lines.join('')));
  return { bodies: out, rows: rows + lines.length };
}

interface Round {
  plain: { rate: number; perCpuSecond: number };
  same: { rate: number; perCpuSecond: number };
  e2e: EndToEnd;
  load: string;
}

async function main(): Promise<void> {
  const requests = Math.ceil(TOTAL_SPANS / SPANS_PER_REQUEST);
  console.log(`building ${requests} OTLP protobuf requests of ${SPANS_PER_REQUEST} agent spans with the OpenTelemetry SDK…`);
  const { bodies, spans } = buildRequests(requests, SPANS_PER_REQUEST);
  const avgKiB = bodies.reduce((n, b) => n + b.length, 0) / bodies.length / 1024;
  const batch = loadConfig({}).batchMaxSpans;
  const batches = baselineBatches(bodies, batch);
  const baseDir = mkdtempSync(join(tmpdir(), 'sightline-bench-base-'));
  const storage = await openMigrated(baseDir);
  const rounds: Round[] = [];
  try {
    await createPlainTable(storage);
    console.log(`${spans} spans in ${bodies.length} requests (avg ${avgKiB.toFixed(0)} KiB), batches of ${batch}, ${SENDERS} senders\n`);
    if (PHASES.has('http')) {
      for (let r = 0; r < ROUNDS; r++) {
        const before = load();
        const plain = await plainInsert(storage, batches);
        const same = await sameTablesInsert(storage, batches);
        const nodeArgs = [...COLLECTOR_NODE_ARGS, ...(CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : [])];
        const e2e = await endToEnd(bodies, spans, { protocol: 'http', senders: SENDERS, nodeArgs });
        const round = { plain, same, e2e, load: `${before} → ${load()}` };
        rounds.push(round);
        console.log(
          `round ${r + 1} (load ${round.load}): plain ${fmt(plain.rate)}/s (${fmt(plain.perCpuSecond)}/CPU s), ` +
            `same tables ${fmt(same.rate)}/s (${fmt(same.perCpuSecond)}/CPU s), ` +
            `end to end ${fmt(e2e.rate)}/s (${fmt(e2e.perCpuSecond)} spans per collector CPU second, ` +
            `${e2e.cpuSeconds.toFixed(1)} CPU s of which ${e2e.mainThreadCpuSeconds.toFixed(1)} on the main thread, in ${e2e.wallSeconds.toFixed(1)} s, RSS ${e2e.rssMiB.toFixed(0)} MiB, retries ${e2e.retries}); ` +
            `ratios ${(e2e.rate / plain.rate).toFixed(2)} / ${(e2e.rate / same.rate).toFixed(2)}`,
        );
      }
      const m = (f: (r: Round) => number) => median(rounds.map(f));
      console.log(`\nmedians of ${rounds.length} rounds, OTLP/HTTP, write-ahead log on:`);
      console.log(`  plain insert, one MergeTree table, no views (JSONEachRow)   ${fmt(m((r) => r.plain.rate))} spans/s`);
      console.log(`  same tables, materialized views included (JSONEachRow)     ${fmt(m((r) => r.same.rate))} spans/s`);
      console.log(`  end to end: OTLP → decode → normalize → WAL → ClickHouse    ${fmt(m((r) => r.e2e.rate))} spans/s`);
      console.log(`  collector CPU: ${fmt(m((r) => r.e2e.perCpuSecond))} spans per CPU second (all its threads, ClickHouse's included)`);
      console.log(
        `  ratio to the plain insert:  ${m((r) => r.e2e.rate / r.plain.rate).toFixed(2)}  (per round: ${rounds.map((r) => (r.e2e.rate / r.plain.rate).toFixed(2)).join(', ')})`,
      );
      console.log(
        `  ratio to the same tables:   ${m((r) => r.e2e.rate / r.same.rate).toFixed(2)}  (per round: ${rounds.map((r) => (r.e2e.rate / r.same.rate).toFixed(2)).join(', ')})\n`,
      );
    }
  } finally {
    await storage.close();
    rmSync(baseDir, { recursive: true, force: true });
  }
  if (PHASES.has('grpc')) {
    const grpc = await endToEnd(bodies, spans, { protocol: 'grpc', senders: SENDERS });
    console.log(
      `OTLP/gRPC, same senders and bodies: ${fmt(grpc.rate)} spans/s, ${fmt(grpc.perCpuSecond)} spans per collector CPU second` +
        ` (RESOURCE_EXHAUSTED/UNAVAILABLE retries: ${grpc.retries}; load ${load()})\n`,
    );
  }
  if (PHASES.has('pricing')) {
    // Alternated in ABBA order, so that a drift of the machine's speed during the phase (seen here:
    // each run a little slower than the one before) falls on both sides alike.
    const priced: EndToEnd[] = [];
    const unpriced: EndToEnd[] = [];
    const run = (price: boolean) =>
      endToEnd(bodies, spans, { protocol: 'http', senders: SENDERS, ...(price ? {} : { env: { SIGHTLINE_PRICE_AT_INGEST: 'false' } }) });
    for (let r = 0; r < ROUNDS; r++) {
      for (const price of r % 2 === 0 ? [false, true] : [true, false]) (price ? priced : unpriced).push(await run(price));
      console.log(
        `pricing round ${r + 1} (load ${load()}): unpriced ${fmt(unpriced[r]!.rate)}/s (${fmt(unpriced[r]!.perCpuSecond)}/CPU s), ` +
          `priced ${fmt(priced[r]!.rate)}/s (${fmt(priced[r]!.perCpuSecond)}/CPU s)`,
      );
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const rate = (xs: EndToEnd[]) => mean(xs.map((x) => x.rate));
    const perCpu = (xs: EndToEnd[]) => mean(xs.map((x) => x.perCpuSecond));
    console.log(
      `pricing at ingest, means of ${ROUNDS} (ABBA): ${fmt(rate(priced))} vs ${fmt(rate(unpriced))} spans/s unpriced: ratio ${(rate(priced) / rate(unpriced)).toFixed(3)}; ` +
        `per collector CPU second ${(perCpu(priced) / perCpu(unpriced)).toFixed(3)} (issue 14: ≥ 0.95)\n`,
    );
  }
  if (PHASES.has('overload')) await overload(SPANS_PER_REQUEST);
}

await main();
