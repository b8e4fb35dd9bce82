import type { Metadata } from 'next';
import Link from 'next/link';
import { AdminSettingsPage } from '@/components/settings/admin-settings-page';
import { Card } from '@/components/ui/card';
import { Time } from '@/components/ui/time';
import { WidgetError } from '@/components/ui/widget-error';
import { settle } from '@/lib/api';
import { auditApi } from '@/lib/auth-api';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

const PAGE = 50;

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const { cursor } = await searchParams;
  return (
    <AdminSettingsPage tab="audit" title="Audit log" adminsOnly="read its audit log">
      {(project) => <Entries project={project} cursor={cursor} />}
    </AdminSettingsPage>
  );
}

async function Entries({ project, cursor }: { project: string; cursor: string | undefined }) {
  const res = await settle(auditApi.list({ project, limit: PAGE, ...(cursor ? { cursor } : {}) }));
  if (!res.ok)
    return (
      <Card title="Audit log">
        <WidgetError error={res.error} />
      </Card>
    );
  const { entries, nextCursor } = res.data;
  return (
    <Card title="Audit log" hint="who changed keys, alert rules and members: newest first" flush>
      {entries.length === 0 ? (
        <div className="empty" role="status">
          Nothing recorded yet: creating or revoking a key, changing an alert rule or a member is listed here.
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="audit">
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Who</th>
                <th>Action</th>
                <th>Target</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="muted">
                    <Time ms={e.at} />
                  </td>
                  <td>{e.actor.label}</td>
                  <td className="mono">{e.action}</td>
                  <td className="mono">{e.target}</td>
                  <td className="muted">
                    {Object.entries(e.details)
                      .map(([k, v]) => `${k}: ${String(v)}`)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && (
        <div className="pager">
          <Link className="btn small" href={`/settings/audit?cursor=${encodeURIComponent(nextCursor)}`}>
            Older
          </Link>
        </div>
      )}
    </Card>
  );
}
