/**
 * Who is looking at the dashboard, once per request: the collector's answer to /api/auth/me, the
 * project in view (the user's choice, else `default`, else their first) and what their role there
 * lets them do. Pages hide the controls a role may not use; the collector refuses them anyway.
 */
import { cache } from 'react';
import type { AuthMode, ProjectAccess, ProjectRole, UserSummary } from '@sightline/contract';
import { settle } from './api';
import { authApi } from './auth-api';
import { chosenProject } from './session';

export interface Account {
  mode: AuthMode;
  user: UserSummary | null;
  projects: ProjectAccess[];
  /** The project in view; undefined when the user has none. */
  project: string | undefined;
  role: ProjectRole | undefined;
  /** May create and change alert rules (admin, member; everyone in the open local mode). */
  canWrite: boolean;
  /** May manage members, keys and read the audit log. */
  isAdmin: boolean;
}

/** The project in view among those the user has a role in. */
export function pickProject(projects: readonly ProjectAccess[], chosen: string | undefined): ProjectAccess | undefined {
  return projects.find((p) => p.id === chosen) ?? projects.find((p) => p.id === 'default') ?? projects[0];
}

/** Whether the account may manage `project`'s keys and members: its admin, or an instance administrator. */
export function administers(account: Pick<Account, 'projects' | 'user'>, project: string): boolean {
  return account.user?.instanceAdmin === true || account.projects.some((p) => p.id === project && p.role === 'admin');
}

/** undefined when the collector cannot be asked (the pages show their own collector errors). */
export const getAccount = cache(async (): Promise<Account | undefined> => {
  const res = await settle(authApi.me());
  if (!res.ok) return undefined;
  const me = res.data;
  const current = pickProject(me.projects, await chosenProject());
  const role = current?.role;
  return {
    mode: me.mode,
    user: me.user,
    projects: me.projects,
    project: current?.id,
    role,
    canWrite: role === 'admin' || role === 'member',
    isAdmin: role === 'admin' || me.user?.instanceAdmin === true,
  };
});

/** The roles a viewer of the project gets, for labels. */
export const ROLE_LABEL: Record<ProjectRole, string> = { admin: 'Admin', member: 'Member', viewer: 'Viewer' };
