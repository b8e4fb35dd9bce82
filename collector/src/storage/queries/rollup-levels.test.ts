/**
 * Hour rollups (migration 18) and the planner that reads them (rollup-levels.ts), on the real
 * embedded engine: the backfill of minutes written before the migration, the view chained on the
 * minute table's own view, and the metrics of ranges read through hours + edge minutes against the
 * same ranges read from minutes only. Times are fixed instants, never the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsResponse, MetricValues } from '@sightline/contract';
import { count, tempDataDir } from '../../test-support/temp-storage.js';
import { insertGeneratedSpans } from '../../test-support/generated-spans.js';
import { openStorage, type Storage } from '../client.js';
import { migrate } from '../migrate.js';
import { backfillHourRollups } from '../migrations/018-hour-rollups.js';
import { MIGRATIONS } from '../migrations/index.js';
import { filterValues, queryMetrics } from './metrics.js';
import { planLevels, setRollupLevels } from './rollup-levels.js';
import { rollupSeriesAndTotals, rollupTotals } from './rollups.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A fixed UTC midnight: the data and every range are placed from it. */
const T0 = Date.UTC(2026, 10, 2);
const tmp = tempDataDir('sightline-hour-rollups-');
let storage: Storage;

const SUMS = 'sum(span_count), sum(error_count), sum(input_tokens), sum(output_tokens), sum(unpriced_calls), round(sum(total_cost), 9)';
const sums = async (table: string) => {
  const rs = await storage.client.query({ query: `SELECT ${SUMS} FROM ${table}`, format: 'JSONCompactEachRow' });
  return (await rs.json<unknown[]>())[0];
};

beforeAll(async () => {
  storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir: tmp.dir });
  await migrate(
    storage.client,
    MIGRATIONS.filter((m) => m.version < 18),
  );
  // Minutes written before migration 18: the backfill must fold them into hours.
  await insertGeneratedSpans(storage.client, { offset: 0, count: 120_000, startMs: T0, spanMs: 3 * DAY });
  await migrate(storage.client);
  // After it: spans → minute view → hour view (chained).
  await insertGeneratedSpans(storage.client, { offset: 120_000, count: 120_000, startMs: T0, spanMs: 3 * DAY });
}, 120_000);
afterAll(async () => {
  setRollupLevels('auto');
  await storage?.close();
  tmp.remove();
});

describe('migration 18: hour rollups', () => {
  it('holds the sums of the minutes, backfilled and then written through the chained view', async () => {
    expect(await count(storage, 'SELECT sum(span_count) FROM span_rollups_1h')).toBe(240_000);
    expect(await sums('span_rollups_1h')).toEqual(await sums('span_rollups_1m'));
  });

  it('does not count the backfill twice when the migration runs again', async () => {
    const before = await sums('span_rollups_1h');
    await backfillHourRollups(storage.client);
    expect(await sums('span_rollups_1h')).toEqual(before);
  });

  it('carries a cost correction inserted into the minute table into its hour', async () => {
    const minute = Math.floor((T0 + 5 * HOUR + 17 * 60_000) / 1000);
    await storage.client.insert({
      table: 'span_rollups_1m',
      format: 'JSONEachRow',
      values: [{ project_id: 'default', minute, service_name: 'support-bot', model: 'gpt-4o', total_cost: 0.25 }],
    });
    expect(await sums('span_rollups_1h')).toEqual(await sums('span_rollups_1m'));
  });
});

