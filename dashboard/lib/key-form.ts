/**
 * The API-key form ⇄ the collector's input, as pure functions (unit-tested): a name and the
 * checked scopes. Checked here with the contract's schema so the form names the wrong field
 * before a round trip; the collector checks the same again.
 */
import { ApiKeyInput, KeyScope } from '@sightline/contract';

export const SCOPES: ReadonlyArray<{ scope: KeyScope; label: string }> = [
  { scope: 'ingest', label: 'ingest: send spans and logs' },
  { scope: 'read', label: "read: read the project's data" },
  { scope: 'admin', label: 'admin: everything, including rules and keys' },
];

export type KeyFormResult = { ok: true; input: ApiKeyInput } | { ok: false; field: 'name' | 'scopes'; error: string };

/** The form's `name` and its checked `scope` boxes (one entry per checked box). */
export function keyInputFromForm(form: FormData): KeyFormResult {
  const scopes = form.getAll('scope').map(String);
  const parsed = ApiKeyInput.safeParse({ name: String(form.get('name') ?? ''), scopes: [...new Set(scopes)] });
  if (parsed.success) return { ok: true, input: parsed.data };
  const field = parsed.error.issues[0]?.path[0] === 'name' ? 'name' : 'scopes';
  return field === 'name'
    ? { ok: false, field, error: 'Give the key a name (at most 200 characters), e.g. where it is used.' }
    : { ok: false, field, error: `Choose at least one scope (${KeyScope.options.join(', ')}).` };
}
