import { Suspense } from 'react';
import Link from 'next/link';
import type { Metadata } from 'next';
import type { DriftFreshness, DriftReport } from '@sightline/contract';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { WidgetError } from '@/components/ui/widget-error';
import { DriftHeatmap } from '@/components/drift/heatmap';
import { SignalDetail } from '@/components/drift/signal-detail';
import { settle } from '@/lib/api';
import { compareHref } from '@/lib/compare-target';
import { driftApi } from '@/lib/drift-api';
import { freshnessText } from '@/lib/drift-freshness';
import { formatTime, sameDay } from '@/lib/time';
import { first, flatten, type RawSearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Drift' };

const WINDOWS = [2, 6, 12, 24];
const STATUS_TEXT = { drift: 'Drift', no_drift: 'No drift', insufficient_data: 'Not enough data' } as const;
/** Red for drift, green for a checked "no drift", grey when there is no verdict (yet). */
const STATUS_BADGE = { drift: 'badge error', no_drift: 'badge ok', insufficient_data: 'badge neutral' } as const;

/** "Nov 25, 20:35 – 22:35 vs Nov 18, 20:35 – Nov 25, 20:35 (UTC hours 20, 21, 22 only)": the baseline spans days; times in UTC. */
function windowsText(r: DriftReport): string {
  const at = (ms: number, withDate = true) => formatTime(ms, { withDate, seconds: false });
  const hours = r.baseline.hoursOfDay ? ` (UTC hours ${r.baseline.hoursOfDay.join(', ')} only)` : '';
  return `current ${at(r.current.from)} – ${at(r.current.to, !sameDay(r.current.from, r.current.to))} vs baseline ${at(r.baseline.from)} – ${at(r.baseline.to)}${hours}`;
}

/** All state lives in the URL (agent, signal, window, releases), so any view is a shareable link. */
export default async function DriftPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const params = flatten(await searchParams);
  const agents = await settle(driftApi.agents());
  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <PageHeader
        title="Drift"
        subtitle="Is an agent deciding differently than it used to? Tool choice, paths, output shape, effort and outcome, compared with its baseline."
      />
      {!agents.ok ? (
        <Card>
          <WidgetError error={agents.error} />
        </Card>
      ) : agents.data.agents.length === 0 && agents.data.freshness.catchUp === 'running' ? (
        <Card>
          <p className="muted">{freshnessText(agents.data.freshness)}</p>
        </Card>
      ) : agents.data.agents.length === 0 ? (
        <Card>
          <EmptyState title="No agent sessions yet" what="agent sessions" />
          <p className="muted">
            To see drift detected, run the demo with its drift switch, then pick the last 6 or 12 hours here:{' '}
            <code>pnpm demo --sessions 6000 --days 2 --drift-after 0.75</code>
          </p>
        </Card>
      ) : (
        <DriftView agents={agents.data.agents} freshness={agents.data.freshness} params={params} />
      )}
    </>
  );
}

type Agents = Awaited<ReturnType<typeof driftApi.agents>>['agents'];

function DriftView({ agents, freshness, params }: { agents: Agents; freshness: DriftFreshness; params: Record<string, string> }) {
  const agent = first(params, 'agent') ?? agents.find((a) => a.status === 'drift')?.agent ?? agents[0]!.agent;
  const signal = first(params, 'signal');
  const windowHours = Number(first(params, 'window') ?? '2');
  const current = agents.find((a) => a.agent === agent);
  const link = (over: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ agent, signal, window: String(windowHours), ...over })) if (v) q.set(k, v);
    return `/drift?${q.toString()}`;
  };
  return (
    <div className="grid" style={{ gap: 16 }}>
      <Card title="Agents" hint="latest hourly verdict">
        <p className="muted" data-testid="drift-freshness">
          {freshnessText(freshness)}
        </p>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {agents.map((a) => (
            <Link
              key={a.agent}
              href={link({ agent: a.agent, signal: undefined })}
              className={a.status ? STATUS_BADGE[a.status] : 'badge neutral'}
              aria-current={a.agent === agent ? 'page' : undefined}
              style={{ fontWeight: a.agent === agent ? 700 : 400 }}
            >
              {a.agent} · {a.status ? STATUS_TEXT[a.status] : 'not checked yet'}
            </Link>
          ))}
        </div>
      </Card>
      <Suspense key={`${agent}|${signal}|${windowHours}`} fallback={<TableSkeleton rows={6} />}>
        <ReportCards agent={agent} signal={signal} windowHours={windowHours} link={link} />
      </Suspense>
      <Suspense key={`h|${agent}`} fallback={<TableSkeleton rows={10} />}>
        <HeatmapCard agent={agent} link={link} />
      </Suspense>
      {current && current.releases.length >= 2 && (
        <Suspense key={`c|${agent}|${first(params, 'a')}|${first(params, 'b')}`} fallback={<TableSkeleton rows={6} />}>
          <ReleaseCompare agent={agent} releases={current.releases} a={first(params, 'a')} b={first(params, 'b')} link={link} />
        </Suspense>
      )}
    </div>
  );
}