describe('the range planner', () => {
  it('reads whole hours only past MIN_WHOLE_HOURS and when each hour falls in one bucket', () => {
    const p = planLevels(T0 + 10 * 60_000 + 1, T0 + 20 * HOUR + 5);
    expect(p).toEqual({ minuteFrom: T0 + 10 * 60_000, minuteTo: T0 + 20 * HOUR + 60_000, hourFrom: T0 + HOUR, hourTo: T0 + 20 * HOUR });
    expect(planLevels(T0, T0 + 5 * HOUR).hourTo).toBe(planLevels(T0, T0 + 5 * HOUR).hourFrom);
    expect(planLevels(T0, T0 + DAY, 1800).hourTo).toBe(T0 + DAY);
    expect(planLevels(T0, T0 + DAY, 1800).hourFrom).toBe(T0 + DAY);
    expect(planLevels(T0, T0 + DAY, 10_800).hourFrom).toBe(T0);
  });

  it('reads the hour table for the whole hours of a long range, and the minute table alone otherwise', async () => {
    // A row only the hour table has (project probe), at hour 2 of the data.
    await storage.client.insert({
      table: 'span_rollups_1h',
      format: 'JSONEachRow',
      values: [{ project_id: 'probe', hour: (T0 + 2 * HOUR) / 1000, service_name: 's', span_count: 7 }],
    });
    const total = async (from: number, to: number) =>
      (await queryMetrics(storage.client, 'probe', { from, to, groupBy: 'none', bucket: 3600 })).totals[0]?.count ?? 0;
    expect(await total(T0, T0 + 12 * HOUR)).toBe(7);
    expect(await total(T0 + HOUR, T0 + 4 * HOUR)).toBe(0);
    setRollupLevels('minutes');
    expect(await total(T0, T0 + 12 * HOUR)).toBe(0);
    setRollupLevels('auto');
  });

  it('gives the filter menus the values of minutes only', async () => {
    const range = { from: T0 + 10 * HOUR + 17 * 60_000, to: T0 + 2 * DAY + 5 * 60_000 };
    setRollupLevels('minutes');
    const minutes = await filterValues(storage.client, 'default', range);
    setRollupLevels('auto');
    expect(minutes.tools.length).toBe(12);
    expect(await filterValues(storage.client, 'default', range)).toEqual(minutes);
  });

  const ranges: Array<{ name: string; from: number; to: number; bucket?: number }> = [
    { name: 'aligned, 2 days', from: T0 + DAY / 2, to: T0 + 2 * DAY + DAY / 2 },
    { name: 'unaligned edges, 30 h', from: T0 + 10 * HOUR + 17 * 60_000 + 23_456, to: T0 + 40 * HOUR + 13 * 60_000 + 1 },
    { name: 'under an hour', from: T0 + 30 * HOUR + 5 * 60_000, to: T0 + 30 * HOUR + 50 * 60_000 },
    { name: 'the whole data, 3 days, daily points', from: T0 - HOUR, to: T0 + 3 * DAY + HOUR, bucket: 86_400 },
    { name: '7 h with 1 h points', from: T0 + 3 * HOUR + 59 * 60_000, to: T0 + 11 * HOUR + 30_000, bucket: 3600 },
    { name: '24 h with 30 min points (totals only from hours)', from: T0 + DAY + 7 * 60_000, to: T0 + 2 * DAY + 7 * 60_000, bucket: 1800 },
  ];

  const exact = (v: MetricValues) => [v.count, v.errorCount, v.inputTokens, v.outputTokens, v.unpricedCalls];
  const near = (a: number | null, b: number | null, tolerance: number) => {
    if (a === null || b === null) return expect(a).toBe(b);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance * Math.max(a, b));
  };
  const same = (a: MetricValues, b: MetricValues) => {
    expect(exact(a)).toEqual(exact(b));
    // Float sums grouped otherwise differ in their last bits only.
    expect(a.costUsd).toBeCloseTo(b.costUsd, 9);
    expect(a.inputCostUsd).toBeCloseTo(b.inputCostUsd, 9);
    // The t-digest compresses hour states again: the same centroids, merged in another order.
    for (const p of ['p50', 'p90', 'p95', 'p99'] as const) near(a[p], b[p], 0.05);
  };

  for (const r of ranges) {
    for (const groupBy of ['none', 'model', 'tool', 'agent'] as const) {
      it(`${r.name}, by ${groupBy}: hours + edge minutes give the metrics of minutes only`, async () => {
        const f = { from: r.from, to: r.to, bucket: r.bucket, groupBy };
        setRollupLevels('minutes');
        const minutes: MetricsResponse = await queryMetrics(storage.client, 'default', f);
        setRollupLevels('auto');
        const planned: MetricsResponse = await queryMetrics(storage.client, 'default', f);
        expect(minutes.totals.length).toBeGreaterThan(0);
        expect(planned.totals.map((t) => [t.key, t.traces, t.sessions])).toEqual(minutes.totals.map((t) => [t.key, t.traces, t.sessions]));
        minutes.totals.forEach((t, i) => same(planned.totals[i]!, t));
        expect(planned.series.map((s) => [s.key, s.points.length])).toEqual(minutes.series.map((s) => [s.key, s.points.length]));
        minutes.series.forEach((s, i) => s.points.forEach((p, j) => same(planned.series[i]!.points[j]!, p)));
      });
    }
  }
});

describe('series and totals from one read', () => {
  it('gives the totals of a separate read of the range, and points that add up to them', async () => {
    const q = { groupBy: 'tool' as const, scope: {}, time: { kind: 'range' as const, from: T0 + 7 * 60_000, to: T0 + 2 * DAY + 5 } };
    for (const mode of ['minutes', 'auto'] as const) {
      setRollupLevels(mode);
      const rows = await rollupSeriesAndTotals(storage.client, 'default', q, 10_800);
      const separate = await rollupTotals(storage.client, 'default', q, true);
      const totals = rows.filter((r) => r.t === null);
      const pick = (r: (typeof separate)[number]) => [
        r.key,
        r.count,
        r.errors,
        r.input_tokens,
        r.output_tokens,
        r.unpriced_calls,
        r.sessions,
        r.traces,
      ];
      const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
      expect([...totals].sort(byKey).map(pick)).toEqual([...separate].sort(byKey).map(pick));
      for (const t of totals) {
        const points = rows.filter((r) => r.t !== null && r.key === t.key);
        expect(points.reduce((n, p) => n + Number(p.count), 0)).toBe(Number(t.count));
        expect(points.reduce((n, p) => n + Number(p.total_cost), 0)).toBeCloseTo(Number(t.total_cost), 9);
      }
    }
    setRollupLevels('auto');
  });
});
