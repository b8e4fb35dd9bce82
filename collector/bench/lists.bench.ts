/**
 * The trace and session lists at scale (issue 19): N agent spans generated in the engine over the
 * last 7 days (span-generator.ts, priced model calls), then `listTraces` / `listSessions` (what
 * GET /api/traces and /api/sessions call) for 1 h, 24 h and 7 d ranges and several filters, timed
 * against the queries as they were before issue 19 (lists-baseline.ts) on the same data in the same
 * run, old and new alternated round by round so a busy machine weighs on both alike. Each case
 * checks that both give the same page. Per call: the median wall time of ROUNDS, and from the
 * engine's counters (system.events, read around one more call: embedded chDB keeps no query_log)
 * the rows and uncompressed bytes read from tables and the number of queries.
 *
 *   pnpm --filter @sightline/collector bench:lists   [SIGHTLINE_LIST_SPANS=3000000 ROUNDS=5]
 *   SIGHTLINE_LIST_DIR=/tmp/x   keeps the data there and reuses it in the next run (same `now`)
 */
import { isDeepStrictEqual } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { openStorage } from '../src/storage/client.js';
import { migrate } from '../src/storage/migrate.js';
import { listSessions } from '../src/storage/queries/sessions.js';
import { listTraces } from '../src/storage/queries/traces.js';
import { baselineListSessions, baselineListTraces } from './lists-baseline.js';
import { insertBlock, RARE_WORD } from './span-generator.js';

const SPANS = Number(process.env.SIGHTLINE_LIST_SPANS ?? 3_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const ONLY = process.env.CASES; // a substring of the case labels to run, for a quick look
const BLOCK = 1_000_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

type Call = (client: ClickHouseClient, from: number, to: number) => Promise<unknown>;
interface Case {
  label: string;
  old: Call;
  new: Call;
}

const traceCase = (label: string, extra: Record<string, unknown>): Case => {
  const q = (from: number, to: number) => ({ limit: 50, sort: 'start' as const, from, to, ...extra });
  return {
    label,
    old: (c, from, to) => baselineListTraces(c, 'default', q(from, to)),
    new: (c, from, to) => listTraces(c, 'default', q(from, to)),
  };
};
const sessionCase = (label: string, extra: Record<string, unknown>): Case => {
  const q = (from: number, to: number) => ({ limit: 50, from, to, ...extra });
  return {
    label,
    old: (c, from, to) => baselineListSessions(c, 'default', q(from, to)),
    new: (c, from, to) => listSessions(c, 'default', q(from, to)),
  };
};

const CASES: Case[] = [
  traceCase('traces', {}),
  traceCase('traces agent', { agent: 'support-agent' }),
  traceCase('traces agent+error', { agent: 'support-agent', status: 'error' }),
  traceCase('traces agent+error by duration', { agent: 'support-agent', status: 'error', sort: 'duration' }),
  traceCase('traces by duration', { sort: 'duration' }),
  traceCase('traces by cost', { sort: 'cost' }),
  traceCase(`traces q=${RARE_WORD}`, { q: RARE_WORD }),
  sessionCase('sessions', {}),
  sessionCase('sessions error', { status: 'error' }),
  sessionCase('sessions by cost', { sort: 'cost' }),
].filter((c) => ONLY === undefined || c.label.includes(ONLY));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const keep = process.env.SIGHTLINE_LIST_DIR;
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'sightline-lists-bench-'));
  const nowFile = join(dir, 'bench-now');
  const loaded = existsSync(nowFile);
  const storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir: dir } as never);
  const { client } = storage;
  const rows = async <T>(query: string, params: Record<string, unknown> = {}) =>
    (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
  // The engine's counters (embedded chDB has no system.query_log): read before and after a call.
  const events = async () =>
    new Map(
      (
        await rows<{ event: string; value: string }>(
          `SELECT event, value FROM system.events WHERE event IN ('SelectedRows', 'SelectedBytes', 'SelectQuery')`,
        )
      ).map((e) => [e.event, Number(e.value)]),
    );
  try {
    await migrate(client);
    const now = loaded ? Number(readFileSync(nowFile, 'utf8')) : Date.now();
    const t0 = performance.now();
    for (let offset = 0; !loaded && offset < SPANS; offset += BLOCK) {
      const sql = insertBlock(offset, Math.min(BLOCK, SPANS - offset), now - WEEK_MS + 60_000, SPANS, 1000, {
        spreadMs: WEEK_MS - 120_000,
        cost: true,
      });
      await client.command({ query: sql });
    }
    const loadS = (performance.now() - t0) / 1000;
    // The summaries as a long-running collector has them: merged (a fresh insert leaves many parts).
    if (!loaded) {
      await client.command({ query: 'OPTIMIZE TABLE trace_summaries FINAL' });
      await client.command({ query: 'OPTIMIZE TABLE session_summaries FINAL' });
      writeFileSync(nowFile, String(now));
    }
    const [shape] = await rows<Record<string, string>>(
      `SELECT (SELECT count() FROM trace_summaries) AS trace_rows, (SELECT uniqExact(trace_id) FROM trace_summaries) AS traces,
        (SELECT count() FROM session_summaries) AS session_rows, (SELECT uniqExact(session_id) FROM session_summaries) AS sessions`,
    );
    console.log(
      `${SPANS.toLocaleString('en')} spans over 7 days loaded in ${loadS.toFixed(0)} s; ${JSON.stringify(shape)}; load ${(
        await import('node:os')
      )
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log('| range | case | old ms | new ms | old rows / MB read / queries | new rows / MB read / queries | same page |');
    console.log('|---|---|---:|---:|---:|---:|---|');
    for (const [range, span] of [
      ['1 h', HOUR_MS],
      ['24 h', DAY_MS],
      ['7 d', WEEK_MS],
    ] as const) {
      const from = now - span;
      const to = now;
      for (const c of CASES) {
        const times = { old: [] as number[], new: [] as number[] };
        const stats = { old: '', new: '' };
        const answers: Record<string, unknown> = {};
        await c.old(client, from, to); // warm-up of both: marks and caches
        await c.new(client, from, to);
        for (let r = 0; r < ROUNDS; r++) {
          for (const variant of r % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const)) {
            const start = performance.now();
            answers[variant] = await c[variant](client, from, to);
            times[variant].push(performance.now() - start);
          }
        }
        for (const variant of ['old', 'new'] as const) {
          const before = await events();
          await c[variant](client, from, to);
          const after = await events();
          const d = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
          stats[variant] = `${d('SelectedRows').toLocaleString('en')} / ${(d('SelectedBytes') / 1e6).toFixed(1)} / ${d('SelectQuery') - 1}`;
        }
        const same = isDeepStrictEqual(answers.old, answers.new);
        console.log(
          `| ${range} | ${c.label} | ${median(times.old).toFixed(0)} | ${median(times.new).toFixed(0)} | ${stats.old} | ${stats.new} | ${same ? 'yes' : 'NO'} |`,
        );
      }
    }
  } finally {
    await storage.close();
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