async function ReportCards({
  agent,
  signal,
  windowHours,
  link,
}: {
  agent: string;
  signal?: string;
  windowHours: number;
  link: (o: Record<string, string | undefined>) => string;
}) {
  const res = await settle(driftApi.report({ agent, signal, windowHours }));
  if (!res.ok)
    return (
      <Card>
        <WidgetError error={res.error} />
      </Card>
    );
  const r = res.data;
  const chosen =
    r.signals.find((s) => s.signal === signal) ??
    [...r.signals].sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.effectRatio - a.effectRatio)[0];
  return (
    <>
      <Card
        title={
          <span style={{ whiteSpace: 'nowrap' }}>
            Verdict:{' '}
            <span className={STATUS_BADGE[r.status]} data-testid="drift-status">
              {STATUS_TEXT[r.status]}
            </span>
          </span>
        }
        hint={windowsText(r)}
        actions={
          <span style={{ display: 'flex', gap: 6, whiteSpace: 'nowrap' }}>
            {WINDOWS.map((w) => (
              <Link
                key={w}
                href={link({ window: String(w) })}
                aria-current={w === windowHours ? 'page' : undefined}
                style={{ fontWeight: w === windowHours ? 700 : 400 }}
              >
                last {w} h
              </Link>
            ))}
          </span>
        }
      >
        <p data-testid="drift-summary">{r.summary}</p>
        {r.freshness.catchUp !== 'idle' && (
          <p className="muted" data-testid="drift-report-freshness">
            {freshnessText(r.freshness)}
          </p>
        )}
        <p className="muted" style={{ fontSize: 12 }}>
          {r.current.sessions.toLocaleString('en-US')} current and {r.baseline.sessions.toLocaleString('en-US')} baseline sessions. Drift is
          declared only when a change is significant (adjusted p &lt; {r.thresholds.alpha}) and large (JS distance ≥{' '}
          {r.thresholds.minJsDistance}, a category moving ≥ {r.thresholds.minDeltaPoints} points, or a median moving ≥{' '}
          {r.thresholds.minRelativeShift * 100}%), with at least {r.thresholds.minBaselineSessions} baseline and{' '}
          {r.thresholds.minCurrentSessions} current sessions.
        </p>
        <SignalList report={r} link={link} selected={chosen?.signal} />
      </Card>
      {chosen && (
        <Card title={`Signal: ${chosen.signal}`} hint="baseline vs current">
          <SignalDetail s={chosen} />
        </Card>
      )}
      <div className="grid cols-2">
        <Card title="Top paths before (baseline)">
          <PathList paths={r.topPaths.baseline} />
        </Card>
        <Card title="Top paths after (current)">
          <PathList paths={r.topPaths.current} />
        </Card>
      </div>
      {r.examples && (
        <div className="grid cols-2">
          <Card title="Example sessions before" hint={r.examples.category ? `${r.examples.signal}` : r.examples.signal}>
            <Examples list={r.examples.baseline} />
          </Card>
          <Card
            title="Example sessions after"
            hint={r.examples.category ? `${r.examples.signal} = ${r.examples.category}` : r.examples.signal}
          >
            <Examples list={r.examples.current} />
          </Card>
          <CompareExamples examples={r.examples} />
        </div>
      )}
    </>
  );
}

