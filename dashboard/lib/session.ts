/**
 * The signed-in user's session as the dashboard's server keeps it: the collector's session token
 * in an HTTP-only cookie of the dashboard's own origin (SameSite=Lax so the redirect back from
 * the SSO provider carries the flow cookie; Secure when the dashboard is served over HTTPS). The
 * browser's scripts never see the token; every call to the collector carries it, so the
 * collector acts with this user's rights and nothing more. Server-side only.
 */
import { cookies, headers } from 'next/headers';
import { PROJECT_COOKIE, SESSION_COOKIE } from './cookie-names';

export { PROJECT_COOKIE, SESSION_COOKIE, SSO_FLOW_COOKIE } from './cookie-names';

/** The cookie jar of the current request, or undefined outside one (unit tests, build time). */
async function jar() {
  try {
    return await cookies();
  } catch {
    return undefined;
  }
}

export async function sessionToken(): Promise<string | undefined> {
  return (await jar())?.get(SESSION_COOKIE)?.value || undefined;
}

export async function chosenProject(): Promise<string | undefined> {
  return (await jar())?.get(PROJECT_COOKIE)?.value || undefined;
}

/** HTTPS as the browser sees it (behind a TLS proxy, its X-Forwarded-Proto), or a configured https dashboard URL. */
export async function servedOverHttps(): Promise<boolean> {
  const h = await headers();
  return h.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' || (process.env.SIGHTLINE_DASHBOARD_URL ?? '').startsWith('https:');
}

export async function cookieOptions(maxAgeSeconds?: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: await servedOverHttps(),
    path: '/',
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

export async function setSessionCookie(token: string, expiresAt: number): Promise<void> {
  const maxAge = Math.max(1, Math.floor((expiresAt - Date.now()) / 1000));
  (await cookies()).set(SESSION_COOKIE, token, await cookieOptions(maxAge));
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}

/**
 * The browser's address, for the collector's per-address sign-in throttle: the last hop of
 * X-Forwarded-For (what `next start` or the nearest proxy saw).
 */
export async function browserAddress(): Promise<string | undefined> {
  try {
    const xff = (await headers()).get('x-forwarded-for');
    return (
      xff
        ?.split(',')
        .at(-1)
        ?.trim()
        .replace(/^::ffff:/, '') || undefined
    );
  } catch {
    return undefined;
  }
}
