import type { ClickHouseClient } from '@clickhouse/client';
import { OpenAPIHono } from '@hono/zod-openapi';
import { ErrorBody } from '@sightline/contract';
import type { AuthEnv } from '../../auth/context.js';
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