function SignalList({
  report,
  link,
  selected,
}: {
  report: DriftReport;
  link: (o: Record<string, string | undefined>) => string;
  selected?: string;
}) {
  return (
    <table className="table" style={{ fontSize: 13 }}>
      <thead>
        <tr>
          <th style={{ textAlign: 'left' }}>signal</th>
          <th style={{ textAlign: 'left' }}>what changed</th>
          <th style={{ textAlign: 'right' }}>effect / threshold</th>
          <th style={{ textAlign: 'right' }}>adj. p</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {report.signals.map((s) => (
          <tr key={s.signal} style={{ fontWeight: s.signal === selected ? 600 : 400 }}>
            <td>
              <Link href={link({ signal: s.signal })}>{s.signal}</Link>
            </td>
            <td className="muted">{s.explanation}</td>
            <td style={{ textAlign: 'right' }}>{s.status === 'tested' ? `${(s.effectRatio * 100).toFixed(0)}%` : '—'}</td>
            <td style={{ textAlign: 'right' }}>{s.status === 'tested' ? s.adjustedP.toExponential(1) : '—'}</td>
            <td>{s.drifted ? <span className="badge error">drift</span> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PathList({ paths }: { paths: DriftReport['topPaths']['baseline'] }) {
  if (paths.length === 0) return <p className="muted">No sessions.</p>;
  return (
    <ol style={{ margin: 0, paddingLeft: 18, fontSize: 13 }}>
      {paths.map((p) => (
        <li key={p.path}>
          <code>{p.path}</code> <span className="muted">{(p.share * 100).toFixed(1)}%</span>
        </li>
      ))}
    </ol>
  );
}

/** A link to the first example before and the first after, side by side (sessions, or traces when a side has no session id). */
function CompareExamples({ examples }: { examples: NonNullable<DriftReport['examples']> }) {
  const [before] = examples.baseline;
  const [after] = examples.current;
  if (!before || !after) return null;
  const bySession = before.sessionId !== '' && after.sessionId !== '';
  const link = bySession ? compareHref('session', before.sessionId, after.sessionId) : compareHref('trace', before.traceId, after.traceId);
  return (
    <p style={{ gridColumn: '1 / -1', margin: 0, fontSize: 13 }}>
      <Link href={link} data-testid="drift-compare-examples">
        Compare the first example before with the first after, step by step
      </Link>
    </p>
  );
}

function Examples({ list }: { list: NonNullable<DriftReport['examples']>['baseline'] }) {
  if (list.length === 0) return <p className="muted">None.</p>;
  return (
    <ul style={{ margin: 0, paddingLeft: 18, fontSize: 13 }}>
      {list.map((e) => (
        <li key={e.sessionKey}>
          <Link href={e.sessionId ? `/sessions/${encodeURIComponent(e.sessionId)}` : `/traces/${e.traceId}`}>
            {e.sessionKey.slice(0, 16)}
          </Link>{' '}
          <span className="muted">
            {e.steps} steps · {e.outputShape} · {e.outcome}
          </span>
          <div>
            <code style={{ fontSize: 12 }}>{e.path}</code>
          </div>
        </li>
      ))}
    </ul>
  );
}

async function HeatmapCard({ agent, link }: { agent: string; link: (o: Record<string, string | undefined>) => string }) {
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: the request's time is the point.
  const res = await settle(driftApi.history({ agent, from: Date.now() - 2 * 86_400_000 }));
  if (!res.ok)
    return (
      <Card>
        <WidgetError error={res.error} />
      </Card>
    );
  return (
    <Card title="Drift over time" hint="hourly checks, last 48 h">
      <DriftHeatmap history={res.data} hrefFor={(signal) => link({ signal })} />
    </Card>
  );
}

async function ReleaseCompare({
  agent,
  releases,
  a,
  b,
  link,
}: {
  agent: string;
  releases: string[];
  a?: string;
  b?: string;
  link: (o: Record<string, string | undefined>) => string;
}) {
  const releaseA = a && releases.includes(a) ? a : releases[releases.length - 2]!;
  const releaseB = b && releases.includes(b) ? b : releases[releases.length - 1]!;
  const res = await settle(driftApi.compare({ agent, releaseA, releaseB }));
  return (
    <Card
      title={`Release ${releaseA} (A) vs ${releaseB} (B)`}
      hint={releases.map((r) => (
        <Link key={r} href={link({ a: releaseB === r ? releaseA : r, b: releaseB === r ? r : releaseB })} style={{ marginLeft: 6 }}>
          {r}
        </Link>
      ))}
    >
      {!res.ok ? (
        <WidgetError error={res.error} />
      ) : (
        <>
          <p>{res.data.summary}</p>
          <SignalList report={res.data} link={link} />
        </>
      )}
    </Card>
  );
}
