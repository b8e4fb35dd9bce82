import { Suspense } from 'react';
import Link from 'next/link';
import type { Metadata } from 'next';
import { DeliveryTable } from '@/components/alerts/delivery-table';
import { HistoryTable } from '@/components/alerts/history-table';
import { RulesTable } from '@/components/alerts/rules-table';
import { CollectorBanner } from '@/components/ui/collector-banner';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { WidgetError } from '@/components/ui/widget-error';
import { settle } from '@/lib/api';
import { getAccount } from '@/lib/account';
import { alertsApi } from '@/lib/alerts-api';
import { AutoRefresh } from './auto-refresh';

export const metadata: Metadata = { title: 'Alerts' };
export const dynamic = 'force-dynamic';

export default async function AlertsPage() {
  // Viewers see no edit controls (the collector refuses their changes anyway: 403).
  const canWrite = (await getAccount())?.canWrite ?? true;
  return (
    <>
      <Suspense fallback={null}>
        <CollectorBanner />
      </Suspense>
      <PageHeader title="Alerts" subtitle="Latency, error-rate, no-data and drift rules, evaluated by the collector every interval">
        <AutoRefresh />
        {canWrite && (
          <Link className="btn" href="/alerts/new">
            New alert
          </Link>
        )}
      </PageHeader>
      <div className="grid">
        <Suspense fallback={<TableSkeleton rows={4} />}>
          <Rules canWrite={canWrite} />
        </Suspense>
        <Suspense fallback={<TableSkeleton rows={8} />}>
          <History />
        </Suspense>
        <Suspense fallback={<TableSkeleton rows={8} />}>
          <Deliveries />
        </Suspense>
      </div>
    </>
  );
}

async function Rules({ canWrite }: { canWrite: boolean }) {
  const res = await settle(alertsApi.rules());
  if (!res.ok)
    return (
      <Card title="Rules">
        <WidgetError error={res.error} />
      </Card>
    );
  return (
    <Card title="Rules" hint={`${res.data.rules.length} rule${res.data.rules.length === 1 ? '' : 's'}`} flush>
      {res.data.rules.length === 0 ? (
        <div className="empty" role="status">
          <h3>No alert rules yet</h3>
          <div>
            {canWrite ? (
              <>
                Create one with <Link href="/alerts/new">New alert</Link>,
              </>
            ) : (
              'A project member or admin can create one,'
            )}{' '}
            e.g. “p95 latency of agent X above 2000 ms over 5 minutes → a Slack webhook”. Rules are evaluated from the minute rollups of the
            spans your agents send (try <code>pnpm demo</code>).
          </div>
        </div>
      ) : (
        <RulesTable rules={res.data.rules} />
      )}
    </Card>
  );
}

async function History() {
  const res = await settle(alertsApi.history({ limit: 50 }));
  if (!res.ok)
    return (
      <Card title="History">
        <WidgetError error={res.error} />
      </Card>
    );
  return (
    <Card title="History" hint="every state change, newest first" flush>
      <HistoryTable transitions={res.data.transitions} />
    </Card>
  );
}

async function Deliveries() {
  const res = await settle(alertsApi.deliveries({ limit: 50 }));
  if (!res.ok)
    return (
      <Card title="Delivery log">
        <WidgetError error={res.error} />
      </Card>
    );
  return (
    <Card title="Delivery log" hint="retried with backoff until delivered" flush>
      <DeliveryTable deliveries={res.data.deliveries} />
    </Card>
  );
}
