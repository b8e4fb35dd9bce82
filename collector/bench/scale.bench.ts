/**
 * Metrics at scale (issue 19): N agent spans over the last 7 days, and `/api/metrics` for the last
 * 24 h and 7 d by none / model / agent / tool, plus the overview's four calls at once, each read
 * from minutes only and through the planner (hours + edge minutes, queries/rollup-levels.ts): same
 * run, same data, alternating which goes first; medians of ROUNDS after a warm-up.
 *
 * Loading bypasses OTLP: the spans are generated inside the engine (INSERT … SELECT from numbers(),
 * blocks of 1M, test-support/generated-spans.ts) straight into `spans`, so the real materialized
 * views fill the summaries and both rollup levels, but decoding and batching are skipped. Ten
 * million spans through OTLP would take about an hour on this machine (ingest bench: ~3k spans/s),
 * and what is measured here is the read side. The rollup tables and trace summaries are then merged
 * (OPTIMIZE FINAL), as background merges leave them in a collector that has run a while: a fresh
 * load writes each minute in every 1M block, 10 times the rows a merged table holds.
 *
 * The requests go through the real metrics route and auth middleware over HTTP on an ephemeral port
 * (no background jobs: the drift catch-up of the full collector would compete for the 2 cores).
 * Rows and bytes read are the engine's own counts per query (chDB has no system.query_log: its
 * connection's `query` is wrapped to run as `exec`, which returns the summary), split into the
 * rollup queries and the rest (the spend attribution of agents and tools, which reads the trace
 * summaries or the spans).
 *
 *   pnpm --filter @sightline/collector bench:scale   [SIGHTLINE_SCALE_SPANS=10000000 ROUNDS=5]
 *   SIGHTLINE_SCALE_DIR=/tmp/dir   load into (or reuse, when it holds N spans) that data directory
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { ChdbConnection } from 'chdb/connection';
import { metricRoutes } from '../src/api/routes/metrics.js';
import { handleError } from '../src/api/error-handler.js';
import { RequestAuth } from '../src/auth/caller.js';
import type { AuthEnv } from '../src/auth/context.js';
import { authenticate } from '../src/auth/middleware.js';
import { silentLogger } from '../src/logger.js';
import { listen } from '../src/server.js';
import { openStorage } from '../src/storage/client.js';
import { migrate } from '../src/storage/migrate.js';
import { setRollupLevels, type RollupLevels } from '../src/storage/queries/rollup-levels.js';
import { insertGeneratedSpans } from '../src/test-support/generated-spans.js';

const SPANS = Number(process.env.SIGHTLINE_SCALE_SPANS ?? 1_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BLOCK = 1_000_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Rows and bytes read by the engine (`capture`: in an untimed pass), and engine time, per kind of query, since the last reset. */
const reads = { capture: false, rollupRows: 0, rollupBytes: 0, rollupMs: 0, otherRows: 0, otherBytes: 0 };
type Summary = { elapsed_ns?: string };
type Conn = { exec(p: { query: string }): Promise<{ summary?: Summary; stream: AsyncIterable<Buffer> }> };
const text = async (stream: AsyncIterable<Buffer>) => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
};
// chdb's connection has no query log and its summary's read_rows are the result's rows; `exec`
// runs the same SQL through the same session and gives the engine's elapsed time, and the same
// query in FORMAT JSON reports the rows and bytes it read (statistics). Bench only.
(ChdbConnection.prototype as unknown as { query: (p: { query: string }) => Promise<unknown> }).query = async function (
  this: Conn,
  p: { query: string },
) {
  const r = await this.exec(p);
  const rollup = p.query.includes('span_rollups');
  if (rollup) reads.rollupMs += Number(r.summary?.elapsed_ns ?? 0) / 1e6;
  if (reads.capture) {
    const json = await this.exec({ ...p, query: p.query.replace(/FORMAT JSONEachRow\s*$/, 'FORMAT JSON') });
    const stats = (JSON.parse(await text(json.stream)) as { statistics: { rows_read: number; bytes_read: number } }).statistics;
    if (rollup) {
      reads.rollupRows += stats.rows_read;
      reads.rollupBytes += stats.bytes_read;
    } else {
      reads.otherRows += stats.rows_read;
      reads.otherBytes += stats.bytes_read;
    }
  }
  return r;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const mib = (n: number) => (n / 2 ** 20).toFixed(1);

interface Measure {
  ms: number;
  rollupMs: number;
  rollupRows: number;
  rollupBytes: number;
  otherRows: number;
}

async function main(): Promise<void> {
  const dir = process.env.SIGHTLINE_SCALE_DIR ?? mkdtempSync(join(tmpdir(), 'sightline-scale-bench-'));
  const storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir: dir } as never);
  const { client } = storage;
  const scalar = async (query: string) => {
    const rs = await client.query({ query, format: 'JSONEachRow' });
    return Number(Object.values((await rs.json<Record<string, unknown>>())[0] ?? {})[0] ?? 0);
  };
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    await migrate(client);
    const stored = await scalar('SELECT count() FROM spans');
    // The data's clock: the end of the last load (kept in the directory for a rerun on it).
    let now = await scalar("SELECT toUnixTimestamp64Milli(max(start_time)) FROM spans WHERE scope_name = 'generated'");
    if (stored !== SPANS) {
      if (stored !== 0) throw new Error(`${dir} holds ${stored} spans, not ${SPANS}: use an empty directory`);
      now = Math.floor(Date.now() / 60_000) * 60_000;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      for (let offset = 0; offset < SPANS; offset += BLOCK) {
        await insertGeneratedSpans(client, {
          offset,
          count: Math.min(BLOCK, SPANS - offset),
          startMs: now - 7 * DAY_MS,
          spanMs: 7 * DAY_MS - 60_000,
        });
        console.log(`  ${fmt(Math.min(SPANS, offset + BLOCK))} spans, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      const cpu = process.cpuUsage(cpu0);
      const t1 = performance.now();
      for (const table of ['span_rollups_1m', 'span_rollups_1h', 'trace_summaries'])
        await client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
      console.log(
        `loaded ${fmt(SPANS)} spans in ${((t1 - t0) / 1000).toFixed(0)} s (${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU), ` +
          `merged in ${((performance.now() - t1) / 1000).toFixed(0)} s`,
      );
    }
    now = Math.ceil((now + 1) / 60_000) * 60_000 + 17_000; // an instant inside a minute, as a dashboard's "now"
    for (const table of ['span_rollups_1m', 'span_rollups_1h']) {
      const rows = await scalar(`SELECT sum(rows) FROM system.parts WHERE database = currentDatabase() AND table = '${table}' AND active`);
      const bytes = await scalar(
        `SELECT sum(data_compressed_bytes) FROM system.parts WHERE database = currentDatabase() AND table = '${table}' AND active`,
      );
      console.log(`${table}: ${fmt(rows)} rows, ${mib(bytes)} MiB compressed`);
    }

    const api = new OpenAPIHono<AuthEnv>();
    api.use('*', authenticate(new RequestAuth('open')));
    api.route('/', metricRoutes({ client }));
    const app = new Hono();
    app.route('/api', api);
    app.onError(handleError(silentLogger));
    server = await listen(app, '127.0.0.1', 0);
    const base = `http://127.0.0.1:${server.port}/api/metrics`;
    const get = async (params: Record<string, string>) => {
      const res = await fetch(`${base}?${new URLSearchParams(params)}`);
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      return res.json();
    };
    const measure = async (mode: RollupLevels, run: () => Promise<unknown>, capture = false): Promise<Measure> => {
      setRollupLevels(mode);
      Object.assign(reads, { capture, rollupRows: 0, rollupBytes: 0, rollupMs: 0, otherRows: 0, otherBytes: 0 });
      const start = performance.now();
      await run();
      return { ms: performance.now() - start, ...reads };
    };
    const compare = async (run: () => Promise<unknown>) => {
      const out: Record<RollupLevels, Measure[]> = { minutes: [], auto: [] };
      const read = { minutes: await measure('minutes', run, true), auto: await measure('auto', run, true) };
      for (let r = 0; r < ROUNDS; r++) {
        for (const mode of r % 2 === 0 ? (['minutes', 'auto'] as const) : (['auto', 'minutes'] as const))
          out[mode].push(await measure(mode, run));
      }
      const med = (m: Measure[], r: Measure) => ({ ...r, ms: median(m.map((x) => x.ms)), rollupMs: median(m.map((x) => x.rollupMs)) });
      return { minutes: med(out.minutes, read.minutes), auto: med(out.auto, read.auto) };
    };

    console.log(
      `\n${fmt(SPANS)} spans over 7 days; medians of ${ROUNDS} (after an untimed pass that counts the rows read); minutes only → planned\n`,
    );
    console.log(
      '| window | group by | request, minutes only | request, planned | rollup queries (engine ms) | rollup rows read | rollup MiB read | other rows read |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [label, windowMs] of [
      ['24 h', DAY_MS],
      ['7 d', 7 * DAY_MS],
    ] as const) {
      const range = { from: String(now - windowMs), to: String(now) };
      const rows: Array<[string, () => Promise<unknown>]> = (['none', 'model', 'agent', 'tool'] as const).map((g) => [
        g,
        () => get({ ...range, groupBy: g }),
      ]);
      rows.push([
        'overview (4 at once)',
        () =>
          Promise.all([
            get({ ...range, groupBy: 'none', rootOnly: 'true' }),
            get({ ...range, groupBy: 'model' }),
            get({ ...range, groupBy: 'agent' }),
            get({ ...range, groupBy: 'tool' }),
          ]),
      ]);
      for (const [g, run] of rows) {
        const { minutes: m, auto: a } = await compare(run);
        console.log(
          `| ${label} | ${g} | ${fmt(m.ms)} ms | **${fmt(a.ms)} ms** | ${fmt(m.rollupMs)} → ${fmt(a.rollupMs)} | ${fmt(m.rollupRows)} → ${fmt(a.rollupRows)} | ` +
            `${mib(m.rollupBytes)} → ${mib(a.rollupBytes)} | ${fmt(a.otherRows)} |`,
        );
      }
    }
  } finally {
    setRollupLevels('auto');
    await server?.close();
    await storage.close();
    if (process.env.SIGHTLINE_SCALE_DIR === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
