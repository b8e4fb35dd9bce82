/**
 * OTLP fuzz (issue 11): hostile and mutated export requests, JSON and protobuf, posted to a real
 * collector (in-process, ephemeral port, embedded ClickHouse in a temporary directory).
 *
 * Properties:
 *   - no request is answered 5xx;
 *   - every span of a 2xx answer that was not reported rejected is readable from storage after a
 *     flush, and nothing else is (distinct (trace_id, span_id) stored = sent − rejected);
 *   - no span costs an internal error (decode or normalizer exception);
 *   - storage never wedges: afterwards a normal span is stored and /api/health is ok;
 *   - a restart on the same data directory succeeds and keeps every stored span.
 *
 * The normal test run makes a short run (SHORT_RUNS cases). `pnpm fuzz` makes a long one:
 * SIGHTLINE_FUZZ_SECONDS (default 300) and/or SIGHTLINE_FUZZ_RUNS; SIGHTLINE_FUZZ_SEED replays a run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Health } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { normalizeFailures } from '../normalize/index.js';
import { tempDataDir } from '../test-support/temp-storage.js';
import { decodeTraceRequest, spanBuildFailures, type OtlpFormat } from './decode.js';
import { bodyOf, fuzzCase, spanCount } from './otlp-arbitraries.case.js';
import { ExportTraceServiceResponseType, RpcStatusType } from './proto.js';

/** About 20-40 s on a loaded 2-core machine. */
const SHORT_RUNS = 250;
const env = process.env;
const long = env.SIGHTLINE_FUZZ === 'long' || env.SIGHTLINE_FUZZ_RUNS !== undefined || env.SIGHTLINE_FUZZ_SECONDS !== undefined;
const RUNS = Number(env.SIGHTLINE_FUZZ_RUNS ?? (long ? 1_000_000_000 : SHORT_RUNS));
const SECONDS = Number(env.SIGHTLINE_FUZZ_SECONDS ?? (long ? 300 : 0));
const SEED = env.SIGHTLINE_FUZZ_SEED === undefined ? undefined : Number(env.SIGHTLINE_FUZZ_SEED);

const tmp = tempDataDir('sightline-fuzz-');
let collector: RunningCollector;
const RETENTION_DAYS = 3650;
const start = () => startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'error', flushIntervalMs: 100, retentionDays: RETENTION_DAYS });

