import type { Metadata } from 'next';
import Link from 'next/link';
import { AlertForm } from '@/components/alerts/alert-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { fieldsFromRule } from '@/lib/alert-form';

export const metadata: Metadata = { title: 'New alert' };

export default function NewAlertPage() {
  return (
    <>
      <PageHeader title="New alert" subtitle={<Link href="/alerts">← Alerts</Link>} />
      <Card>
        <AlertForm initial={fieldsFromRule()} />
      </Card>
    </>
  );
}
