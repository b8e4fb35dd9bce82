import type { ClickHouseClient } from '@clickhouse/client';
import { OpenAPIHono } from '@hono/zod-openapi';
import { ErrorBody } from '@sightline/contract';
import type { AuthEnv } from '../../auth/context.js';
import { requires, requiresOnProjectParam, type RouteNeed } from '../../auth/middleware.js';
import type { Need } from '../../auth/principal.js';
import { invalidParameter } from '../../errors.js';

/** What every API route needs. */
export interface ApiDeps {
  client: ClickHouseClient;
}

/**
 * An OpenAPIHono whose validation failures become our 400 `invalid_parameter` errors; its handlers
 * read the caller and the project from the context (auth/context.ts).
 */
export function router(): OpenAPIHono<AuthEnv> {
  return new OpenAPIHono<AuthEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidParameter(result.error);
    },
  });
}

export const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const errorResponses = {
  400: json(ErrorBody, 'A parameter is invalid; `error.field` names it'),
  500: json(ErrorBody, 'Internal error'),
};

/** The name of the security scheme every authenticated operation lists in the OpenAPI document. */
export const SECURITY_SCHEME = 'apiKey';

const authErrors = {
  401: json(ErrorBody, 'No credentials where they are required, or an unknown or revoked key (code unauthenticated)'),
  403: json(ErrorBody, 'The credentials do not allow this in this project (code forbidden)'),
};

/**
 * What a route needs, declared in its definition: the check (route middleware), the OpenAPI
 * security requirement and `x-sightline-need`, which the route × credential test reads so that no
 * route escapes it. Spread into createRoute: `createRoute({ ...guard('read'), method, path, … })`.
 */
export function guard<N extends RouteNeed>(need: N) {
  return {
    middleware: [requires(need)],
    'x-sightline-need': need,
    ...(need === 'public' ? {} : { security: [{ [SECURITY_SCHEME]: [] }] }),
  };
}

/** For routes under /projects/{id}: `need` in the path's project, or an instance administrator. */
export function guardProjectParam(need: Need) {
  return { middleware: [requiresOnProjectParam(need)], 'x-sightline-need': `project:${need}`, security: [{ [SECURITY_SCHEME]: [] }] };
}

/** The 401 and 403 answers of a guarded route, for its `responses`. */
export const guardedResponses = { ...authErrors, ...errorResponses };
