/**
 * Log-line throttling for bugs met by single spans: a hostile or broken exporter can trigger the
 * same one thousands of times a second, and the log must stay readable (the counters see them all).
 */

/** Calls `log` at most once per `intervalMs`, passing how many calls were skipped since the last one. */
export function rateLimited<A extends unknown[]>(
  intervalMs: number,
  log: (skipped: number, ...args: A) => void,
  now: () => number = () => performance.now(),
): (...args: A) => void {
  let last = -Infinity;
  let skipped = 0;
  return (...args) => {
    const t = now();
    if (t - last < intervalMs) {
      skipped++;
      return;
    }
    last = t;
    log(skipped, ...args);
    skipped = 0;
  };
}
