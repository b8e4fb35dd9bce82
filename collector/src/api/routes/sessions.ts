import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ErrorBody, SessionDetail, SessionList, SessionListQuery, text } from '@sightline/contract';
import { projectOf } from '../../auth/context.js';
import { getSession, listSessions } from '../../storage/queries/sessions.js';
import { guard, guardedResponses, json, router, type ApiDeps } from './common.js';

const SessionIdParam = z.object({ sessionId: text(500, { min: 1 }) });

export function sessionRoutes({ client }: ApiDeps) {
  return router()
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/sessions',
        summary: 'Sessions active in the range, most recent first',
        request: { query: SessionListQuery },
        responses: { 200: json(SessionList, 'A page of sessions'), ...guardedResponses },
      }),
      async (c) => c.json(await listSessions(client, projectOf(c), c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/sessions/{sessionId}',
        summary: 'One session: aggregates, its traces in order, and the path of steps and tools',
        request: { params: SessionIdParam },
        responses: { 200: json(SessionDetail, 'The session'), 404: json(ErrorBody, 'No such session'), ...guardedResponses },
      }),
      async (c) => c.json(await getSession(client, projectOf(c), c.req.valid('param').sessionId), 200),
    );
}
