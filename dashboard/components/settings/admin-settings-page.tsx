import type { ReactNode } from 'react';
import { SettingsTabs, type SettingsTab } from '@/components/settings/settings-tabs';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { getAccount } from '@/lib/account';

/**
 * A Settings page only a project's admins use (members, API keys, audit log): the header and tabs,
 * then the page's content for an admin, else why there is none. The collector refuses the others
 * anyway; this says so instead of showing an error.
 */
export async function AdminSettingsPage({
  tab,
  title,
  adminsOnly,
  children,
}: {
  tab: SettingsTab;
  title: string;
  /** What only admins do, e.g. "manage its members". */
  adminsOnly: string;
  children: (project: string) => ReactNode;
}) {
  const account = await getAccount();
  const project = account?.project;
  return (
    <>
      <PageHeader title="Settings" subtitle={project ? `${title} of ${project}` : title} />
      <SettingsTabs active={tab} />
      {!account || !project ? (
        <Card title={title}>
          <div className="empty" role="status">
            {account ? 'You have no role in any project yet.' : 'The collector cannot be reached.'}
          </div>
        </Card>
      ) : !account.isAdmin ? (
        <Card title={title}>
          <div className="empty" role="status">
            Only admins of {project} {adminsOnly}.
          </div>
        </Card>
      ) : (
        children(project)
      )}
    </>
  );
}
