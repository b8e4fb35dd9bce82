import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Card } from '@/components/ui/card';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { WidgetError } from '@/components/ui/widget-error';
import { PriceForm, RecomputeForm } from '@/components/settings/price-forms';
import { SettingsTabs } from '@/components/settings/settings-tabs';
import { CsrfField } from '@/components/auth/csrf-field';
import { getAccount } from '@/lib/account';
import { settle } from '@/lib/api';
import { costApi } from '@/lib/cost-api';
import { formatTime } from '@/lib/time';
import { deletePrice } from './actions';

export const metadata: Metadata = { title: 'Settings' };
export const dynamic = 'force-dynamic';

const usd = (v: number | null) => (v === null ? <span className="faint">—</span> : `$${v}`);

async function PriceTable({ canWrite }: { canWrite: boolean }) {
  const res = await settle(costApi.prices());
  if (!res.ok) return <WidgetError error={res.error} />;
  if (res.data.prices.length === 0)
    return (
      <div className="empty" style={{ padding: 24 }}>
        No custom prices: every model call is priced from the price database (or reported by its instrumentation).
      </div>
    );
  return (
    <div className="table-wrap">
      <table className="data" data-testid="price-table">
        <thead>
          <tr>
            <th>Model pattern</th>
            <th>Provider</th>
            <th className="num">Input</th>
            <th className="num">Output</th>
            <th className="num">Cache read</th>
            <th className="num">Cache write</th>
            <th className="num">Reasoning</th>
            <th>Valid from (UTC)</th>
            {canWrite && <th />}
          </tr>
        </thead>
        <tbody>
          {res.data.prices.map((p) => (
            <tr key={p.id}>
              <td className="mono">{p.modelPattern}</td>
              <td>{p.provider || <span className="faint">any</span>}</td>
              <td className="num">{usd(p.inputPerMTok)}</td>
              <td className="num">{usd(p.outputPerMTok)}</td>
              <td className="num">{usd(p.cacheReadPerMTok)}</td>
              <td className="num">{usd(p.cacheWritePerMTok)}</td>
              <td className="num">{usd(p.reasoningPerMTok)}</td>
              <td className="muted">{formatTime(p.validFrom, { withDate: true, seconds: false })}</td>
              {canWrite && (
                <td>
                  <form action={deletePrice}>
                    <CsrfField />
                    <input type="hidden" name="id" value={p.id} />
                    <button className="btn" type="submit" aria-label={`Delete price ${p.modelPattern}`}>
                      Delete
                    </button>
                  </form>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Project settings: custom model prices (they beat the price database) and a recompute of past costs. */
export default async function SettingsPage() {
  // Viewers see the prices, not the controls (the collector refuses their changes: 403).
  const canWrite = (await getAccount())?.canWrite ?? true;
  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <PageHeader title="Settings" subtitle="Model prices of this project, USD per million tokens" />
      <SettingsTabs active="prices" />
      <Card title="Custom prices" hint="beat the price database; the latest valid one applies" flush>
        <Suspense fallback={<TableSkeleton rows={3} />}>
          <PriceTable canWrite={canWrite} />
        </Suspense>
      </Card>
      {canWrite && (
        <>
          <Card title="Add a price">
            <PriceForm />
          </Card>
          <Card title="Recompute past costs" hint="re-prices the model calls that started in the range; reported costs stay">
            <RecomputeForm />
          </Card>
        </>
      )}
    </>
  );
}
