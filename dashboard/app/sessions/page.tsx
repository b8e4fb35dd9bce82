import { Suspense } from 'react';
import type { Metadata } from 'next';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { WidgetError } from '@/components/ui/widget-error';
import { ScopeFilters } from '@/components/filters/scope-filters';
import { ListFilters } from '@/components/filters/list-filters';
import { RangeLabel } from '@/components/filters/range-label';
import { Pager } from '@/components/tables/pager';
import { SessionTable } from '@/components/tables/session-table';
import { ComparePicker } from '@/components/compare/compare-picker';
import { ExportLinks } from '@/components/tables/export-links';
import Link from 'next/link';
import { ScoreFilterBar } from '@/components/filters/score-filter-bar';
import { ScoreFilterChip } from '@/components/filters/score-filter-chip';
import { api, settle } from '@/lib/api';
import { describeScoreFilter, readScoreFilter } from '@/lib/scores';
import { first, flatten, href, pickScope, readScope, scopeQuery, suspenseKey, type RawSearchParams, type Scope } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Sessions' };

export default async function SessionsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const raw = await searchParams;
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: the request's time is the point.
  const scope = readScope(raw, Date.now());
  const params = flatten(raw);
  const scoreFilter = readScoreFilter(params);
  const scoreChip = describeScoreFilter(scoreFilter);
  const status = first(params, 'status');
  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <PageHeader title="Sessions" subtitle={<RangeLabel range={scope.range} />}>
        <ScopeFilters scope={scope} />
      </PageHeader>
      <div className="toolbar">
        <ListFilters searchLabel='Search: words, "phrase", input:, output:, tool:, attr.key=value, session id' />
        <Suspense fallback={null}>
          <ScoreFilterBar scope={scope} />
        </Suspense>
        <ScoreFilterChip path="/sessions" params={params} label={scoreChip} />
        <ExportLinks
          kind="sessions"
          scope={scope}
          filters={{ ...scoreFilter, q: first(params, 'q'), status: status === 'ok' || status === 'error' ? status : undefined }}
        />
      </div>
      <Suspense key={suspenseKey(scope, { ...params, live: undefined })} fallback={<TableSkeleton rows={12} />}>
        <SessionList scope={scope} params={params} />
      </Suspense>
    </>
  );
}

async function SessionList({ scope, params }: { scope: Scope; params: Record<string, string> }) {
  const status = first(params, 'status');
  const byCost = first(params, 'sort') === 'cost';
  const res = await settle(
    api.sessions({
      ...scopeQuery(scope),
      q: first(params, 'q'),
      status: status === 'ok' || status === 'error' ? status : undefined,
      cursor: first(params, 'cursor'),
      ...readScoreFilter(params),
      sort: byCost ? 'cost' : 'recent',
      limit: 50,
    }),
  );
  if (!res.ok)
    return (
      <Card>
        <WidgetError error={res.error} />
      </Card>
    );
  return (
    <Card
      title={byCost ? 'Most expensive first' : 'Most recent first'}
      hint={
        <Link href={href('/sessions', { ...params, sort: byCost ? undefined : 'cost', cursor: undefined })}>
          {byCost ? 'Sort by recent activity' : 'Sort by cost'}
        </Link>
      }
      flush
    >
      {res.data.sessions.length === 0 ? (
        <EmptyState title="No sessions found" what="sessions" />
      ) : (
        <>
          <ComparePicker kind="session">
            <SessionTable sessions={res.data.sessions} scopeParams={pickScope(params)} selectable q={first(params, 'q')} />
          </ComparePicker>
          <Pager path="/sessions" params={params} nextCursor={res.data.nextCursor} shown={res.data.sessions.length} what="sessions" />
        </>
      )}
    </Card>
  );
}
