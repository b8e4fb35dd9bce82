/**
 * Authentication and authorization of the /api routes, as Hono middleware.
 *
 * `authenticate` runs before every /api route: it resolves the caller (401 when credentials are
 * wrong, or absent where required) and the project the request acts in (a key's own; for the
 * local mode and users, the `X-Sightline-Project` header or `project` query parameter, else
 * `default`). Paths in PUBLIC_API_PATHS answer without credentials.
 *
 * `requires(need)` is declared by each route (see api/routes/common.ts `guard`): 403 unless the
 * caller may do `need` in the request's project; `requiresOnProjectParam` for routes whose path
 * names the project (`/projects/{id}/keys`).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { PROJECT_HEADER } from '@sightline/contract';
import { forbidden, requestedProject, type RequestAuth } from './caller.js';
import type { AuthEnv } from './context.js';
import { allows, allowsInstance, type Need, type Principal } from './principal.js';

/** What a route needs: a project right, any authenticated caller, an instance admin, or nothing. */
export type RouteNeed = Need | 'authenticated' | 'instance' | 'public';

/**
 * Answered without credentials: liveness for load balancers and container health checks (no
 * project's data in it) and the API's own description.
 */
export const PUBLIC_API_PATHS: ReadonlySet<string> = new Set(['/api/health', '/api/openapi.json']);

/**
 * Signing in itself (/api/auth/*): answered without credentials, but a valid one sent along is
 * read (who is signed in, which session to end); a wrong or expired one is no credential here.
 */
const SIGN_IN_PATHS = /^\/api\/auth\//;

export function authenticate(auth: RequestAuth): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (PUBLIC_API_PATHS.has(c.req.path)) return next();
    if (SIGN_IN_PATHS.test(c.req.path)) {
      const principal = await auth.principal(c.req.header('authorization'), c.req.path).catch(() => undefined);
      if (principal) c.set('principal', principal);
      return next();
    }
    const principal = await auth.principal(c.req.header('authorization'), c.req.path);
    const fromHeader = requestedProject(c.req.header(PROJECT_HEADER));
    const requested = fromHeader ?? requestedProject(c.req.query('project'), 'project');
    c.set('principal', principal);
    c.set('projectId', auth.projectOf(principal, requested));
    await next();
  };
}

function principalOf(c: Context<AuthEnv>): Principal {
  const p = c.get('principal');
  if (p === undefined) throw new Error(`no caller resolved for ${c.req.method} ${c.req.path}: the authenticate middleware must run first`);
  return p;
}

/** The check a route declares: 403 unless the caller may do `need` in the request's project. */
export function requires(need: RouteNeed): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (need !== 'public') {
      const principal = principalOf(c);
      if (need === 'instance') {
        if (!allowsInstance(principal)) throw forbidden('only an instance administrator may do this');
      } else if (need !== 'authenticated') {
        const projectId = c.get('projectId');
        if (!allows(principal, projectId, need)) throw forbidden(`not allowed to ${need} in project ${projectId}`);
      }
    }
    await next();
  };
}

/**
 * For routes under /projects/{param}: the project is the path's, and the caller needs `need` there
 * or to be an instance administrator (who manages every project's keys without reading its data).
 */
export function requiresOnProjectParam(need: Need, param = 'id'): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const principal = principalOf(c);
    const projectId = requestedProject(c.req.param(param), param);
    if (projectId === undefined) throw forbidden('no project named', param);
    if (!allows(principal, projectId, need) && !allowsInstance(principal)) throw forbidden(`not allowed to ${need} project ${projectId}`);
    c.set('projectId', projectId);
    await next();
  };
}
