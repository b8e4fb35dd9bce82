import { Suspense, cache } from 'react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { Card } from '@/components/ui/card';
import { TableSkeleton, TilesSkeleton } from '@/components/ui/skeleton';
import { WidgetError } from '@/components/ui/widget-error';
import { Time } from '@/components/ui/time';
import { SessionPath, ToolFlow } from '@/components/tables/session-path';
import { TraceTable } from '@/components/tables/trace-table';
import { highlightTexts, type TraceSummary } from '@sightline/contract';
import { Marked } from '@/components/ui/marked';
import { ScoreTable } from '@/components/scores/score-table';
import { api, settle } from '@/lib/api';
import { scoresApi } from '@/lib/scores-api';
import { formatCount, formatDuration, formatSpend, nanosToMs } from '@/lib/format';
import { first, href, type RawSearchParams } from '@/lib/search-params';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<RawSearchParams> };

const getSession = cache((id: string) => settle(api.session(id)));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Session ${decodeURIComponent(id)}` };
}

export default async function SessionPage({ params, searchParams }: Props) {
  const id = decodeURIComponent((await params).id);
  // The search that led here (from the session list): the runs holding its words are listed first.
  const q = first(await searchParams, 'q');
  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <nav className="muted" style={{ fontSize: 13 }}>
        <Link href={href('/sessions', { q })}>Sessions</Link> / <span className="mono">{id}</span>
      </nav>
      <Suspense
        key={id}
        fallback={
          <>
            <TilesSkeleton count={6} />
            <TableSkeleton rows={10} />
          </>
        }
      >
        <SessionView id={id} q={q} />
      </Suspense>
    </>
  );
}

/** The session's runs that hold the words of `q` (the trace list's search, narrowed to this session). */
async function searchedRuns(sessionId: string, q: string | undefined, firstNs: string, lastNs: string): Promise<TraceSummary[] | null> {
  if (!q || highlightTexts(q).length === 0) return null;
  const res = await settle(
    api.traces({ session: sessionId, q, from: Math.floor(nanosToMs(firstNs)), to: Math.ceil(nanosToMs(lastNs)) + 1, limit: 200 }),
  );
  return res.ok ? res.data.traces : null;
}

async function SessionView({ id, q }: { id: string; q: string | undefined }) {
  // The session's own scores and those of its traces (the collector joins them).
  const [res, scores] = await Promise.all([getSession(id), settle(scoresApi.list({ sessionId: id, limit: 1000 }))]);
  if (!res.ok)
    return (
      <Card>
        <WidgetError error={res.error} />
      </Card>
    );
  if (!res.data) {
    return (
      <Card>
        <div className="empty" role="status">
          <h3>Session not found</h3>
          <div>
            The collector has no spans for session <span className="mono">{id}</span>.
          </div>
          <div style={{ marginTop: 12 }}>
            <Link className="btn" href="/sessions">
              Back to sessions
            </Link>
          </div>
        </div>
      </Card>
    );
  }
  const { session: s, traces, path } = res.data;
  const needles = highlightTexts(q);
  const matched = await searchedRuns(s.sessionId, q, s.firstSeen, s.lastSeen);
  // Oldest first: the session read as the story it was.
  const ordered = [...traces].sort((a, b) => (BigInt(a.startTime) < BigInt(b.startTime) ? -1 : 1));
  const tiles = [
    ['Traces', formatCount(s.traceCount)],
    ['Duration', formatDuration(s.durationMs)],
    ['Errors', formatCount(s.errorCount)],
    ['Model calls', formatCount(s.llmCalls)],
    ['Tool calls', formatCount(s.toolCalls)],
    ['Tokens', formatCount(s.inputTokens + s.outputTokens)],
    ['Cost', formatSpend(s.costUsd, s.unpricedCalls).text],
  ] as const;
  return (
    <>
      <header className="page-header">
        <div>
          <h1 className="mono" style={{ fontSize: 18 }}>
            <Marked text={s.sessionId} needles={needles} />
          </h1>
          <div className="subtitle">
            <Time ms={nanosToMs(s.firstSeen)} /> – <Time ms={nanosToMs(s.lastSeen)} /> · {s.agents.join(', ') || 'no agent names'} ·{' '}
            {s.services.join(', ')}
          </div>
        </div>
      </header>
      <div className="tiles seven">
        {tiles.map(([label, value]) => (
          <div key={label} className={label === 'Errors' && s.errorCount > 0 ? 'card tile bad' : 'card tile'}>
            <div className="label">{label}</div>
            <div className="value">{value}</div>
          </div>
        ))}
      </div>
      {matched && (
        <Card title={`Runs with “${q}”`} hint={`${matched.length} of ${ordered.length} agent runs`} flush>
          {matched.length > 0 ? (
            <TraceTable traces={matched} scopeParams={{}} q={q} />
          ) : (
            <div className="empty">No run of this session holds these words.</div>
          )}
        </Card>
      )}
      <Card title="Traces in order" hint={`${ordered.length} agent runs`} flush>
        <TraceTable traces={ordered} scopeParams={{}} q={q} />
      </Card>
      <Card title="Scores" hint={scores.ok ? `${scores.data.scores.length} · of the session and its traces` : undefined} flush>
        {!scores.ok ? (
          <WidgetError error={scores.error} />
        ) : scores.data.scores.length === 0 ? (
          <div className="empty" style={{ padding: 16 }}>
            No scores yet. Send them with <span className="mono">POST /api/scores</span> (a <span className="mono">sessionId</span> or a{' '}
            <span className="mono">traceId</span>) or as the OpenTelemetry <span className="mono">gen_ai.evaluation.result</span> event.
          </div>
        ) : (
          <ScoreTable scores={scores.data.scores} withTrace testId="session-scores" />
        )}
      </Card>
      <Card title="Path" hint={`${path.length} steps · agent (A), model (M), tool (T)`} flush>
        <ToolFlow path={path} />
        {path.length > 0 ? (
          <SessionPath path={path} traces={ordered} q={q} needles={needles} />
        ) : (
          <div className="empty">No steps recorded.</div>
        )}
      </Card>
    </>
  );
}
