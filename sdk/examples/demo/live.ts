/**
 * Live traffic: new sessions arrive at `rate` per second in real time until stopped, each agent run
 * really waits for its fake model and tools, so spans carry wall-clock times and the SDK's batch
 * processor exports them as they end. An optional scheduled spike makes every model and tool call
 * `factor`× slower for a while — what a latency alert is for.
 */
import { setMaxListeners } from 'node:events';
import { session } from '../../src/index.js';
import { realClock, sleepUntilAborted } from './clock.js';
import type { LiveFlags } from './flags.js';
import { Rng } from './prng.js';
import { handleTurn } from './support-agent.js';
import { countRun, type Tally } from './tally.js';

const PROGRESS_EVERY_MS = 5000;
/** The progress line's p95 covers the runs that ended this recently. */
const P95_WINDOW_MS = 30_000;
/** On stop, agent runs already under way get this long to end (and be exported); thinking users leave at once. */
const STOP_GRACE_MS = 5000;
const MAX_THINK_MS = 10 * 60_000;

export interface LiveRun {
  flags: LiveFlags;
  driftAt: number | undefined;
  seed: number;
  tally: Tally;
  /** Ctrl-C. */
  signal: AbortSignal;
  sentSpans: () => number;
  log: (line: string) => void;
}

export async function live(r: LiveRun): Promise<void> {
  const t0 = Date.now();
  const { rate, durationMs } = r.flags;
  const spike = r.flags.spike && {
    on: t0 + r.flags.spike.atMs,
    off: t0 + r.flags.spike.atMs + r.flags.spike.forMs,
    factor: r.flags.spike.factor,
  };
  const stop = new AbortController();
  // Every user thinking between two messages waits on it: hundreds of listeners by design, not a leak.
  setMaxListeners(0, stop.signal);
  const onAbort = () => stop.abort();
  r.signal.addEventListener('abort', onAbort, { once: true });
  const timers: NodeJS.Timeout[] = [];
  if (durationMs !== undefined) timers.push(setTimeout(onAbort, durationMs));

  r.log(
    `live: ~${rate} sessions/s in real time` +
      (durationMs !== undefined ? ` for ${seconds(durationMs)}` : ' until Ctrl-C') +
      (spike ? `; latency spike ×${spike.factor} from ${iso(spike.on)} to ${iso(spike.off)}` : '; no spike (add --spike-at 2m)'),
  );
  if (spike) {
    // Stamped with the planned boundaries (the ones runs are judged by), not when the timer fired.
    timers.push(setTimeout(() => r.log(`spike ON at ${iso(spike.on)}: model and tool calls ${spike.factor}× slower`), spike.on - t0));
    timers.push(setTimeout(() => r.log(`spike OFF at ${iso(spike.off)}`), spike.off - t0));
  }

  const recent: { endedAt: number; ms: number }[] = [];
  let last = { at: t0, sessions: r.tally.sessions, runs: r.tally.runs };
  const progress = setInterval(() => {
    const now = Date.now();
    const secs = (now - last.at) / 1000;
    while (recent.length > 0 && recent[0]!.endedAt < now - P95_WINDOW_MS) recent.shift();
    const p95 = percentile(
      recent.map((x) => x.ms),
      0.95,
    );
    r.log(
      `live ${seconds(now - t0)} | ${((r.tally.sessions - last.sessions) / secs).toFixed(1)} sessions/s, ` +
        `${((r.tally.runs - last.runs) / secs).toFixed(1)} agent runs/s | run p95 ${p95 === undefined ? '–' : `${(p95 / 1000).toFixed(2)} s`} ` +
        `(last ${P95_WINDOW_MS / 1000} s) | ${r.sentSpans().toLocaleString()} spans sent` +
        (spike ? ` | spike ${now >= spike.on && now < spike.off ? 'ON' : 'OFF'}` : ''),
    );
    last = { at: now, sessions: r.tally.sessions, runs: r.tally.runs };
  }, PROGRESS_EVERY_MS);
  timers.push(progress);

  let running = 0;
  const liveSession = async (i: number): Promise<void> => {
    // One generator per session: its content replays for a seed, whatever the timing of the others.
    const rng = new Rng(r.seed * 1_000_003 + i);
    const hourOfDay = new Date().getUTCHours();
    const turns = rng.int(1, hourOfDay >= 8 && hourOfDay <= 20 ? 3 : 2);
    r.tally.sessions += 1;
    await session(`live_${t0.toString(36)}_${i.toString().padStart(6, '0')}`, async () => {
      for (let t = 0; t < turns; t++) {
        if (t > 0) await sleepUntilAborted(Math.min(rng.lognormal(60_000, 0.8), MAX_THINK_MS), stop.signal);
        if (stop.signal.aborted) return;
        const startedAt = Date.now();
        running += 1;
        const result = await handleTurn({
          rng,
          clock: realClock,
          drifted: r.driftAt !== undefined && startedAt >= r.driftAt,
          incident: false,
          // Judged when the run starts, like `drifted`: a run is either all normal or all slow.
          slowdown: spike && startedAt >= spike.on && startedAt < spike.off ? spike.factor : 1,
        }).finally(() => (running -= 1));
        countRun(r.tally, result);
        recent.push({ endedAt: Date.now(), ms: Date.now() - startedAt });
      }
    });
  };

  // Poisson arrivals at the chosen mean rate, scheduled on absolute times so the rate does not sag.
  const arrivals = new Rng(r.seed + 1);
  const inFlight = new Set<Promise<void>>();
  let next = t0;
  for (let i = 0; !stop.signal.aborted; i++) {
    await sleepUntilAborted(next - Date.now(), stop.signal);
    if (stop.signal.aborted) break;
    const s: Promise<void> = liveSession(i).finally(() => inFlight.delete(s));
    inFlight.add(s);
    next += (-Math.log(1 - arrivals.next()) / rate) * 1000;
  }

  for (const t of timers) clearTimeout(t);
  r.signal.removeEventListener('abort', onAbort);
  if (running > 0) r.log(`stopping: waiting up to ${STOP_GRACE_MS / 1000} s for ${running} agent runs under way`);
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
  clearTimeout(grace);
  if (running > 0) r.log(`${running} agent runs did not finish in time; their unfinished spans are not sent`);
}

function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function seconds(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${(s % 60).toString().padStart(2, '0')}s`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
