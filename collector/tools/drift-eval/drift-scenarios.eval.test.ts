/**
 * Injected drifts through the real write path and the hourly check: each is detected within 2
 * hourly checks, with no drift verdict before it, and explained by the signal it changed.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DAYS, evaluateForTest } from './bounds.js';
import { MAX_DELAY_CHECKS, MAX_FALSE_ALARMS_PER_30_DAYS } from './report.js';
import { scenarios } from './scenarios.js';

describe('drift evaluation: injected drifts', () => {
  it('are each detected within 2 hourly checks and explained by the signal they changed', async () => {
    const list = scenarios(TEST_DAYS).filter((s) => s.kind === 'drift');
    const { results } = await evaluateForTest(list.map((s) => s.name));
    for (const s of list) {
      const r = results.find((x) => x.scenario === s.name)!;
      expect.soft(r.detected, `${s.name}: detected`).toBe(true);
      expect.soft(r.delayChecks ?? Infinity, `${s.name}: delay in checks`).toBeLessThanOrEqual(MAX_DELAY_CHECKS);
      expect.soft(r.falseAlarms, `${s.name}: drift verdicts before the change`).toBeLessThanOrEqual(MAX_FALSE_ALARMS_PER_30_DAYS);
      expect
        .soft(
          r.driftedSignals.some((x) => s.expectSignals!.includes(x)),
          `${s.name}: explained by ${s.expectSignals!.join('/')}, got ${r.driftedSignals.join(', ')}`,
        )
        .toBe(true);
    }
  }, 900_000);
});
