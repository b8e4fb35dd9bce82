/**
 * `pnpm demo`: a simulated support desk that sends realistic agent traces to Sightline.
 *
 *   pnpm demo                              400 sessions over the last 24 h → http://localhost:4318
 *   pnpm demo --sessions 2000 --days 7     a week of history
 *   pnpm demo --drift-after 0.6            behaviour changes 60% of the way through the span
 *   pnpm demo --drift-after 2026-05-01T12:00:00Z
 *   pnpm demo --live                       the history, then ~2 sessions/s in real time until Ctrl-C
 *   pnpm demo --live --spike-at 2m --spike-for 3m --spike-factor 5
 *                                          …with model and tool calls 5× slower from 2 to 5 minutes in
 *   pnpm demo --endpoint http://collector:4318 --seed 7 --no-content
 *
 * The model is fake and deterministic (no network, no API key). History runs on a simulated clock,
 * so hours are written in seconds, ending before now; live mode waits for real.
 */
import { init, shutdown } from '../src/index.js';
import { backfill } from './demo/backfill.js';
import { realClock, SimClock, type Clock } from './demo/clock.js';
import { parseFlags, USAGE, type DemoFlags } from './demo/flags.js';
import { live } from './demo/live.js';
import { Rng } from './demo/prng.js';
import { newTally } from './demo/tally.js';

let flags: DemoFlags;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (e) {
  console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  process.exit(2);
}
if (flags.help || (flags.sessions === 0 && !flags.live)) {
  console.log(USAGE);
  process.exit(flags.help ? 0 : 2);
}

const end = Date.now();
const start = end - flags.spanMs;
const driftAt = parseDrift(flags.driftAfter);
const sim = new SimClock(start, end);
// The SDK reads whichever clock the current mode runs on: simulated for history, then real.
let clock: Clock = sim;
const sdk = init({
  serviceName: 'demo-support-desk',
  endpoint: flags.endpoint,
  release: '1.4.0',
  environment: 'demo',
  captureContent: !flags.noContent,
  clock: () => clock.now,
  maxQueueSize: 20_000,
  scheduledDelayMs: 200,
});

// Ctrl-C stops cleanly (the runs under way end, the queue is flushed); a second one exits at once.
// Signals within a second of the first are echoes, not a second Ctrl-C: the terminal signals the
// whole process group and `pnpm` / `tsx` relay it (or send SIGTERM) to this process as well.
const stop = new AbortController();
let stoppedAt = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stop.signal.aborted) {
      if (Date.now() - stoppedAt > 1000) process.exit(130);
      return;
    }
    stoppedAt = Date.now();
    console.log(`\n${signal}: stopping (again to quit at once)`);
    stop.abort();
  });
}

const history = newTally();
const t0 = Date.now();
if (flags.sessions > 0) {
  console.log(
    `demo: ${flags.sessions} sessions from ${minute(start)} to ${minute(end)} → ${sdk.config.tracesUrl}` +
      (driftAt !== undefined ? `, drifting after ${minute(driftAt)}` : ', no drift (use --drift-after 0.6)'),
  );
  const progress = setInterval(() => backfillLine(false), 500);
  await backfill({
    sessions: flags.sessions,
    start,
    end,
    driftAt,
    rng: new Rng(flags.seed),
    clock: sim,
    tally: history,
    signal: stop.signal,
  });
  clearInterval(progress);
  backfillLine(true);
}

const now = newTally();
if (flags.live && !stop.signal.aborted) {
  clock = realClock;
  await live({
    flags: flags.live,
    driftAt,
    seed: flags.seed,
    tally: now,
    signal: stop.signal,
    sentSpans: () => sdk.getStats().exportedSpans,
    log: (line) => flags.quiet || console.log(line),
  });
}

await shutdown({ timeoutMs: flags.live ? 5000 : 15_000 });
const s = sdk.getStats(); // the handle keeps its counters after shutdown()
const lost = s.failedSpans + s.droppedSpans;
console.log(
  `done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${s.exportedSpans.toLocaleString()} spans sent, ` +
    `${history.errors + now.errors} agent runs ended in an error` +
    (flags.live ? `; live: ${now.sessions} sessions, ${now.runs} agent runs` : '') +
    (lost > 0 ? `; ${lost} spans NOT delivered — is the collector running at ${sdk.config.tracesUrl}? (pnpm start)` : ''),
);
// Sessions cut off by Ctrl-C may still hold timers; nothing of theirs can be sent any more.
process.exit(0);

function backfillLine(final: boolean): void {
  if (flags.quiet) return;
  const secs = (Date.now() - t0) / 1000;
  const line =
    `sessions ${history.sessions}/${flags.sessions} | spans ${history.spans.toLocaleString()} made, ` +
    `${sdk.getStats().exportedSpans.toLocaleString()} sent | ` +
    `${Math.round(history.spans / Math.max(secs, 0.001)).toLocaleString()} spans/s | sim time ${minute(sim.now)}`;
  const tty = process.stdout.isTTY;
  process.stdout.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
}

function parseDrift(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const f = Number(v);
  if (Number.isFinite(f) && f >= 0 && f <= 1) return start + f * flags.spanMs;
  const t = Date.parse(v);
  if (Number.isFinite(t)) return t;
  console.error(`--drift-after must be a fraction 0..1 or an ISO time, got ${v}`);
  process.exit(2);
}

function minute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
