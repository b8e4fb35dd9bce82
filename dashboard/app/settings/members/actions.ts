'use server';
/**
 * Mutations of the Members page: CSRF token first, then the collector, which checks that the user
 * administers the project and answers 403 to anyone else.
 */
import { revalidatePath } from 'next/cache';
import { Email, ProjectRole } from '@sightline/contract';
import { CollectorApiError, CollectorUnreachableError } from '@/lib/api';
import { membersApi } from '@/lib/auth-api';
import { checkCsrf, CsrfError } from '@/lib/csrf';

export interface SettingsState {
  ok?: string;
  error?: string;
}

function failure(err: unknown): SettingsState {
  if (err instanceof CsrfError || err instanceof CollectorUnreachableError || err instanceof CollectorApiError)
    return { error: err.message };
  throw err;
}

export async function addMember(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  try {
    await checkCsrf(form);
    const project = String(form.get('project') ?? '');
    const email = Email.safeParse(form.get('email'));
    const role = ProjectRole.safeParse(form.get('role'));
    if (!email.success) return { error: 'Enter an email address.' };
    if (!role.success) return { error: 'Choose a role.' };
    const password = String(form.get('password') ?? '');
    const member = await membersApi.add(project, { email: email.data, role: role.data, ...(password ? { password } : {}) });
    revalidatePath('/settings/members');
    return { ok: `${member.email} added as ${member.role}.` };
  } catch (err) {
    return failure(err);
  }
}

export async function changeRole(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  try {
    await checkCsrf(form);
    const role = ProjectRole.safeParse(form.get('role'));
    if (!role.success) return { error: 'Choose a role.' };
    await membersApi.setRole(String(form.get('project') ?? ''), String(form.get('userId') ?? ''), role.data);
    revalidatePath('/settings/members');
    return { ok: 'Role changed.' };
  } catch (err) {
    return failure(err);
  }
}

export async function removeMember(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  try {
    await checkCsrf(form);
    await membersApi.remove(String(form.get('project') ?? ''), String(form.get('userId') ?? ''));
    revalidatePath('/settings/members');
    return { ok: 'Removed.' };
  } catch (err) {
    return failure(err);
  }
}
