import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ErrorBody, TraceDetail, TraceList, TraceListQuery } from '@sightline/contract';
import { projectOf } from '../../auth/context.js';
import { foldLogContent } from '../../normalize/log-content.js';
import { getTrace, listTraces } from '../../storage/queries/traces.js';
import { guard, guardedResponses, json, router, type ApiDeps } from './common.js';

const TraceIdParam = z.object({ traceId: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex characters') });

export function traceRoutes({ client }: ApiDeps) {
  return router()
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/traces',
        summary: 'Traces, newest first, with cursor pagination',
        request: { query: TraceListQuery },
        responses: { 200: json(TraceList, 'A page of traces'), ...guardedResponses },
      }),
      async (c) => c.json(await listTraces(client, projectOf(c), c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/traces/{traceId}',
        summary: 'One trace with all its spans',
        request: { params: TraceIdParam },
        responses: { 200: json(TraceDetail, 'The trace'), 404: json(ErrorBody, 'No such trace'), ...guardedResponses },
      }),
      async (c) => c.json(foldLogContent(await getTrace(client, projectOf(c), c.req.valid('param').traceId)), 200),
    );
}
