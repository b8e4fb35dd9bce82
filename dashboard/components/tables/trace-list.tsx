import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { WidgetError } from '@/components/ui/widget-error';
import { api, settle, traceListSupports } from '@/lib/api';
import { formatDuration } from '@/lib/format';
import { href, pickScope, scopeQuery, type Scope } from '@/lib/search-params';
import { Pager } from './pager';
import { TraceTable } from './trace-table';

export interface TraceListOptions {
  status?: 'ok' | 'error';
  minDurationMs?: number;
  q?: string;
  session?: string;
  tool?: string;
  model?: string;
  cursor?: string;
  sortByDuration: boolean;
}

const PAGE = 50;

export async function TraceList({ scope, options, params }: { scope: Scope; options: TraceListOptions; params: Record<string, string> }) {
  const res = await settle(
    api.traces({
      ...scopeQuery(scope),
      status: options.status,
      minDurationMs: options.minDurationMs,
      q: options.q,
      session: options.session,
      // Sent only when the contract has them: an ignored filter would show unfiltered traces.
      ...(options.tool && traceListSupports('tool') ? { tool: options.tool } : {}),
      ...(options.model && traceListSupports('model') ? { model: options.model } : {}),
      sort: options.sortByDuration ? 'duration' : 'start',
      cursor: options.cursor,
      limit: PAGE,
    }),
  );
  if (!res.ok)
    return (
      <Card>
        <WidgetError error={res.error} />
      </Card>
    );
  const traces = res.data.traces;
  const sortLink = href('/traces', { ...params, sort: options.sortByDuration ? undefined : 'duration', cursor: undefined });
  return (
    <Card
      title={options.sortByDuration ? 'Slowest first' : 'Newest first'}
      hint={
        <>
          {options.minDurationMs !== undefined ? `≥ ${formatDuration(options.minDurationMs)} · ` : ''}
          <Link href={sortLink}>{options.sortByDuration ? 'Sort by time' : 'Sort by duration'}</Link>
        </>
      }
      flush
    >
      {traces.length === 0 ? (
        <EmptyState title="No traces found" />
      ) : (
        <>
          <TraceTable traces={traces} scopeParams={pickScope(params)} />
          <Pager path="/traces" params={params} nextCursor={res.data.nextCursor} shown={traces.length} what="traces" />
        </>
      )}
    </Card>
  );
}
