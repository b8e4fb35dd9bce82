import { Suspense } from 'react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { CompareKind } from '@sightline/contract';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { WidgetError } from '@/components/ui/widget-error';
import { CompareSummaryCard, CompareTable } from '@/components/compare/compare-view';
import { settle } from '@/lib/api';
import { compareApi } from '@/lib/compare-api';
import { compareHref, readCompareTarget } from '@/lib/compare-target';
import type { RawSearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Compare' };

const PROBLEM = {
  missing: 'Pick two sessions (or two traces) to compare: check two rows of the Sessions or Traces list and press Compare.',
  'pick-two': 'Check exactly two rows to compare.',
  same: 'A and B are the same: pick two different ones.',
} as const;

/** Two sessions or two traces side by side; the URL (`kind`, `a`, `b`) reproduces the view. */
export default async function ComparePage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const target = readCompareTarget(await searchParams);
  if ('redirect' in target) redirect(target.redirect);
  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <PageHeader
        title={'kind' in target ? `Compare two ${target.kind}s` : 'Compare'}
        subtitle={
          'kind' in target ? (
            <>
              <span className="mono">A {target.a}</span> · <span className="mono">B {target.b}</span> ·{' '}
              <Link href={compareHref(target.kind, target.b, target.a)}>swap</Link>
            </>
          ) : undefined
        }
      >
        <Link className="btn small" href="/compare/groups">
          Compare groups
        </Link>
      </PageHeader>
      {'problem' in target ? (
        <Card>
          <div className="empty" role="status">
            <h3>Nothing to compare yet</h3>
            <div>{PROBLEM[target.problem]}</div>
          </div>
        </Card>
      ) : (
        <Suspense key={`${target.kind}:${target.a}:${target.b}`} fallback={<TableSkeleton rows={10} />}>
          <CompareBody kind={target.kind} a={target.a} b={target.b} />
        </Suspense>
      )}
    </>
  );
}

async function CompareBody({ kind, a, b }: { kind: CompareKind; a: string; b: string }) {
  const res = await settle(compareApi.pair(kind, a, b));
  if (!res.ok)
    return (
      <Card>
        <WidgetError error={res.error} />
      </Card>
    );
  if ('missing' in res.data) {
    const id = res.data.missing === 'a' ? a : b;
    return (
      <Card>
        <div className="empty" role="status">
          <h3>
            {kind === 'session' ? 'Session' : 'Trace'} {res.data.missing.toUpperCase()} not found
          </h3>
          <div>
            No {kind} <span className="mono">{id}</span> in this project (it may have expired, or belong to another project).
          </div>
        </div>
      </Card>
    );
  }
  return (
    <>
      <CompareSummaryCard result={res.data} />
      <CompareTable result={res.data} />
    </>
  );
}
