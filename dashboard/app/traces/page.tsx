import { Suspense } from 'react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { AlertIcon } from '@/components/ui/icons';
import { ScopeFilters } from '@/components/filters/scope-filters';
import { ListFilters } from '@/components/filters/list-filters';
import { RangeLabel } from '@/components/filters/range-label';
import { ExportLinks } from '@/components/tables/export-links';
import { TraceList, type TraceListOptions } from '@/components/tables/trace-list';
import { ScoreFilterBar } from '@/components/filters/score-filter-bar';
import { ScoreFilterChip } from '@/components/filters/score-filter-chip';
import { traceListSupports } from '@/lib/api';
import { describeScoreFilter, readScoreFilter } from '@/lib/scores';
import { first, flatten, href, readScope, suspenseKey, type RawSearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Traces' };

export default async function TracesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const raw = await searchParams;
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: the request's time is the point.
  const scope = readScope(raw, Date.now());
  const params = flatten(raw);
  const status = first(raw, 'status');
  const minDuration = Number(first(raw, 'minDurationMs'));
  const options: TraceListOptions = {
    status: status === 'ok' || status === 'error' ? status : undefined,
    minDurationMs: Number.isFinite(minDuration) && minDuration > 0 ? minDuration : undefined,
    q: first(raw, 'q'),
    session: first(raw, 'session'),
    tool: first(raw, 'tool'),
    model: first(raw, 'model'),
    cursor: first(raw, 'cursor'),
    sort: sortOf(first(raw, 'sort')),
    score: readScoreFilter(params),
  };
  const scoreChip = describeScoreFilter(options.score ?? {});
  const unsupported = (['tool', 'model'] as const).filter((k) => options[k] && !traceListSupports(k));
  const chips = (['session', 'tool', 'model'] as const).filter((k) => options[k]);

  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <PageHeader title="Traces" subtitle={<RangeLabel range={scope.range} />}>
        <ScopeFilters scope={scope} />
      </PageHeader>
      <div className="toolbar">
        <ListFilters searchLabel='Search: words, "phrase", input:, output:, tool:, attr.key=value' withMinDuration />
        {chips.map((k) => (
          <span key={k} className="chip active">
            {k}: {options[k]}
            <Link href={href('/traces', { ...params, [k]: undefined, cursor: undefined })} aria-label={`Remove ${k} filter`}>
              ×
            </Link>
          </span>
        ))}
        <Suspense fallback={null}>
          <ScoreFilterBar scope={scope} />
        </Suspense>
        <ScoreFilterChip path="/traces" params={params} label={scoreChip} />
        <ExportLinks
          scope={scope}
          filters={{
            ...options,
            ...options.score,
            // A filter this collector cannot apply is left out of the file as it is of the list.
            tool: unsupported.includes('tool') ? undefined : options.tool,
            model: unsupported.includes('model') ? undefined : options.model,
          }}
        />
      </div>
      {unsupported.length > 0 && (
        <div className="banner warn" role="status">
          <AlertIcon />
          <div>
            <strong>This collector cannot filter traces by {unsupported.join(' or ')} yet</strong>
            The list below is not narrowed by {unsupported.join(' or ')}; the overview&apos;s breakdown has that dimension&apos;s numbers.
          </div>
        </div>
      )}
      <Suspense key={suspenseKey(scope, { ...params, live: undefined })} fallback={<TableSkeleton rows={12} />}>
        <TraceList scope={scope} options={options} params={params} />
      </Suspense>
    </>
  );
}

function sortOf(v: string | undefined): TraceListOptions['sort'] {
  return v === 'duration' || v === 'cost' ? v : 'start';
}
