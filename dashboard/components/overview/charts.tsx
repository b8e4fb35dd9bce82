import Link from 'next/link';
import type { MetricPoint } from '@sightline/contract';
import { Card } from '@/components/ui/card';
import { WidgetError } from '@/components/ui/widget-error';
import { Time } from '@/components/ui/time';
import { ChartLegend, TimeSeriesChart, type ChartPoint, type SeriesSpec } from '@/components/charts/time-series-chart';
import { fillBuckets, formatBucketWidth } from '@/lib/buckets';
import { failedTracesHref, slowTracesHref } from '@/lib/drill';
import { formatDuration } from '@/lib/format';
import { getMetrics } from '@/lib/queries';
import { tokenSeries } from '@/lib/token-totals';
import { scopeQuery, type Scope } from '@/lib/search-params';

const LATENCY: SeriesSpec[] = [
  { key: 'p50', label: 'p50', color: 'var(--chart-1)', kind: 'line' },
  { key: 'p95', label: 'p95', color: 'var(--chart-2)', kind: 'line' },
  { key: 'p99', label: 'p99', color: 'var(--chart-3)', kind: 'line' },
];
const ERRORS: SeriesSpec[] = [{ key: 'errorRate', label: 'Error rate', color: 'var(--error)', kind: 'area' }];
const THROUGHPUT: SeriesSpec[] = [
  { key: 'ok', label: 'Succeeded', color: 'var(--bar)', kind: 'bar', stack: 't' },
  { key: 'errorCount', label: 'Failed', color: 'var(--error)', kind: 'bar', stack: 't' },
];
const TOKENS: SeriesSpec[] = [
  { key: 'inputTokens', label: 'Input', color: 'var(--chart-1)', kind: 'bar', stack: 'k' },
  { key: 'outputTokens', label: 'Output', color: 'var(--chart-2)', kind: 'bar', stack: 'k' },
];

const emptyPoint = (time: number): MetricPoint => ({
  time,
  count: 0,
  errorCount: 0,
  errorRate: 0,
  p50: null,
  p90: null,
  p95: null,
  p99: null,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  inputCostUsd: 0,
  outputCostUsd: 0,
  unpricedCalls: 0,
});

/** Latency percentiles, error rate, throughput and tokens over time; buckets link to their traces. */
export async function OverviewCharts({ scope, bucket }: { scope: Scope; bucket: number }) {
  const q = scopeQuery(scope);
  // Tokens come from the model breakdown's query, which the tiles and the Models table share.
  const [runs, spans] = await Promise.all([getMetrics(q, 'none', { rootOnly: true, bucket }), getMetrics(q, 'model', { bucket })]);
  if (!runs.ok)
    return (
      <Card title="Activity">
        <WidgetError error={runs.error} />
      </Card>
    );
  if ((runs.data.totals[0]?.traces ?? 0) === 0) return null; // the tiles show the empty state

  const width = runs.data.bucketSeconds;
  const rangeMs = scope.range.to - scope.range.from;
  const points = fillBuckets(runs.data.series[0]?.points ?? [], scope.range.from, scope.range.to, width, emptyPoint);
  const latency: ChartPoint[] = points.map((p) => ({
    time: p.time,
    p50: p.p50,
    p95: p.p95,
    p99: p.p99,
    href: p.count > 0 ? slowTracesHref(scope, p.time, width, p.p90) : undefined,
  }));
  const errors: ChartPoint[] = points.map((p) => ({
    time: p.time,
    errorRate: p.count > 0 ? p.errorRate : null,
    href: p.errorCount > 0 ? failedTracesHref(scope, p.time, width) : undefined,
  }));
  const throughput: ChartPoint[] = points.map((p) => ({ time: p.time, ok: p.count - p.errorCount, errorCount: p.errorCount }));
  const emptyTokens = (time: number) => ({ time, inputTokens: 0, outputTokens: 0 });
  const tokenPoints = spans.ok
    ? fillBuckets(tokenSeries(spans.data), scope.range.from, scope.range.to, spans.data.bucketSeconds, emptyTokens)
    : [];
  const tokens: ChartPoint[] = tokenPoints.map((p) => ({ time: p.time, inputTokens: p.inputTokens, outputTokens: p.outputTokens }));
  const spikes = points
    .filter((p) => p.count > 0 && p.p95 !== null)
    .sort((a, b) => (b.p95 ?? 0) - (a.p95 ?? 0))
    .slice(0, 3);
  const per = formatBucketWidth(width);

  return (
    <div className="grid cols-2">
      <Card title="Latency of agent runs" hint={`per ${per} · click a point for its slowest traces`} flush>
        <div style={{ padding: '0 16px 4px' }}>
          <ChartLegend series={LATENCY} />
        </div>
        <TimeSeriesChart
          data={latency}
          series={LATENCY}
          format="duration"
          bucketSeconds={width}
          rangeMs={rangeMs}
          clickLabel="open the slowest traces"
        />
        {spikes.length > 0 && (
          <div className="spikes" data-testid="latency-spikes">
            Slowest buckets:
            {spikes.map((p) => (
              <Link key={p.time} className="chip" href={slowTracesHref(scope, p.time, width, p.p90)}>
                <Time ms={p.time} withDate={rangeMs > 86_400_000} seconds={false} /> · p95 {formatDuration(p.p95)}
              </Link>
            ))}
          </div>
        )}
      </Card>
      <Card title="Error rate" hint={`per ${per} · click a point for its failures`} flush>
        <TimeSeriesChart
          data={errors}
          series={ERRORS}
          format="percent"
          bucketSeconds={width}
          rangeMs={rangeMs}
          clickLabel="open the failed traces"
        />
      </Card>
      <Card title="Throughput" hint={`traces per ${per}`} flush>
        <div style={{ padding: '0 16px 4px' }}>
          <ChartLegend series={THROUGHPUT} />
        </div>
        <TimeSeriesChart data={throughput} series={THROUGHPUT} format="count" bucketSeconds={width} rangeMs={rangeMs} />
      </Card>
      <Card title="Tokens" hint={`per ${per}`} flush>
        {spans.ok ? (
          <>
            <div style={{ padding: '0 16px 4px' }}>
              <ChartLegend series={TOKENS} />
            </div>
            <TimeSeriesChart data={tokens} series={TOKENS} format="count" bucketSeconds={spans.data.bucketSeconds} rangeMs={rangeMs} />
          </>
        ) : (
          <WidgetError error={spans.error} />
        )}
      </Card>
    </div>
  );
}
