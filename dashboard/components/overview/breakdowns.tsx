import type { GroupBy } from '@sightline/contract';
import { Card } from '@/components/ui/card';
import { WidgetError } from '@/components/ui/widget-error';
import { BreakdownTable } from '@/components/tables/breakdown-table';
import { breakdownHref } from '@/lib/drill';
import { getMetrics } from '@/lib/queries';
import { scopeQuery, type Scope } from '@/lib/search-params';

const DIMENSIONS: Array<{
  groupBy: Extract<GroupBy, 'agent' | 'tool' | 'model'>;
  title: string;
  keyLabel: string;
  none: string;
  /** How the Cost column is attributed (the collector's MetricsResponse.costAttribution). */
  costNote: string;
}> = [
  {
    groupBy: 'agent',
    title: 'Agents',
    keyLabel: 'Agent',
    none: 'No agent spans in this range.',
    costNote: 'cost: the traces the agent ran (split when several agents ran)',
  },
  {
    groupBy: 'tool',
    title: 'Tools',
    keyLabel: 'Tool',
    none: 'No tool calls in this range.',
    costNote: 'cost: the LLM calls in the steps that chose the tool (split among the tools of a step)',
  },
  { groupBy: 'model', title: 'Models', keyLabel: 'Model', none: 'No model calls in this range.', costNote: "cost: the model's own calls" },
];

/** Calls, p95, error rate and cost per agent, tool and model. */
export function OverviewBreakdowns({ scope, bucket }: { scope: Scope; bucket: number }) {
  return (
    <div className="grid breakdowns">
      {DIMENSIONS.map((d) => (
        <Breakdown key={d.groupBy} scope={scope} bucket={bucket} {...d} />
      ))}
    </div>
  );
}

async function Breakdown({
  scope,
  bucket,
  groupBy,
  title,
  keyLabel,
  none,
  costNote,
}: { scope: Scope; bucket: number } & (typeof DIMENSIONS)[number]) {
  // Same bucket as the charts, so the model query is shared with the tiles and the token chart.
  const res = await getMetrics(scopeQuery(scope), groupBy, { bucket });
  if (!res.ok)
    return (
      <Card title={title}>
        <WidgetError error={res.error} />
      </Card>
    );
  // Spans without the dimension (a tool breakdown's model calls, say) come back under ''.
  const rows = res.data.totals
    .filter((t) => t.key !== '')
    .map((t) => ({
      key: t.key,
      count: t.count,
      p95: t.p95,
      errorRate: t.errorRate,
      costUsd: t.costUsd,
      unpricedCalls: t.unpricedCalls,
      href: breakdownHref(scope, groupBy, t.key),
    }));
  return (
    <Card title={title} hint={<span title={costNote}>{`${rows.length} in range · ${costNote}`}</span>} flush>
      {rows.length === 0 ? (
        <div className="empty" style={{ padding: 24 }}>
          {none}
        </div>
      ) : (
        <BreakdownTable rows={rows} keyLabel={keyLabel} testId={`breakdown-${groupBy}`} />
      )}
    </Card>
  );
}
