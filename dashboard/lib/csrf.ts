/**
 * CSRF protection of every dashboard mutation, in two layers:
 * 1. Next's own check on server actions: the request's Origin must match its Host, so a form
 *    another site submits is refused before any action runs.
 * 2. A synchronizer token: proxy.ts gives each browser a random token in an HTTP-only,
 *    SameSite=Lax cookie; the server renders the same value into every form (CsrfField), and
 *    each action compares the two (constant time) before doing anything. Another site can
 *    neither read our pages nor our cookie, so it cannot produce the field even where the Origin
 *    check does not apply (an origin stripped by a proxy, an old browser, a sibling subdomain
 *    that could plant a cookie without knowing ours).
 * The collector adds its own guard: it refuses cross-site browser mutations (same-origin.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import { cookies } from 'next/headers';
import { CSRF_COOKIE } from './cookie-names';
import { CSRF_FIELD } from './csrf-field-name';

export { CSRF_FIELD };

export class CsrfError extends Error {
  constructor() {
    super('This form has expired or did not come from this dashboard: reload the page and try again.');
    this.name = 'CsrfError';
  }
}

/** The token to render into forms ('' before proxy.ts has set one, which no check accepts). */
export async function csrfToken(): Promise<string> {
  try {
    return (await cookies()).get(CSRF_COOKIE)?.value ?? '';
  } catch {
    return '';
  }
}

/** Throws CsrfError unless the form carries this browser's token. */
export async function checkCsrf(form: FormData): Promise<void> {
  const expected = Buffer.from((await cookies()).get(CSRF_COOKIE)?.value ?? '');
  const sent = Buffer.from(String(form.get(CSRF_FIELD) ?? ''));
  if (expected.length < 16 || sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw new CsrfError();
}
