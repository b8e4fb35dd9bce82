/**
 * Runs before every page request:
 * - gives the browser its CSRF token (lib/csrf.ts) the first time, on the request too so the same
 *   render can put it into forms;
 * - when the collector requires sign-in, sends a browser without a session cookie to /sign-in
 *   before any page renders (a session that ended is caught by the first collector call: 401).
 * In the open local mode nothing changes: no sign-in, no redirect.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { AuthConfig } from '@sightline/contract';
import { CSRF_COOKIE, SESSION_COOKIE } from './lib/cookie-names';

const PUBLIC = [/^\/sign-in$/, /^\/setup$/, /^\/auth\//];

let mode: { value: 'open' | 'required'; until: number } | undefined;

/** The collector's sign-in mode, asked at most every 5 s; undefined when it does not answer. */
async function authMode(): Promise<'open' | 'required' | undefined> {
  if (mode && mode.until > Date.now()) return mode.value;
  try {
    const base = (process.env.SIGHTLINE_API_URL ?? 'http://127.0.0.1:4318').replace(/\/+$/, '');
    const res = await fetch(`${base}/api/auth/config`, { signal: AbortSignal.timeout(2_000), cache: 'no-store' });
    const parsed = AuthConfig.safeParse(await res.json());
    if (!parsed.success) return undefined;
    mode = { value: parsed.data.mode, until: Date.now() + 5_000 };
    return mode.value;
  } catch {
    return undefined;
  }
}

export async function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (!request.cookies.has(SESSION_COOKIE) && !PUBLIC.some((p) => p.test(path)) && (await authMode()) === 'required') {
    // Next turns this into a relative Location, so the browser stays on the origin it used.
    const url = request.nextUrl.clone();
    url.pathname = '/sign-in';
    url.search = '';
    return NextResponse.redirect(url);
  }
  if (request.cookies.has(CSRF_COOKIE)) return NextResponse.next();
  const token = crypto.randomUUID().replaceAll('-', '') + crypto.randomUUID().replaceAll('-', '');
  request.cookies.set(CSRF_COOKIE, token);
  const response = NextResponse.next({ request: { headers: request.headers } });
  const https = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  response.cookies.set(CSRF_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: https, path: '/' });
  return response;
}

export const config = {
  // Pages only: not the build's static files, the icon, or the e2e probe.
  matcher: ['/((?!_next/|icon.svg|favicon.ico|_sightline_probe).*)'],
};
