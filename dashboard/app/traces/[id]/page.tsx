import { Suspense, cache } from 'react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { WidgetError } from '@/components/ui/widget-error';
import { Time } from '@/components/ui/time';
import { StatusBadge } from '@/components/ui/status-badge';
import { TraceExplorer } from '@/components/waterfall/trace-explorer';
import { ScoreForm } from '@/components/scores/score-form';
import { ScoreTable } from '@/components/scores/score-table';
import { getAccount } from '@/lib/account';
import { scoresApi } from '@/lib/scores-api';
import { api, settle } from '@/lib/api';
import { formatCount, formatDuration, formatSpend, nanosToMs } from '@/lib/format';
import { first, href, type RawSearchParams } from '@/lib/search-params';
import { summarizeTrace } from '@/lib/trace-summary';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<RawSearchParams> };

/** One fetch per request, shared by the title and the page. */
const getTrace = cache((id: string) => settle(api.trace(id)));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const res = await getTrace(id);
  const root = res.ok && res.data ? summarizeTrace(res.data.spans)?.rootName : undefined;
  return { title: root ? `${root} · trace ${id.slice(0, 8)}` : `Trace ${id.slice(0, 8)}` };
}

export default async function TracePage({ params, searchParams }: Props) {
  const { id } = await params;
  const raw = await searchParams;
  const span = first(raw, 'span');
  // The search that led here (from the trace or session list): its words are marked in the spans.
  const q = first(raw, 'q');
  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <nav className="muted" style={{ fontSize: 13 }}>
        <Link href={href('/traces', { q })}>Traces</Link> / <span className="mono">{id}</span>
      </nav>
      <Suspense key={id} fallback={<TraceSkeleton />}>
        <TraceView id={id} span={span} q={q} />
      </Suspense>
    </>
  );
}

async function TraceView({ id, span, q }: { id: string; span: string | undefined; q: string | undefined }) {
  // The scores only when the id could be a trace's (the collector refuses others with a 400).
  const [res, scores, account] = await Promise.all([
    getTrace(id),
    /^[0-9a-f]{32}$/.test(id) ? settle(scoresApi.list({ traceId: id, limit: 1000 })) : Promise.resolve(null),
    getAccount(),
  ]);
  if (!res.ok)
    return (
      <Card>
        <WidgetError error={res.error} />
      </Card>
    );
  const header = res.data ? summarizeTrace(res.data.spans) : null;
  if (!res.data || !header) {
    return (
      <Card>
        <div className="empty" role="status">
          <h3>Trace not found</h3>
          <div>
            The collector has no spans for <span className="mono">{id}</span>. It may have expired, or not been written yet.
          </div>
          <div style={{ marginTop: 12 }}>
            <Link className="btn" href="/traces">
              Back to traces
            </Link>
          </div>
        </div>
      </Card>
    );
  }
  return (
    <>
      <header className="page-header">
        <div style={{ minWidth: 0 }}>
          <h1 style={{ display: 'flex', gap: 10, alignItems: 'center' }}>
            <span style={{ overflowWrap: 'anywhere' }}>{header.rootName}</span>
            <StatusBadge status={header.errorCount > 0 ? 'error' : 'ok'} />
          </h1>
          <div className="subtitle">
            <Time ms={nanosToMs(header.startNs)} /> · <b>{formatDuration(header.durationMs)}</b> · {formatCount(header.spanCount)} spans
            {header.errorCount > 0 && <span style={{ color: 'var(--error)' }}> · {header.errorCount} failed</span>}
            {header.tokens > 0 && <> · {formatCount(header.tokens)} tokens</>}
            {(res.data.totalCostUsd > 0 || res.data.unpricedCalls > 0) && (
              <>
                {' '}
                ·{' '}
                <b data-testid="trace-cost" title={formatSpend(res.data.totalCostUsd, res.data.unpricedCalls).title}>
                  {formatSpend(res.data.totalCostUsd, res.data.unpricedCalls).text}
                </b>
              </>
            )}{' '}
            · {header.services.join(', ')}
            {header.agents.length > 0 && <> · agents {header.agents.join(', ')}</>}
            {header.sessionId && (
              <>
                {' '}
                · session{' '}
                <Link className="mono" href={href(`/sessions/${encodeURIComponent(header.sessionId)}`, { q })}>
                  {header.sessionId}
                </Link>
              </>
            )}
          </div>
        </div>
      </header>
      <TraceExplorer spans={res.data.spans} initialSpanId={span} q={q} scores={scores?.ok ? scores.data.scores : []} />
      <Card
        title="Scores"
        hint={scores?.ok ? `${scores.data.scores.length} · feedback, reviews and evaluations of this trace and its spans` : undefined}
        id="scores"
        flush
      >
        {scores && !scores.ok ? (
          <WidgetError error={scores.error} />
        ) : !scores || scores.data.scores.length === 0 ? (
          <div className="empty" style={{ padding: 16 }} data-testid="trace-scores-empty">
            No scores yet. Send them with <span className="mono">POST /api/scores</span> (e.g. your users&apos; feedback) or as the
            OpenTelemetry <span className="mono">gen_ai.evaluation.result</span> event, or add a review below.
          </div>
        ) : (
          <ScoreTable scores={scores.data.scores} withSpan testId="trace-scores" />
        )}
        {/* Viewers may not score (the collector would answer 403): no form for them. */}
        {(account?.canWrite ?? true) && <ScoreForm traceId={id} />}
      </Card>
    </>
  );
}

function TraceSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading trace" style={{ display: 'grid', gap: 16 }}>
      <Skeleton height={28} width="40%" />
      <div className="trace-layout">
        <div className="card" style={{ padding: 16, display: 'grid', gap: 8 }}>
          {Array.from({ length: 14 }, (_, i) => (
            <Skeleton key={i} height={16} width={`${90 - i * 3}%`} />
          ))}
        </div>
        <div className="card" style={{ padding: 16, display: 'grid', gap: 8 }}>
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} height={14} />
          ))}
        </div>
      </div>
    </div>
  );
}
