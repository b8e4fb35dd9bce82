import type { Metadata } from 'next';
import Link from 'next/link';
import { AlertForm } from '@/components/alerts/alert-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { getAccount } from '@/lib/account';
import { fieldsFromRule } from '@/lib/alert-form';

export const metadata: Metadata = { title: 'New alert' };

export const dynamic = 'force-dynamic';

export default async function NewAlertPage() {
  const canWrite = (await getAccount())?.canWrite ?? true;
  return (
    <>
      <PageHeader title="New alert" subtitle={<Link href="/alerts">← Alerts</Link>} />
      <Card>
        {canWrite ? (
          <AlertForm initial={fieldsFromRule()} />
        ) : (
          <div className="empty" role="status">
            Your role in this project (viewer) cannot create alert rules: ask a project admin.
          </div>
        )}
      </Card>
    </>
  );
}
