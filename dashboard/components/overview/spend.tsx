import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { WidgetError } from '@/components/ui/widget-error';
import { ChartLegend, TimeSeriesChart, type ChartPoint, type SeriesSpec } from '@/components/charts/time-series-chart';
import { fillBuckets, formatBucketWidth } from '@/lib/buckets';
import { api, settle } from '@/lib/api';
import { formatSpend, shortId } from '@/lib/format';
import { getMetrics } from '@/lib/queries';
import { spendSeries } from '@/lib/token-totals';
import { href, scopeQuery, type Scope } from '@/lib/search-params';

const SPEND: SeriesSpec[] = [{ key: 'costUsd', label: 'Spend (priced calls)', color: 'var(--chart-2)', kind: 'bar' }];
const TOP_SESSIONS = 5;

/** Spend over time (from the model breakdown the tiles share) and the most expensive sessions of the range. */
export async function OverviewSpend({ scope, bucket }: { scope: Scope; bucket: number }) {
  const q = scopeQuery(scope);
  const [byModel, top] = await Promise.all([
    getMetrics(q, 'model', { bucket }),
    settle(api.sessions({ ...q, sort: 'cost', limit: TOP_SESSIONS })),
  ]);
  const rangeMs = scope.range.to - scope.range.from;
  const points: ChartPoint[] = byModel.ok
    ? fillBuckets(spendSeries(byModel.data), scope.range.from, scope.range.to, byModel.data.bucketSeconds, (time) => ({
        time,
        costUsd: 0,
        unpricedCalls: 0,
      })).map((p) => ({ time: p.time, costUsd: p.costUsd }))
    : [];
  return (
    <div className="grid cols-2">
      <Card title="Spend" hint={byModel.ok ? `per ${formatBucketWidth(byModel.data.bucketSeconds)} · priced model calls` : undefined} flush>
        {byModel.ok ? (
          <div data-testid="spend-chart">
            <div style={{ padding: '0 16px 4px' }}>
              <ChartLegend series={SPEND} />
            </div>
            <TimeSeriesChart data={points} series={SPEND} format="usd" bucketSeconds={byModel.data.bucketSeconds} rangeMs={rangeMs} />
          </div>
        ) : (
          <WidgetError error={byModel.error} />
        )}
      </Card>
      <Card title="Most expensive sessions" hint="active in the range" flush>
        {!top.ok ? (
          <WidgetError error={top.error} />
        ) : top.data.sessions.length === 0 ? (
          <div className="empty" style={{ padding: 24 }}>
            No sessions in this range.
          </div>
        ) : (
          <div className="table-wrap">
            <table className="data fit" data-testid="expensive-sessions">
              <colgroup>
                <col />
                <col className="num" />
                <col className="num" />
              </colgroup>
              <thead>
                <tr>
                  <th>Session</th>
                  <th className="num">LLM calls</th>
                  <th className="num">Cost</th>
                </tr>
              </thead>
              <tbody>
                {top.data.sessions.map((s) => {
                  const spend = formatSpend(s.costUsd, s.unpricedCalls);
                  return (
                    <tr key={s.sessionId}>
                      <td className="truncate mono" title={s.sessionId}>
                        <Link href={href(`/sessions/${encodeURIComponent(s.sessionId)}`, {})}>{shortId(s.sessionId, 40)}</Link>
                      </td>
                      <td className="num">{s.llmCalls}</td>
                      <td className="num" title={spend.title}>
                        {spend.text}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
