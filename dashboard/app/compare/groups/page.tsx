import { Suspense } from 'react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { WidgetError } from '@/components/ui/widget-error';
import { GroupDistributions, sideText } from '@/components/compare/group-distributions';
import { settle } from '@/lib/api';
import { driftApi } from '@/lib/drift-api';
import type { DriftCompareParams } from '@/lib/drift-api';
import { readGroupTarget } from '@/lib/group-compare';
import type { RawSearchParams } from '@/lib/search-params';
import { formatTime } from '@/lib/time';

export const metadata: Metadata = { title: 'Compare groups' };

const at = (ms: number) => formatTime(ms, { withDate: true, seconds: false });

/**
 * Group A against group B of one agent's sessions (two releases, or two time ranges): the
 * distributions of tool choice, paths, output shape, latency, tokens and cost side by side, with
 * the drift engine's statistics. The URL holds both groups, so the view is a link.
 */
export default async function GroupComparePage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const target = readGroupTarget(await searchParams);
  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <PageHeader
        title="Compare groups"
        subtitle="Two groups of an agent's sessions — by release (a.release, b.release) or time range (a.from, a.to, b.from, b.to) — side by side. Times in UTC."
      >
        <Link className="btn small" href="/compare">
          Compare two sessions
        </Link>
      </PageHeader>
      {'problem' in target ? (
        <Suspense fallback={<TableSkeleton rows={4} />}>
          <Pick problem={target.problem} agent={target.agent} />
        </Suspense>
      ) : (
        <Suspense key={JSON.stringify(target.params)} fallback={<TableSkeleton rows={10} />}>
          <GroupBody params={target.params} />
        </Suspense>
      )}
    </>
  );
}

/** What is missing, and links to start from: each agent's last two releases. */
async function Pick({ problem, agent }: { problem: string; agent?: string }) {
  const res = await settle(driftApi.agents());
  const agents = res.ok ? res.data.agents.filter((a) => agent === undefined || a.agent === agent) : [];
  return (
    <Card>
      <div className="empty" role="status">
        <h3>Choose the two groups</h3>
        <div>{problem}</div>
        {agents.length > 0 && (
          <ul style={{ textAlign: 'left' }}>
            {agents.map((a) => {
              const [x, y] = a.releases.slice(-2);
              const q = new URLSearchParams({ agent: a.agent });
              if (x && y) {
                q.set('a.release', x);
                q.set('b.release', y);
              } else {
                const to = a.windowEnd ?? 0;
                q.set('a.from', String(to - 48 * 3_600_000));
                q.set('a.to', String(to - 24 * 3_600_000));
                q.set('b.from', String(to - 24 * 3_600_000));
                q.set('b.to', String(to));
              }
              return (
                <li key={a.agent}>
                  <Link href={`/compare/groups?${q.toString()}`}>
                    {a.agent}: {x && y ? `release ${x} vs ${y}` : 'the day before vs the last day'}
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </Card>
  );
}

async function GroupBody({ params }: { params: DriftCompareParams }) {
  const res = await settle(driftApi.compare(params));
  if (!res.ok)
    return (
      <Card>
        <WidgetError error={res.error} />
      </Card>
    );
  const r = res.data;
  return (
    <>
      <Card title={`${r.agent}: A vs B`}>
        <p data-testid="group-sides" style={{ margin: 0 }}>
          <strong>A</strong> {sideText(r.baseline, at)} · <strong>B</strong> {sideText(r.current, at)}
        </p>
        <p className="muted" style={{ margin: '6px 0 0' }}>
          {r.summary}
        </p>
      </Card>
      <GroupDistributions report={r} />
    </>
  );
}
