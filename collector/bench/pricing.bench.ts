/**
 * What pricing adds to the collector's own work per span: the JavaScript ingest step (decode →
 * normalize → [price] → encode for the write-ahead log) over the ingest benchmark's requests, with
 * and without pricing, alternated round by round in one process so that a busy machine slows both
 * alike; medians of the process's CPU time compared. Also the per-call cost of a price lookup through the per-model cache and
 * through the library's calcPrice directly (what a search per span would cost).
 *
 *   pnpm --filter @sightline/collector bench:pricing   [SPANS=100000 ROUNDS=15]
 */
import { calcPrice } from '@pydantic/genai-prices';
import { normalizeRows } from '../src/normalize/index.js';
import { decodeTraceRequest } from '../src/otlp/decode.js';
import { CustomPriceBook } from '../src/pricing/custom-prices.js';
import { PriceDatabase } from '../src/pricing/price-database.js';
import { SpanPricer } from '../src/pricing/pricer.js';
import { encodeSpanRows } from '../src/storage/row-binary.js';
import { buildRequests } from './agent-requests.js';

const SPANS = Number(process.env.SPANS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 15);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function ingestStep(bodies: Uint8Array[], pricer: SpanPricer | undefined): { ms: number; spans: number; priced: number } {
  let spans = 0;
  let priced = 0;
  let bytes = 0;
  // CPU time of this process, not wall time: on a machine shared with other work, waiting for a core is not ingest work.
  const c0 = process.cpuUsage();
  for (const body of bodies) {
    const rows = normalizeRows(decodeTraceRequest(body, 'protobuf').rows);
    pricer?.priceRows(rows, 'default');
    bytes += encodeSpanRows(rows).length;
    for (const r of rows) if (r.cost_source !== '') priced++;
    spans += rows.length;
  }
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  if (bytes === 0) throw new Error('nothing encoded');
  return { ms, spans, priced };
}

function main(): void {
  const { bodies, spans } = buildRequests(Math.ceil(SPANS / 512), 512);
  const pricer = new SpanPricer(new CustomPriceBook());
  ingestStep(bodies, pricer); // warm-up: JIT, and the one database match per model
  ingestStep(bodies, undefined);
  const without: number[] = [];
  const withPricing: number[] = [];
  let priced = 0;
  for (let i = 0; i < ROUNDS; i++) {
    without.push(ingestStep(bodies, undefined).ms);
    const r = ingestStep(bodies, pricer);
    withPricing.push(r.ms);
    priced = r.priced;
  }
  const a = median(without);
  const b = median(withPricing);
  console.log(`${spans} agent spans (${priced} model calls priced per round), ${ROUNDS} alternating rounds, medians of CPU time:`);
  console.log(`  decode → normalize → encode:            ${a.toFixed(0)} ms  (${((a * 1000) / spans).toFixed(2)} µs/span)`);
  console.log(`  decode → normalize → price → encode:    ${b.toFixed(0)} ms  (${((b * 1000) / spans).toFixed(2)} µs/span)`);
  console.log(`  pricing adds ${(((b - a) / a) * 100).toFixed(1)}% to the collector's JavaScript ingest work`);

  const db = new PriceDatabase();
  const usage = { input: 1200, output: 300, cacheRead: 200, cacheWrite: 0, reasoning: 0 };
  const N = 200_000;
  const at = Date.now();
  db.price('openai', 'gpt-4o-mini-2024-07-18', usage, at);
  let t0 = performance.now();
  for (let i = 0; i < N; i++) db.price('openai', 'gpt-4o-mini-2024-07-18', { ...usage, input: 1000 + (i & 1023) }, at);
  const cached = ((performance.now() - t0) * 1000) / N;
  const M = 20_000;
  t0 = performance.now();
  for (let i = 0; i < M; i++)
    calcPrice({ input_tokens: 1000 + (i & 1023), output_tokens: 300, cache_read_tokens: 200 }, 'gpt-4o-mini-2024-07-18', {
      providerId: 'openai',
    });
  const direct = ((performance.now() - t0) * 1000) / M;
  console.log(
    `  one price lookup: ${cached.toFixed(2)} µs through the per-model cache, ${direct.toFixed(1)} µs by calcPrice (a search per span)`,
  );
}

main();
