/**
 * Two clocks behind one interface, so the same agent code runs in both modes:
 * - SimClock (backfill): `sleep` advances simulated time instead of waiting, so hours of history
 *   are written in seconds; the SDK stamps spans with it through `init({ clock })`.
 * - realClock (live): real waits, so spans measure wall time and the batch processor exports them
 *   as they end.
 */
export interface Clock {
  readonly now: number;
  sleep(ms: number): Promise<void>;
}

export class SimClock implements Clock {
  /**
   * @param ceiling the latest time it will ever report. The backfill passes the real time it started
   *   at, so no span can be stamped after the moment it is exported, however long a simulated run
   *   turns out (its layout keeps this a safety net that practically never engages).
   */
  constructor(
    private time: number,
    readonly ceiling = Number.POSITIVE_INFINITY,
  ) {}
  get now(): number {
    return Math.min(this.time, this.ceiling);
  }
  /**
   * Moves to `ms`, backwards too: sessions are simulated one after another but overlap in time.
   * (A clock that only moved forward ran ahead of the session layout, so later sessions were cut
   * off at the end of the span and `--sessions` stopped adding traffic past a few thousand.)
   */
  set(ms: number): void {
    this.time = ms;
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms;
    // Yield like real I/O would, so the export timer and progress printer get to run.
    if (Math.random() < 0.05) await new Promise((r) => setImmediate(r));
  }
}

export const realClock: Clock = {
  get now() {
    return Date.now();
  },
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** A real wait that ends early (resolving, not rejecting) when `signal` aborts: how live mode stops. */
export function sleepUntilAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
