import type { Metadata } from 'next';
import { CreateKeyForm, RevokeKeyButton } from '@/components/settings/key-forms';
import { AdminSettingsPage } from '@/components/settings/admin-settings-page';
import { Card } from '@/components/ui/card';
import { Time } from '@/components/ui/time';
import { WidgetError } from '@/components/ui/widget-error';
import { settle } from '@/lib/api';
import { keysApi } from '@/lib/keys-api';
import { TIME_ZONE_LABEL } from '@/lib/time';

export const metadata: Metadata = { title: 'API keys' };
export const dynamic = 'force-dynamic';

export default async function KeysPage() {
  return (
    <AdminSettingsPage tab="keys" title="API keys" adminsOnly="create, list and revoke its API keys">
      {(project) => <Keys project={project} />}
    </AdminSettingsPage>
  );
}

async function Keys({ project }: { project: string }) {
  const res = await settle(keysApi.list(project));
  if (!res.ok)
    return (
      <Card title="API keys">
        <WidgetError error={res.error} />
      </Card>
    );
  // Newest first: the key just created is at the top, beside the panel that shows it.
  const keys = [...res.data.keys].sort((a, b) => b.createdAt - a.createdAt);
  const active = keys.filter((k) => k.revokedAt === null).length;
  return (
    <Card title="API keys" hint={`${active} active, ${keys.length - active} revoked`} flush>
      <CreateKeyForm project={project} />
      {keys.length === 0 ? (
        <div className="empty" role="status">
          No keys yet. Create one with the ingest scope and send spans with <code>Authorization: Bearer sl_…</code> (or{' '}
          <code>OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20sl_…</code>).
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="api-keys">
            <thead>
              <tr>
                <th>Key</th>
                <th>Name</th>
                <th>Scopes</th>
                <th>Created ({TIME_ZONE_LABEL})</th>
                <th>Last used ({TIME_ZONE_LABEL})</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-key-prefix={k.prefix}>
                  <td className="mono">{k.prefix}_…</td>
                  <td>{k.name}</td>
                  <td className="mono">{k.scopes.join(', ')}</td>
                  <td className="muted">
                    <Time ms={k.createdAt} />
                  </td>
                  <td className="muted" data-testid="last-used">
                    {k.lastUsedAt === null ? 'never' : <Time ms={k.lastUsedAt} />}
                  </td>
                  <td>
                    {k.revokedAt === null ? (
                      <RevokeKeyButton project={project} keyId={k.id} label={`${k.name} (${k.prefix})`} />
                    ) : (
                      <span className="badge error">
                        revoked <Time ms={k.revokedAt} />
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
