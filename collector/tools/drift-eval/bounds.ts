/**
 * The evaluation as run by the tests: shorter than the `pnpm drift:eval` report (4 days, a 2-day
 * baseline, 150 sessions/hour/agent) so each test file finishes in a couple of minutes; the
 * bounds are the same. Null and drift scenarios run in two files, i.e. two processes in parallel.
 */
import { tempDataDir } from '../../src/test-support/temp-storage.js';
import { evaluate, type EvalResult } from './evaluate.js';

export const TEST_DAYS = 4;

export async function evaluateForTest(only: string[]): Promise<EvalResult> {
  const tmp = tempDataDir();
  try {
    return await evaluate({ dataDir: tmp.dir, days: TEST_DAYS, baseRate: 150, seed: 7, only, drift: { baselineMs: 2 * 24 * 3_600_000 } });
  } finally {
    tmp.remove();
  }
}
