/**
 * Where the SSO provider sends the browser back: the collector finishes the flow with the query
 * string and the sealed flow this browser kept in its cookie (a callback without that cookie was
 * not started here and is refused), and the session it answers goes into the session cookie.
 */
import { cookies } from 'next/headers';
import { NextResponse, type NextRequest } from 'next/server';
import { CollectorApiError, CollectorUnreachableError } from '@/lib/api';
import { authApi } from '@/lib/auth-api';
import { setSessionCookie, SSO_FLOW_COOKIE } from '@/lib/session';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const jar = await cookies();
  const flow = jar.get(SSO_FLOW_COOKIE)?.value;
  jar.delete(SSO_FLOW_COOKIE);
  // A relative Location: the browser stays on the origin it came back to (request.url may name another host).
  const back = (path: string) => new NextResponse(null, { status: 303, headers: { location: path } });
  if (!flow) return back(`/sign-in?error=${encodeURIComponent('Single sign-on was not started from this browser: try again.')}`);
  try {
    const grant = await authApi.ssoFinish(request.nextUrl.search, flow);
    await setSessionCookie(grant.token, grant.expiresAt);
    return back('/');
  } catch (err) {
    if (err instanceof CollectorApiError || err instanceof CollectorUnreachableError)
      return back(`/sign-in?error=${encodeURIComponent(err.message.charAt(0).toUpperCase() + err.message.slice(1))}`);
    throw err;
  }
}
