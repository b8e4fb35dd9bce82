'use client';

import type { ProjectAccess } from '@sightline/contract';
import { signOut } from '@/app/sign-in/actions';
import { switchProject } from '@/app/settings/projects/actions';
import { CsrfField } from '@/components/auth/csrf-field';

export interface ShellAccount {
  email: string;
  projects: ProjectAccess[];
  project: string | undefined;
}

/** The signed-in user at the foot of the sidebar: the project switcher (projects they have a role in) and sign-out. */
export function AccountMenu({ account }: { account: ShellAccount }) {
  return (
    <div className="account-menu">
      {account.projects.length > 1 && (
        <form action={switchProject} className="project-switcher">
          <CsrfField />
          <label className="faint" htmlFor="project-switch">
            Project
          </label>
          <select
            id="project-switch"
            name="project"
            className="control"
            defaultValue={account.project}
            onChange={(e) => e.currentTarget.form?.requestSubmit()}
          >
            {account.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id} ({p.role})
              </option>
            ))}
          </select>
        </form>
      )}
      {account.projects.length === 1 && (
        <div className="faint" data-testid="current-project">
          Project {account.projects[0]!.id} ({account.projects[0]!.role})
        </div>
      )}
      <div className="account-email" title={account.email}>
        {account.email}
      </div>
      <form action={signOut}>
        <CsrfField />
        <button className="btn small" type="submit">
          Sign out
        </button>
      </form>
    </div>
  );
}
