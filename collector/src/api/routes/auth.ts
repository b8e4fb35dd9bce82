/**
 * Sign-in and sign-out for the dashboard: password, the first admin's setup token, OpenID Connect,
 * and who the caller is. The dashboard's server calls these on behalf of the browser and keeps the
 * session token in its own HTTP-only cookie; the browser never talks to the collector.
 */
import { createRoute } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isIP } from 'node:net';
import {
  AuthConfig,
  ErrorBody,
  Me,
  OidcCallbackBody,
  OidcStart,
  SessionGrant,
  SetupBody,
  SignedOut,
  SignInBody,
} from '@sightline/contract';
import type { Authenticator } from '../../auth/authenticator.js';
import type { AuthEnv } from '../../auth/context.js';
import { sessionTokenOf } from '../../auth/session-resolver.js';
import { SightlineError } from '../../errors.js';
import type { Principal } from '../../auth/principal.js';
import { guard, errorResponses, json, router } from './common.js';

/**
 * The address the dashboard's server forwards for the browser it serves, so sign-in attempts are
 * throttled per browser rather than for the whole dashboard at once. A direct caller can set it
 * too; each account stays limited on its own (5 free failures, then locks that double) whatever
 * addresses the attempts claim.
 */
export const CLIENT_ADDRESS_HEADER = 'x-sightline-client-address';

function clientAddress(c: Context<AuthEnv>): string {
  const forwarded = c.req.header(CLIENT_ADDRESS_HEADER)?.trim();
  if (forwarded && isIP(forwarded)) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not on a node socket (app.request in tests)
  }
}

const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const refused = {
  401: json(ErrorBody, 'Wrong credentials, or a session that has ended (code unauthorized)'),
  429: json(ErrorBody, 'Too many failed attempts: wait for Retry-After seconds (code too_many_attempts)'),
};

export function authRoutes(auth: Authenticator) {
  const app = router();
  app.use(
    '/auth/*',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new SightlineError('payload_too_large', 'body: over 16384 bytes', { field: 'body' });
      },
    }),
  );
  return app
    .openapi(
      createRoute({
        ...guard('public'),
        method: 'get',
        path: '/auth/config',
        summary: 'How to sign in: whether sign-in is required, password and SSO offered, first-admin setup pending',
        responses: { 200: json(AuthConfig, 'Sign-in options'), ...errorResponses },
      }),
      async (c) => c.json({ mode: auth.mode, password: true, sso: auth.ssoEnabled, setupRequired: await auth.setupRequired() }, 200),
    )
    .openapi(
      createRoute({
        ...guard('public'),
        method: 'get',
        path: '/auth/me',
        summary: 'The caller: the signed-in user and their role per project (none when not signed in)',
        responses: { 200: json(Me, 'The caller'), ...errorResponses },
      }),
      // Public: anyone may ask; a valid credential sent along says who (middleware.ts reads it on /auth/*).
      async (c) => c.json(await auth.me(c.get('principal') as Principal | undefined), 200),
    )
    .openapi(
      createRoute({
        ...guard('public'),
        method: 'post',
        path: '/auth/sign-in',
        summary: 'Sign in with email and password; answers a session token (send it as `Authorization: Session <token>`)',
        request: body(SignInBody),
        responses: { 200: json(SessionGrant, 'Signed in'), ...refused, ...errorResponses },
      }),
      async (c) => {
        const { email, password } = c.req.valid('json');
        return c.json(await auth.signIn(email, password, clientAddress(c)), 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('public'),
        method: 'post',
        path: '/auth/sign-out',
        summary: "Ends the caller's session at once",
        responses: { 200: json(SignedOut, 'Signed out (also when the session had already ended)'), ...errorResponses },
      }),
      async (c) => {
        const token = sessionTokenOf(c.req.header('authorization'));
        if (token) await auth.signOut(token);
        return c.json({ signedOut: true as const }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('public'),
        method: 'post',
        path: '/auth/setup',
        summary: "Create the first admin with the one-time setup token from the collector's log",
        request: body(SetupBody),
        responses: {
          201: json(SessionGrant, 'The first admin, signed in'),
          409: json(ErrorBody, 'A user exists already (code conflict)'),
          ...refused,
          ...errorResponses,
        },
      }),
      async (c) => {
        const { token, email, password } = c.req.valid('json');
        return c.json(await auth.setup(token, email, password, clientAddress(c)), 201);
      },
    )
    .openapi(
      createRoute({
        ...guard('public'),
        method: 'post',
        path: '/auth/oidc/start',
        summary: "Start single sign-on: the provider's authorization URL, and the sealed flow to keep until the callback",
        responses: { 200: json(OidcStart, 'Where to send the browser'), 404: json(ErrorBody, 'SSO is not configured'), ...errorResponses },
      }),
      async (c) => c.json(await auth.ssoStart(), 200),
    )
    .openapi(
      createRoute({
        ...guard('public'),
        method: 'post',
        path: '/auth/oidc/callback',
        summary: 'Finish single sign-on with the query string the provider redirected back with',
        request: body(OidcCallbackBody),
        responses: {
          200: json(SessionGrant, 'Signed in'),
          403: json(ErrorBody, 'No account for this email, or it is not verified (code forbidden)'),
          ...refused,
          ...errorResponses,
        },
      }),
      async (c) => {
        const { query, flow } = c.req.valid('json');
        return c.json(await auth.ssoFinish(query, flow), 200);
      },
    );
}
