/**
 * Mutations on the query API refuse cross-site browser requests. The API answers no CORS, so a
 * foreign page cannot read it, but a "simple" cross-origin POST/PUT/DELETE is still sent by the
 * browser; this check is what stops such a page from creating or deleting alert rules.
 * Server-to-server callers (the dashboard's server, curl, SDKs) send no Origin and pass.
 */
import type { MiddlewareHandler } from 'hono';
import { SightlineError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin of a URL, or undefined when it is not one (`null` origins, junk). */
function originOf(value: string): string | undefined {
  try {
    const u = new URL(value);
    return u.origin === 'null' ? undefined : u.origin;
  } catch {
    return undefined;
  }
}

/**
 * `trusted`: origins allowed besides the collector's own (the configured dashboard URL).
 * The collector's own origin is the request's scheme and Host, as the browser addressed it.
 */
export function sameOriginMutations(trusted: readonly string[]): MiddlewareHandler {
  const allowed = new Set(trusted.map(originOf).filter((o): o is string => o !== undefined));
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const fetchSite = c.req.header('sec-fetch-site');
    if (fetchSite === 'cross-site') throw refused('sec-fetch-site');
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const own = originOf(`${new URL(c.req.url).protocol}//${c.req.header('host') ?? ''}`);
      const from = originOf(origin);
      if (from === undefined || (from !== own && !allowed.has(from))) throw refused('origin');
    }
    return next();
  };
}

function refused(field: string): SightlineError {
  return new SightlineError('forbidden', 'cross-site requests may not change data; call the API from the dashboard or a server', {
    field,
  });
}