beforeAll(async () => {
  collector = await start();
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

const CONTENT_TYPE: Record<OtlpFormat, string> = { json: 'application/json', protobuf: 'application/x-protobuf' };

function rejectedOf(format: OtlpFormat, body: Buffer): number {
  if (format === 'json') {
    const parsed = JSON.parse(body.toString('utf8')) as { partialSuccess?: { rejectedSpans?: string | number } };
    return Number(parsed.partialSuccess?.rejectedSpans ?? 0);
  }
  const msg = ExportTraceServiceResponseType.decode(body) as unknown as { partialSuccess?: { rejectedSpans?: unknown } | null };
  return Number(msg.partialSuccess?.rejectedSpans ?? 0);
}

async function post(body: Uint8Array, format: OtlpFormat): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': CONTENT_TYPE[format] } });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

async function storedKeys(): Promise<Set<string>> {
  const rs = await collector.storage.client.query({
    query: `SELECT DISTINCT concat(trace_id, '/', span_id) AS k FROM spans`,
    format: 'JSONEachRow',
  });
  return new Set((await rs.json<{ k: string }>()).map((r) => r.k));
}

async function health(): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${collector.url}/api/health`);
  return { status: res.status, body: Health.parse(await res.json()) };
}

/** The first words of an error answer's message: enough to group them. */
function errorText(format: OtlpFormat, body: Buffer): string {
  try {
    const msg =
      format === 'json'
        ? (JSON.parse(body.toString('utf8')) as { message?: string }).message
        : (RpcStatusType.decode(body) as unknown as { message: string }).message;
    return (msg ?? '').replace(/\d+/g, 'N').slice(0, 70);
  } catch {
    return 'unparseable error body';
  }
}

const clientErrorReasons = new Map<string, number>();
const stats = { requests: 0, mutated: 0, randomBodies: 0, spansSent: 0, ok: 0, clientErrors: 0, rejectedSpans: 0, acknowledgedSpans: 0 };

test(
  'hostile and mutated OTLP requests: no 5xx, every acknowledged span stored, storage never wedges, restart succeeds',
  { timeout: (SECONDS || 120) * 1000 + 300_000 },
  async () => {
    const acknowledged = new Set<string>();
    const expired = new Set<string>();
    const retentionCutoffNs = BigInt(Date.now() - RETENTION_DAYS * 86_400_000) * 1_000_000n;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        const body = bodyOf(c);
        stats.requests++;
        if (c.kind === 'random') stats.randomBodies++;
        else if (c.mutation) stats.mutated++;
        if (c.kind === 'request') stats.spansSent += spanCount(c.request);
        const res = await post(body, c.format);
        expect(res.status, res.body.toString('utf8').slice(0, 300)).toBeLessThan(500);
        if (res.status !== 200) {
          stats.clientErrors++;
          const reason = `${res.status} ${c.kind === 'random' ? 'random' : c.mutation ? 'mutated' : 'generated'} ${c.format}: ${errorText(c.format, res.body)}`;
          clientErrorReasons.set(reason, (clientErrorReasons.get(reason) ?? 0) + 1);
          return;
        }
        stats.ok++;
        const rejected = rejectedOf(c.format, res.body);
        // The same decoder tells which spans the answer acknowledged (ids included, after mutation).
        const local = decodeTraceRequest(body, c.format);
        expect(rejected).toBe(local.rejected);
        if (c.kind === 'request' && !c.mutation) expect(local.rows.length).toBe(spanCount(c.request) - rejected);
        stats.rejectedSpans += rejected;
        stats.acknowledgedSpans += local.rows.length;
        for (const r of local.rows) {
          const key = `${r.trace_id}/${r.span_id}`;
          acknowledged.add(key);
          if (BigInt(r.start_time) < retentionCutoffNs) expired.add(key);
        }
      }),
      {
        numRuns: RUNS,
        ...(SECONDS > 0 ? { interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false } : {}),
        ...(SEED === undefined ? {} : { seed: SEED }),
      },
    );
    const fuzzSeconds = (performance.now() - started) / 1000;

    // Acknowledged ⇒ stored, and nothing stored that was not acknowledged. Spans older than the
    // retention (the 2001-09-09 bound among the hostile times) are acknowledged and then dropped by
    // the TTL at the next merge, as configured: they are not required to be found.
    await collector.pipeline.flush();
    const stored = await storedKeys();
    const lost = [...acknowledged].filter((k) => !stored.has(k) && !expired.has(k));
    expect(lost).toEqual([]);
    expect([...stored].filter((k) => !acknowledged.has(k))).toEqual([]);
    expect([spanBuildFailures(), normalizeFailures()]).toEqual([0, 0]);

    // Not wedged: a normal span is stored and health is ok.
    const normal = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'feedfacefeedfacefeedfacefeedface',
                  spanId: 'feedfacefeedface',
                  name: 'after the fuzz',
                  startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n + 1000n),
                },
              ],
            },
          ],
        },
      ],
    };
    expect((await post(Buffer.from(JSON.stringify(normal)), 'json')).status).toBe(200);
    await collector.pipeline.flush();
    expect((await storedKeys()).has('feedfacefeedfacefeedfacefeedface/feedfacefeedface')).toBe(true);
    const h = await health();
    expect([h.status, h.body.status]).toEqual([200, 'ok']);

    // Restart on the same data directory: starts, and every span is still there.
    await collector.stop();
    collector = await start();
    expect((await health()).status).toBe(200);
    const afterRestart = await storedKeys();
    expect([...stored].filter((k) => !afterRestart.has(k) && !expired.has(k))).toEqual([]);
    expect(afterRestart.has('feedfacefeedfacefeedfacefeedface/feedfacefeedface')).toBe(true);

    console.log(
      `OTLP fuzz: ${stats.requests} requests in ${fuzzSeconds.toFixed(0)} s (${stats.mutated} mutated, ${stats.randomBodies} random bytes), ` +
        `${stats.spansSent} spans generated; ${stats.ok} answered 200, ${stats.clientErrors} 4xx, 0 5xx; ` +
        `${stats.acknowledgedSpans} spans acknowledged, ${stats.rejectedSpans} rejected; ${stored.size} distinct spans stored ` +
        `(${expired.size} acknowledged older than the retention), 0 lost. Most frequent 4xx:\n` +
        [...clientErrorReasons]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([r, n]) => `  ${n} × ${r}`)
          .join('\n'),
    );
  },
);
