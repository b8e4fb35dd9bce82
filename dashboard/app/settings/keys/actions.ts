'use server';
/**
 * Mutations of the API keys page: the CSRF token first, then the signed-in user's own rights
 * (refused here unless they administer the project, and refused again by the collector, which
 * gets their session and no other credential).
 */
import { revalidatePath } from 'next/cache';
import type { KeyScope } from '@sightline/contract';
import { administers, getAccount } from '@/lib/account';
import { CollectorApiError, CollectorUnreachableError } from '@/lib/api';
import { checkCsrf, CsrfError } from '@/lib/csrf';
import { keyInputFromForm } from '@/lib/key-form';
import { keysApi } from '@/lib/keys-api';

/** A key just created: its whole value travels to this browser once, in this answer. */
export interface CreatedKey {
  id: string;
  name: string;
  prefix: string;
  scopes: KeyScope[];
  key: string;
}

export interface KeyFormState {
  ok?: string;
  error?: string;
  field?: string;
  /** What was typed, kept after a refusal (React resets the form once an action has run). */
  values?: { name: string; scopes: string[] };
  created?: CreatedKey;
}

class NotProjectAdminError extends Error {
  constructor(project: string) {
    super(`Only admins of ${project} create and revoke its API keys.`);
    this.name = 'NotProjectAdminError';
  }
}

/** The project the form names, once the caller is known to administer it. */
async function administeredProject(form: FormData): Promise<string> {
  await checkCsrf(form);
  const project = String(form.get('project') ?? '');
  const account = await getAccount();
  if (!account) throw new CollectorUnreachableError('the collector', 'no answer to who is signed in');
  if (!administers(account, project)) throw new NotProjectAdminError(project);
  return project;
}

export async function createKey(_prev: KeyFormState, form: FormData): Promise<KeyFormState> {
  const values = { name: String(form.get('name') ?? ''), scopes: form.getAll('scope').map(String) };
  try {
    const project = await administeredProject(form);
    const parsed = keyInputFromForm(form);
    if (!parsed.ok) return { error: parsed.error, field: parsed.field, values };
    const { id, name, prefix, scopes, key } = await keysApi.create(project, parsed.input);
    revalidatePath('/settings/keys');
    return { created: { id, name, prefix, scopes, key } };
  } catch (err) {
    if (err instanceof CsrfError || err instanceof NotProjectAdminError || err instanceof CollectorUnreachableError)
      return { error: err.message };
    if (err instanceof CollectorApiError) return { error: err.message, ...(err.field ? { field: err.field } : {}) };
    throw err;
  }
}

/** A plain form action (no state): the list shows the revocation; a refusal fails the request. */
export async function revokeKey(form: FormData): Promise<void> {
  const project = await administeredProject(form);
  await keysApi.revoke(project, String(form.get('keyId') ?? ''));
  revalidatePath('/settings/keys');
}
