import { Suspense } from 'react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AlertForm } from '@/components/alerts/alert-form';
import { DeliveryTable } from '@/components/alerts/delivery-table';
import { HistoryTable } from '@/components/alerts/history-table';
import { RuleActions } from '@/components/alerts/rule-actions';
import { AlertStateBadge } from '@/components/alerts/state-badge';
import { Card } from '@/components/ui/card';
import { Time } from '@/components/ui/time';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { WidgetError } from '@/components/ui/widget-error';
import { settle } from '@/lib/api';
import { getAccount } from '@/lib/account';
import { alertsApi } from '@/lib/alerts-api';
import { describeRule, fieldsFromRule } from '@/lib/alert-form';
import { AutoRefresh } from '../auto-refresh';

export const metadata: Metadata = { title: 'Alert' };
export const dynamic = 'force-dynamic';

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [res, account] = await Promise.all([settle(alertsApi.rule(id)), getAccount()]);
  const canWrite = account?.canWrite ?? true;
  if (!res.ok)
    return (
      <Card title="Alert">
        <WidgetError error={res.error} />
      </Card>
    );
  const rule = res.data;
  if (!rule) notFound();
  return (
    <>
      <PageHeader
        title={
          <>
            <AlertStateBadge state={rule.state} /> {rule.name}
          </>
        }
        subtitle={
          <>
            <Link href="/alerts">← Alerts</Link> · {describeRule(rule)}
          </>
        }
      >
        <AutoRefresh />
        {canWrite && <RuleActions id={rule.id} muted={rule.muted} hasChannels={rule.channels.length > 0} />}
      </PageHeader>
      <div className="grid">
        <Card title="Current state" hint={rule.groupBy === 'none' ? undefined : `one per ${rule.groupBy}`} flush>
          {rule.states.length === 0 ? (
            <div className="empty" role="status">
              Not evaluated yet: the collector evaluates this rule every {rule.intervalSeconds} s.
            </div>
          ) : (
            <div className="table-wrap">
              <table className="data" data-testid="alert-states">
                <thead>
                  <tr>
                    <th>Scope</th>
                    <th>State</th>
                    <th>Since (UTC)</th>
                    <th className="num">Value</th>
                    <th className="num">Threshold</th>
                    <th>Last evaluated (UTC)</th>
                  </tr>
                </thead>
                <tbody>
                  {rule.states.map((s) => (
                    <tr key={s.scopeKey}>
                      <td>{s.scopeKey || 'whole scope'}</td>
                      <td>
                        <AlertStateBadge state={s.state} />
                      </td>
                      <td className="muted">{s.since > 0 ? <Time ms={s.since} /> : '—'}</td>
                      <td className="num">{s.value === null ? 'no data' : Math.round(s.value * 100) / 100}</td>
                      <td className="num">{s.threshold === null ? '—' : Math.round(s.threshold * 100) / 100}</td>
                      <td className="muted">
                        <Time ms={s.lastEvaluatedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        <Suspense fallback={<TableSkeleton rows={6} />}>
          <RuleHistory id={rule.id} />
        </Suspense>
        <Suspense fallback={<TableSkeleton rows={6} />}>
          <RuleDeliveries id={rule.id} />
        </Suspense>
        {canWrite && (
          <Card title="Edit">
            <AlertForm id={rule.id} initial={fieldsFromRule(rule)} hasSecret={rule.channels.some((c) => c.hasSecret)} />
          </Card>
        )}
      </div>
    </>
  );
}

async function RuleHistory({ id }: { id: string }) {
  const res = await settle(alertsApi.history({ ruleId: id, limit: 100 }));
  if (!res.ok)
    return (
      <Card title="History">
        <WidgetError error={res.error} />
      </Card>
    );
  return (
    <Card title="History" flush>
      <HistoryTable transitions={res.data.transitions} showRule={false} />
    </Card>
  );
}

async function RuleDeliveries({ id }: { id: string }) {
  const res = await settle(alertsApi.deliveries({ ruleId: id, limit: 100 }));
  if (!res.ok)
    return (
      <Card title="Delivery log">
        <WidgetError error={res.error} />
      </Card>
    );
  return (
    <Card title="Delivery log" flush>
      <DeliveryTable deliveries={res.data.deliveries} />
    </Card>
  );
}
