'use server';
/**
 * Signing in, out and the first admin's setup, as server actions: each checks the CSRF token
 * first (lib/csrf.ts), then asks the collector, and keeps the session token it answers in the
 * dashboard's HTTP-only cookie.
 */
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { CollectorApiError, CollectorUnreachableError } from '@/lib/api';
import { authApi } from '@/lib/auth-api';
import { checkCsrf, CsrfError } from '@/lib/csrf';
import { clearSessionCookie, cookieOptions, PROJECT_COOKIE, setSessionCookie, SSO_FLOW_COOKIE } from '@/lib/session';

export interface SignInState {
  error?: string;
  email?: string;
}

function message(err: unknown): string {
  if (err instanceof CsrfError || err instanceof CollectorUnreachableError) return err.message;
  if (err instanceof CollectorApiError) {
    if (err.status === 401) return err.field === 'token' ? 'Wrong setup token.' : 'Wrong email or password.';
    return err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.';
  }
  throw err;
}

export async function signIn(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '');
  try {
    await checkCsrf(form);
    const grant = await authApi.signIn(email, String(form.get('password') ?? ''));
    await setSessionCookie(grant.token, grant.expiresAt);
  } catch (err) {
    return { error: message(err), email };
  }
  redirect('/');
}

export async function setUp(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '');
  try {
    await checkCsrf(form);
    const grant = await authApi.setup(String(form.get('token') ?? '').trim(), email, String(form.get('password') ?? ''));
    await setSessionCookie(grant.token, grant.expiresAt);
  } catch (err) {
    return { error: message(err), email };
  }
  redirect('/');
}

/** Sends the browser to the SSO provider; the sealed flow waits in a cookie for the way back. */
export async function startSso(_prev: SignInState, form: FormData): Promise<SignInState> {
  let url: string;
  try {
    await checkCsrf(form);
    const start = await authApi.ssoStart();
    (await cookies()).set(SSO_FLOW_COOKIE, start.flow, await cookieOptions(600));
    url = start.authorizationUrl;
  } catch (err) {
    return { error: message(err) };
  }
  redirect(url);
}

export async function signOut(form: FormData): Promise<void> {
  await checkCsrf(form);
  await authApi.signOut().catch(() => undefined); // the cookie goes whatever the collector says
  await clearSessionCookie();
  (await cookies()).delete(PROJECT_COOKIE);
  redirect('/sign-in');
}
