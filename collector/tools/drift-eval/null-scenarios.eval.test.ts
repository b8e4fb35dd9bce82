/**
 * Null scenarios through the real write path and the hourly check: traffic tripling, daily
 * seasonality, day-to-day noise and quiet nights raise at most 1 false drift per agent per 30 days.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DAYS, evaluateForTest } from './bounds.js';
import { MAX_FALSE_ALARMS_PER_30_DAYS } from './report.js';
import { scenarios } from './scenarios.js';

describe('drift evaluation: null scenarios', () => {
  it('stay quiet: at most 1 false drift per agent per 30 days, and "not enough data" on quiet nights', async () => {
    const names = scenarios(TEST_DAYS)
      .filter((s) => s.kind === 'null')
      .map((s) => s.name);
    const { results } = await evaluateForTest(names);
    expect(results.map((r) => r.scenario).sort()).toEqual([...names].sort());
    for (const r of results) {
      expect(r.checks, `${r.scenario}: checks ran`).toBeGreaterThan(40);
      // Fewer than 30 days of checks: the bound allows at most 1 false drift in total.
      expect.soft(r.falseAlarms, `${r.scenario}: false drifts`).toBeLessThanOrEqual(MAX_FALSE_ALARMS_PER_30_DAYS);
    }
    expect(results.find((r) => r.scenario === 'null-quiet-night')!.insufficient).toBeGreaterThan(0);
  }, 900_000);
});
