/**
 * Versions for the ReplacingMergeTree alert tables: microseconds of wall-clock time, strictly
 * increasing within the process, so a later write always wins, across restarts too (wall time moves on).
 * Deliberately not the evaluator's injectable clock: tests move that one backwards and forwards.
 */
let last = 0;

export function nextRowVersion(): number {
  last = Math.max(Date.now() * 1000, last + 1);
  return last;
}
