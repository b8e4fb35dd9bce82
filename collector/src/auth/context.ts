/**
 * What the authentication middleware leaves on a request's context for the routes: the caller and
 * the project the request acts in (already checked against the caller's rights). Routes read the
 * project from here, never from a parameter of their own.
 */
import type { Context } from 'hono';
import type { Principal } from './principal.js';

export interface AuthVariables {
  principal: Principal;
  /** The project the request reads or writes; the middleware has checked the caller may. */
  projectId: string;
}

export type AuthEnv = { Variables: AuthVariables };

/** The project of an authenticated request; a route mounted without the middleware is a bug, not a default. */
export function projectOf(c: Context<AuthEnv>): string {
  const id = c.get('projectId');
  if (id === undefined) throw new Error(`no project resolved for ${c.req.method} ${c.req.path}: the auth middleware must run first`);
  return id;
}
