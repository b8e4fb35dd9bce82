/**
 * `pnpm demo`: a simulated support desk that sends realistic agent traces to Sightline.
 *
 *   pnpm demo                              400 sessions over the last 24 h → http://localhost:4318
 *   pnpm demo --sessions 2000 --days 7     a week of history
 *   pnpm demo --drift-after 0.6            behaviour changes 60% of the way through the span
 *   pnpm demo --drift-after 2026-05-01T12:00:00Z
 *   pnpm demo --endpoint http://collector:4318 --seed 7 --no-content
 *
 * The model is fake and deterministic (no network, no API key); time is simulated, so hours of
 * history are written in seconds, ending now.
 */
import { parseArgs } from 'node:util';
import { flush, init, session, shutdown } from '../src/index.js';
import { SimClock } from './demo/clock.js';
import { Rng } from './demo/prng.js';
import { handleTurn } from './demo/support-agent.js';

const HOUR = 3_600_000;

const { values: flags } = parseArgs({
  options: {
    sessions: { type: 'string', default: '400' },
    days: { type: 'string', default: '1' },
    hours: { type: 'string' },
    'drift-after': { type: 'string' },
    endpoint: { type: 'string' },
    seed: { type: 'string', default: '42' },
    'no-content': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (flags.help) {
  console.log(`usage: pnpm demo [--sessions N] [--days D | --hours H] [--drift-after FRACTION|ISO-TIME]
                 [--endpoint URL] [--seed N] [--no-content] [--quiet]`);
  process.exit(0);
}

const sessions = positiveInt(flags.sessions, 'sessions');
const spanMs = flags.hours !== undefined ? positiveNumber(flags.hours, 'hours') * HOUR : positiveNumber(flags.days, 'days') * 24 * HOUR;
const end = Date.now();
const start = end - spanMs;
const driftAt = parseDrift(flags['drift-after']);
const rng = new Rng(positiveInt(flags.seed, 'seed'));
const clock = new SimClock(start);

const sdk = init({
  serviceName: 'demo-support-desk',
  endpoint: flags.endpoint,
  release: '1.4.0',
  environment: 'demo',
  captureContent: !flags['no-content'],
  clock: clock.read,
  maxQueueSize: 20_000,
  scheduledDelayMs: 200,
});

let produced = 0;
let done = 0;
let errors = 0;
const t0 = Date.now();
const progress = setInterval(() => report(false), 500);
progress.unref();

console.log(
  `demo: ${sessions} sessions from ${iso(start)} to ${iso(end)} → ${sdk.config.tracesUrl}` +
    (driftAt !== undefined ? `, drifting after ${iso(driftAt)}` : ', no drift (use --drift-after 0.6)'),
);

for (let i = 0; i < sessions; i++) {
  // Spread sessions over the span with jitter; daytime is busier than night.
  const base = start + ((i + rng.next()) / sessions) * spanMs * 0.98;
  clock.set(base);
  const hourOfDay = new Date(base).getUTCHours();
  const turns = rng.int(1, hourOfDay >= 8 && hourOfDay <= 20 ? 3 : 2);
  const id = `sess_${(i + 1).toString().padStart(5, '0')}_${rng.int(1e5, 1e6).toString(36)}`;
  await session(id, async () => {
    for (let t = 0; t < turns; t++) {
      const now = clock.now;
      const result = await handleTurn({
        rng,
        clock,
        drifted: driftAt !== undefined && now >= driftAt,
        incident: now >= start + spanMs * 0.4 && now <= start + spanMs * 0.45,
      });
      produced += result.spans;
      if (result.answer.startsWith('error')) errors += 1;
      await clock.sleep(rng.lognormal(60_000, 0.8)); // the user reads and types
    }
  });
  // Back-pressure: never let the queue fill, every span should reach the collector.
  done = i + 1;
  if (i % 50 === 49) await flush();
}

await shutdown({ timeoutMs: 15_000 });
clearInterval(progress);
report(true);

function report(final: boolean): void {
  const s = sdk.getStats(); // the handle keeps its counters after shutdown()
  const secs = (Date.now() - t0) / 1000;
  const line =
    `sessions ${done}/${sessions} | spans ${produced.toLocaleString()} made, ${s.exportedSpans.toLocaleString()} sent | ` +
    `${Math.round(produced / Math.max(secs, 0.001)).toLocaleString()} spans/s | sim time ${iso(clock.now)}`;
  if (flags.quiet && !final) return;
  if (!final) {
    process.stdout.write(process.stdout.isTTY ? `\r${line}` : `${line}\n`);
    return;
  }
  if (!flags.quiet) process.stdout.write(`${process.stdout.isTTY ? '\r' : ''}${line}\n`);
  const lost = s.failedSpans + s.droppedSpans;
  console.log(
    `done in ${secs.toFixed(1)} s: ${errors} agent runs ended in an error` +
      (lost > 0 ? `; ${lost} spans NOT delivered — is the collector running at ${sdk.config.tracesUrl}? (pnpm start)` : ''),
  );
}

function parseDrift(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const f = Number(v);
  if (Number.isFinite(f) && f >= 0 && f <= 1) return start + f * spanMs;
  const t = Date.parse(v);
  if (Number.isFinite(t)) return t;
  throw new Error(`--drift-after must be a fraction 0..1 or an ISO time, got ${v}`);
}

function positiveInt(v: string | undefined, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

function positiveNumber(v: string | undefined, name: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
