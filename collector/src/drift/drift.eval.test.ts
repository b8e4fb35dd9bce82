/**
 * The validation bounds, on the seeded simulator writing through the real write path:
 * null scenarios raise at most 1 false drift per agent per 30 days, every injected drift is
 * detected within 2 hourly checks and explained by the signal it changed. Shorter than the
 * `pnpm drift:eval` report (5 days, 3-day baseline) to keep the test's runtime reasonable; same bounds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../test-support/temp-storage.js';
import { evaluate, type EvalResult } from './eval/evaluate.js';
import { MAX_DELAY_CHECKS, MAX_FALSE_ALARMS_PER_30_DAYS } from './eval/report.js';
import { scenarios } from './eval/scenarios.js';

const tmp = tempDataDir();
afterAll(() => tmp.remove());
const DAYS = 5;
let result: EvalResult | undefined;
const run = async () => (result ??= await evaluate({ dataDir: tmp.dir, days: DAYS, baseRate: 200, seed: 7, drift: { baselineMs: 3 * 24 * 3_600_000 } }));

describe('drift evaluation (simulated sessions, hourly checks)', () => {
  it('null scenarios stay quiet: at most 1 false drift per agent per 30 days', async () => {
    const { results } = await run();
    for (const r of results) {
      // Over fewer than 30 days of checks, the bound allows at most 1 false drift in total.
      expect.soft(r.falseAlarms, `${r.scenario}: false drifts`).toBeLessThanOrEqual(MAX_FALSE_ALARMS_PER_30_DAYS);
    }
    const quiet = results.find((r) => r.scenario === 'null-quiet-night')!;
    expect(quiet.insufficient, 'quiet nights answer "not enough data"').toBeGreaterThan(0);
  }, 900_000);

  it('every injected drift is detected within 2 hourly checks, explained by the signal it changed', async () => {
    const { results } = await run();
    for (const s of scenarios(DAYS).filter((x) => x.kind === 'drift')) {
      const r = results.find((x) => x.scenario === s.name)!;
      expect.soft(r.detected, `${s.name}: detected`).toBe(true);
      expect.soft(r.delayChecks ?? Infinity, `${s.name}: delay`).toBeLessThanOrEqual(MAX_DELAY_CHECKS);
      expect.soft(r.driftedSignals.some((x) => s.expectSignals!.includes(x)), `${s.name}: explained by ${s.expectSignals!.join('/')}, got ${r.driftedSignals.join(', ')}`).toBe(true);
    }
  }, 900_000);
});
