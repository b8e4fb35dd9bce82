import type { ClickHouseClient } from '@clickhouse/client';
import { OpenAPIHono } from '@hono/zod-openapi';
import { ErrorBody } from '@sightline/contract';
import { invalidParameter } from '../../errors.js';

/** What every API route needs. */
export interface ApiDeps {
  client: ClickHouseClient;
}

/** An OpenAPIHono whose validation failures become our 400 `invalid_parameter` errors. */
export function router(): OpenAPIHono {
  return new OpenAPIHono({
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
