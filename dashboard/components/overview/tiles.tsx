import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { WidgetError } from '@/components/ui/widget-error';
import { formatCount, formatDuration, formatPercent, formatSpend, formatUsd } from '@/lib/format';
import { getCostSummary, getMetrics, type ScopeKey } from '@/lib/queries';
import { tokenTotals } from '@/lib/token-totals';

/**
 * Headline numbers of the range. Latency and error rate are of whole agent runs (root spans);
 * tokens and spend are summed over all model calls; cost per successful session is over the
 * sessions active in the range that had no error.
 */
export async function OverviewTiles({ scope, bucket }: { scope: ScopeKey; bucket: number }) {
  // The model breakdown's query (shared with the table and the token chart) carries the tokens.
  const [runs, byModel, cost] = await Promise.all([
    getMetrics(scope, 'none', { rootOnly: true, bucket }),
    getMetrics(scope, 'model', { bucket }),
    getCostSummary(scope),
  ]);
  if (!runs.ok)
    return (
      <Card>
        <WidgetError error={runs.error} />
      </Card>
    );
  const t = runs.data.totals[0];
  if (!t || t.traces === 0)
    return (
      <Card>
        <EmptyState title="No traces in this time range" />
      </Card>
    );
  const tokens = byModel.ok ? tokenTotals(byModel.data) : undefined;
  const spend = tokens ? formatSpend(tokens.costUsd, tokens.unpricedCalls) : undefined;
  const tiles: Array<{ label: string; value: string; sub?: string; bad?: boolean; id: string; title?: string }> = [
    { id: 'traces', label: 'Traces', value: formatCount(t.traces), sub: `${formatCount(t.count)} agent runs` },
    { id: 'sessions', label: 'Sessions', value: formatCount(t.sessions) },
    {
      id: 'error-rate',
      label: 'Error rate',
      value: formatPercent(t.errorRate),
      sub: `${formatCount(t.errorCount)} failed`,
      bad: t.errorRate > 0,
    },
    { id: 'p50', label: 'p50 latency', value: formatDuration(t.p50) },
    { id: 'p95', label: 'p95 latency', value: formatDuration(t.p95) },
    { id: 'p99', label: 'p99 latency', value: formatDuration(t.p99) },
    {
      id: 'tokens',
      label: 'Tokens',
      value: tokens ? formatCount(tokens.inputTokens + tokens.outputTokens) : '—',
      sub: tokens ? `${formatCount(tokens.inputTokens)} in · ${formatCount(tokens.outputTokens)} out` : 'unavailable',
    },
    {
      id: 'cost',
      label: 'Spend',
      value: spend?.text ?? '—',
      title: spend?.title,
      // The count of unpriced calls, so nobody takes a partial sum for the bill.
      sub: !tokens ? 'unavailable' : tokens.unpricedCalls > 0 ? `${formatCount(tokens.unpricedCalls)} unpriced calls` : 'every call priced',
    },
    {
      id: 'cost-per-success',
      label: 'Cost / successful session',
      value: cost.ok ? formatUsd(cost.data.costPerSuccessfulSession) : '—',
      sub: cost.ok
        ? `${formatCount(cost.data.successfulSessions)} of ${formatCount(cost.data.sessions)} sessions succeeded`
        : 'unavailable',
    },
  ];
  return (
    <div className="tiles" data-testid="overview-tiles">
      {tiles.map((tile) => (
        <div key={tile.id} className={tile.bad ? 'card tile bad' : 'card tile'} data-testid={`tile-${tile.id}`} title={tile.title}>
          <div className="label">{tile.label}</div>
          <div className="value">{tile.value}</div>
          {tile.sub && <div className="sub">{tile.sub}</div>}
        </div>
      ))}
    </div>
  );
}
