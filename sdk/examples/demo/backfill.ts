/**
 * History: `sessions` sessions spread over [start, end], written on a simulated clock in seconds.
 *
 * Every span ends at or before `end` (the real time the demo started, so before any export): the
 * layout leaves room for the last agent run, a session stops at the first message its user would
 * only send after `end` (they are still typing), and the clock's ceiling is the backstop.
 */
import { flush, session } from '../../src/index.js';
import { SimClock } from './clock.js';
import type { Rng } from './prng.js';
import { handleTurn } from './support-agent.js';
import { countRun, type Tally } from './tally.js';

/** Far longer than a simulated agent run takes (p99 ≈ 2 s; 6 s drifted, where a rare one passes 30 s). */
const RUN_ROOM_MS = 2 * 60_000;
/** A user silent longer than this would start a new session; also bounds a session's length. */
const MAX_THINK_MS = 10 * 60_000;

export interface BackfillPlan {
  sessions: number;
  start: number;
  end: number;
  driftAt: number | undefined;
  rng: Rng;
  clock: SimClock;
  tally: Tally;
  signal: AbortSignal;
}

export async function backfill(p: BackfillPlan): Promise<void> {
  const { rng, clock } = p;
  const spanMs = p.end - p.start;
  const room = Math.min(RUN_ROOM_MS, spanMs / 10);
  for (let i = 0; i < p.sessions && !p.signal.aborted; i++) {
    // Spread sessions over the span with jitter; daytime is busier than night.
    const base = p.start + ((i + rng.next()) / p.sessions) * (spanMs - room);
    clock.set(base);
    const hourOfDay = new Date(base).getUTCHours();
    const turns = rng.int(1, hourOfDay >= 8 && hourOfDay <= 20 ? 3 : 2);
    const id = `sess_${(i + 1).toString().padStart(5, '0')}_${rng.int(1e5, 1e6).toString(36)}`;
    await session(id, async () => {
      for (let t = 0; t < turns; t++) {
        if (t > 0) await clock.sleep(Math.min(rng.lognormal(60_000, 0.8), MAX_THINK_MS)); // the user reads and types
        const now = clock.now;
        if (now + room > p.end) break; // this message would be sent after the demo started: not yet
        const result = await handleTurn({
          rng,
          clock,
          drifted: p.driftAt !== undefined && now >= p.driftAt,
          incident: now >= p.start + spanMs * 0.4 && now <= p.start + spanMs * 0.45,
          slowdown: 1,
        });
        countRun(p.tally, result);
      }
    });
    p.tally.sessions = i + 1;
    // Back-pressure: never let the queue fill, every span should reach the collector.
    if (i % 50 === 49) await flush();
  }
}
