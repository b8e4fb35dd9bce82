import { Suspense } from 'react';
import type { Metadata } from 'next';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { PageHeader } from '@/components/ui/page-header';
import { CardSkeleton, TableSkeleton, TilesSkeleton } from '@/components/ui/skeleton';
import { ScopeFilters } from '@/components/filters/scope-filters';
import { RangeLabel } from '@/components/filters/range-label';
import { OverviewTiles } from '@/components/overview/tiles';
import { OverviewCharts } from '@/components/overview/charts';
import { OverviewBreakdowns } from '@/components/overview/breakdowns';
import { OverviewSpend } from '@/components/overview/spend';
import { OverviewScores } from '@/components/overview/scores';
import { chooseBucketSeconds } from '@/lib/buckets';
import { readScope, scopeQuery, suspenseKey, type RawSearchParams } from '@/lib/search-params';

// The root layout's title template does not apply to a page in its own segment.
export const metadata: Metadata = { title: { absolute: 'Overview · Sightline' } };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: the request's time is the point.
  const scope = readScope(await searchParams, Date.now());
  const bucket = chooseBucketSeconds(scope.range.from, scope.range.to);
  const key = suspenseKey(scope);
  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <PageHeader title="Overview" subtitle={<RangeLabel range={scope.range} />}>
        <ScopeFilters scope={scope} />
      </PageHeader>
      <Suspense key={`tiles${key}`} fallback={<TilesSkeleton />}>
        <OverviewTiles scope={scopeQuery(scope)} bucket={bucket} />
      </Suspense>
      <Suspense
        key={`charts${key}`}
        fallback={
          <div className="grid cols-2">
            <CardSkeleton title="Latency of agent runs" />
            <CardSkeleton title="Error rate" />
            <CardSkeleton title="Throughput" />
            <CardSkeleton title="Tokens" />
          </div>
        }
      >
        <OverviewCharts scope={scope} bucket={bucket} />
      </Suspense>
      <Suspense
        key={`spend${key}`}
        fallback={
          <div className="grid cols-2">
            <CardSkeleton title="Spend" />
            <TableSkeleton title="Most expensive sessions" rows={5} />
          </div>
        }
      >
        <OverviewSpend scope={scope} bucket={bucket} />
      </Suspense>
      <Suspense key={`scores${key}`} fallback={<CardSkeleton title="Scores" />}>
        <OverviewScores scope={scope} bucket={bucket} />
      </Suspense>
      <Suspense
        key={`breakdowns${key}`}
        fallback={
          <div className="grid breakdowns">
            <TableSkeleton title="Agents" rows={5} />
            <TableSkeleton title="Tools" rows={5} />
            <TableSkeleton title="Models" rows={5} />
          </div>
        }
      >
        <OverviewBreakdowns scope={scope} bucket={bucket} />
      </Suspense>
    </>
  );
}
