import type { Metadata } from 'next';
import { AddMemberForm, MemberControls } from '@/components/settings/member-forms';
import { AdminSettingsPage } from '@/components/settings/admin-settings-page';
import { Card } from '@/components/ui/card';
import { Time } from '@/components/ui/time';
import { WidgetError } from '@/components/ui/widget-error';
import { settle } from '@/lib/api';
import { membersApi } from '@/lib/auth-api';

export const metadata: Metadata = { title: 'Members' };
export const dynamic = 'force-dynamic';

export default async function MembersPage() {
  return (
    <AdminSettingsPage tab="members" title="Members" adminsOnly="manage its members">
      {(project) => <Members project={project} />}
    </AdminSettingsPage>
  );
}

async function Members({ project }: { project: string }) {
  const res = await settle(membersApi.list(project));
  if (!res.ok)
    return (
      <Card title="Members">
        <WidgetError error={res.error} />
      </Card>
    );
  const { members } = res.data;
  return (
    <Card title="Members" hint={`${members.length} member${members.length === 1 ? '' : 's'}`} flush>
      <AddMemberForm project={project} />
      {members.length === 0 ? (
        <div className="empty" role="status">
          No members yet. Sign-in is off in the open local mode; members count once the collector requires sign-in.
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="members">
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
                <th>Signs in with</th>
                <th>Added (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.userId}>
                  <td>
                    {m.email}
                    {m.disabled && <span className="faint"> (disabled)</span>}
                  </td>
                  <td>
                    <MemberControls project={project} member={m} />
                  </td>
                  <td className="muted">{m.hasPassword ? 'password or SSO' : 'SSO'}</td>
                  <td className="muted">
                    <Time ms={m.addedAt} />
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
