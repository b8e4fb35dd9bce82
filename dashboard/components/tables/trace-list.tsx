import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { WidgetError } from '@/components/ui/widget-error';
import { api, settle, traceListSupports } from '@/lib/api';
import { formatDuration } from '@/lib/format';
import { href, pickScope, scopeQuery, type Scope } from '@/lib/search-params';
import type { ScoreFilter } from '@/lib/scores';
import { ComparePicker } from '@/components/compare/compare-picker';
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
  sort: 'start' | 'duration' | 'cost';
  /** Traces with a score of this name within the bounds or with the label. */
  score?: ScoreFilter;
}

const SORTS = [
  { sort: 'start', title: 'Newest first', link: 'Newest' },
  { sort: 'duration', title: 'Slowest first', link: 'Slowest' },
  { sort: 'cost', title: 'Most expensive first', link: 'Most expensive' },
] as const;

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
      ...options.score,
      sort: options.sort,
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
  const current = SORTS.find((x) => x.sort === options.sort) ?? SORTS[0];
  return (
    <Card
      title={current.title}
      hint={
        <span data-testid="trace-sorts">
          {options.minDurationMs !== undefined ? `≥ ${formatDuration(options.minDurationMs)} · ` : ''}
          Sort:{' '}
          {SORTS.filter((x) => x.sort !== options.sort).map((x, i) => (
            <span key={x.sort}>
              {i > 0 ? ' · ' : ''}
              <Link href={href('/traces', { ...params, sort: x.sort === 'start' ? undefined : x.sort, cursor: undefined })}>{x.link}</Link>
            </span>
          ))}
        </span>
      }
      flush
    >
      {traces.length === 0 ? (
        <EmptyState title="No traces found" />
      ) : (
        <>
          <ComparePicker kind="trace">
            <TraceTable traces={traces} scopeParams={pickScope(params)} selectable q={options.q} />
          </ComparePicker>
          <Pager path="/traces" params={params} nextCursor={res.data.nextCursor} shown={traces.length} what="traces" />
        </>
      )}
    </Card>
  );
}
