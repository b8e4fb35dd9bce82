'use client';

import { useSyncExternalStore } from 'react';
import { useRouter } from 'next/navigation';
import { Area, Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MouseHandlerDataParam } from 'recharts';
import { formatBucketLabel } from '@/lib/buckets';
import { formatCount, formatDuration, formatPercent, formatUsd, usdAxisFormatter } from '@/lib/format';
import { formatScoreNumber } from '@/lib/scores';
import { formatTime, TIME_ZONE_LABEL } from '@/lib/time';
import { Skeleton } from '@/components/ui/skeleton';

/** `number`: a plain value with up to 3 decimals (score means). */
export type ValueFormat = 'duration' | 'percent' | 'count' | 'usd' | 'number';

export interface SeriesSpec {
  key: string;
  label: string;
  color: string;
  kind: 'line' | 'bar' | 'area';
  stack?: string;
}

/** One bucket: its start (epoch ms), the plotted values, and an optional drill-down link. */
export interface ChartPoint {
  time: number;
  href?: string;
  [key: string]: number | string | null | undefined;
}

export interface TimeSeriesChartProps {
  data: ChartPoint[];
  series: SeriesSpec[];
  format: ValueFormat;
  bucketSeconds: number;
  rangeMs: number;
  /** Tooltip call to action when points carry links. */
  clickLabel?: string;
  height?: number;
}

const FORMATTERS: Record<ValueFormat, (v: number | null | undefined) => string> = {
  duration: formatDuration,
  percent: formatPercent,
  count: formatCount,
  usd: formatUsd,
  number: formatScoreNumber,
};

/** Axis labels: shorter than the tooltip's, so they fit at 1280 px. */
const AXIS: Record<ValueFormat, (v: number) => string> = {
  duration: (v) => formatDuration(v).replace(' ', ''),
  percent: (v) => `${Math.round(v * 100)}%`,
  count: (v) => formatCount(v),
  // Replaced per chart by usdAxisFormatter(max): the unit depends on the scale.
  usd: formatUsd,
  number: (v) => formatScoreNumber(v),
};

/** The largest point of the chart, its series stacked (the spend and token bars are). */
function stackedMax(data: ChartPoint[], series: SeriesSpec[]): number {
  return data.reduce(
    (max, p) =>
      Math.max(
        max,
        series.reduce((sum, s) => sum + (Number(p[s.key]) || 0), 0),
      ),
    0,
  );
}

/** Nothing to subscribe to: the value only differs between the server render and the browser. */
const noSubscription = () => () => undefined;

export function TimeSeriesChart({ data, series, format, bucketSeconds, rangeMs, clickLabel, height = 200 }: TimeSeriesChartProps) {
  const router = useRouter();
  // Charts measure their container, which only exists in the browser: draw after hydration.
  const mounted = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  if (!mounted)
    return (
      <div className="chart" style={{ height }}>
        <Skeleton height={height - 8} />
      </div>
    );

  const fmt = FORMATTERS[format];
  const clickable = data.some((p) => p.href);
  const onClick = (state: MouseHandlerDataParam) => {
    const index = typeof state.activeIndex === 'number' ? state.activeIndex : Number(state.activeIndex);
    const target = Number.isInteger(index) ? data[index]?.href : undefined;
    if (target) router.push(target);
  };

  return (
    <div className={clickable ? 'chart clickable-chart' : 'chart'} style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 30, bottom: 0, left: 0 }} onClick={clickable ? onClick : undefined}>
          <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
          <XAxis
            dataKey="time"
            type="category"
            tickFormatter={(t: number) => formatBucketLabel(t, bucketSeconds, rangeMs)}
            label={{ value: TIME_ZONE_LABEL, position: 'right', fontSize: 10, fill: 'var(--text-faint)' }}
            tick={{ fontSize: 11, fill: 'var(--text-faint)' }}
            tickLine={false}
            axisLine={{ stroke: 'var(--border)' }}
            minTickGap={24}
          />
          <YAxis
            tickFormatter={format === 'usd' ? usdAxisFormatter(stackedMax(data, series)) : AXIS[format]}
            tick={{ fontSize: 11, fill: 'var(--text-faint)' }}
            tickLine={false}
            axisLine={false}
            width={52}
            allowDecimals={format !== 'count'}
          />
          <Tooltip
            cursor={{ fill: 'var(--panel-muted)', stroke: 'var(--border-strong)' }}
            content={({ active, payload, label }) => {
              if (!active || !payload?.length) return null;
              const point = payload[0]?.payload as ChartPoint | undefined;
              return (
                <div className="chart-tooltip">
                  <div className="t">
                    {formatTime(Number(label), { withDate: rangeMs > 86_400_000, seconds: false })} {TIME_ZONE_LABEL}
                  </div>
                  {series.map((s) => (
                    <div key={s.key}>
                      <span style={{ color: s.color }}>●</span> {s.label}: <b>{fmt(point?.[s.key] as number | null)}</b>
                    </div>
                  ))}
                  {point?.href && clickLabel && <div className="cta">Click: {clickLabel}</div>}
                </div>
              );
            }}
          />
          {series.map((s) => {
            if (s.kind === 'bar')
              return (
                <Bar
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  fill={s.color}
                  stackId={s.stack}
                  isAnimationActive={false}
                  maxBarSize={18}
                />
              );
            if (s.kind === 'area')
              return (
                <Area
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.color}
                  fill={s.color}
                  fillOpacity={0.15}
                  strokeWidth={2}
                  isAnimationActive={false}
                  connectNulls={false}
                  type="monotone"
                  dot={false}
                  stackId={s.stack}
                />
              );
            // Quantile lines: a minute without runs has no latency (null), not zero. Connect across
            // those gaps so sparse traffic reads as one line, and dot each bucket that has a value
            // so a lone run between empty minutes is still visible.
            return (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                strokeWidth={2}
                dot={{ r: 2, strokeWidth: 0, fill: s.color }}
                isAnimationActive={false}
                connectNulls
                type="monotone"
                activeDot={{ r: 4 }}
              />
            );
          })}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ChartLegend({ series }: { series: SeriesSpec[] }) {
  return (
    <div className="chart-legend">
      {series.map((s) => (
        <span key={s.key}>
          <i style={{ background: s.color }} />
          {s.label}
        </span>
      ))}
    </div>
  );
}
