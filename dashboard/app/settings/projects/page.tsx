import type { Metadata } from 'next';
import { SettingsTabs } from '@/components/settings/settings-tabs';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { getAccount, ROLE_LABEL } from '@/lib/account';

export const metadata: Metadata = { title: 'Projects' };
export const dynamic = 'force-dynamic';

export default async function ProjectsPage() {
  const account = await getAccount();
  return (
    <>
      <PageHeader title="Settings" subtitle="Projects, API keys, members and the audit log" />
      <SettingsTabs active="projects" />
      <Card title="Your projects" flush>
        {!account ? (
          <div className="empty" role="status">
            The collector cannot be reached.
          </div>
        ) : account.projects.length === 0 ? (
          <div className="empty" role="status">
            You have no role in any project yet: ask a project admin to add you.
          </div>
        ) : (
          <div className="table-wrap">
            <table className="data" data-testid="projects">
              <thead>
                <tr>
                  <th>Project</th>
                  <th>Your role</th>
                </tr>
              </thead>
              <tbody>
                {account.projects.map((p) => (
                  <tr key={p.id} aria-current={p.id === account.project ? 'true' : undefined}>
                    <td className="mono">{p.id}</td>
                    <td>{ROLE_LABEL[p.role]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {account?.mode === 'open' && (
        <p className="muted">
          Sign-in is off: the collector listens on this machine only and everything goes to the <code>default</code> project. Bound to any
          other address (or with <code>SIGHTLINE_AUTH=required</code>) it asks every caller to sign in or send an API key.
        </p>
      )}
    </>
  );
}
