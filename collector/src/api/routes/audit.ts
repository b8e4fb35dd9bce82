/** The audit log of a project, newest first, for its admins (and admin keys). */
import { createRoute } from '@hono/zod-openapi';
import { AuditList, AuditQuery } from '@sightline/contract';
import type { AuditLog } from '../../auth/audit.js';
import { projectOf } from '../../auth/context.js';
import { guard, guardedResponses, json, router } from './common.js';

export function auditRoutes(audit: AuditLog) {
  return router().openapi(
    createRoute({
      ...guard('admin'),
      method: 'get',
      path: '/audit',
      summary:
        "Who created or revoked keys, changed alert rules, added or removed members: newest first (the project: a key's own, X-Sightline-Project or `project`)",
      request: { query: AuditQuery },
      responses: { 200: json(AuditList, 'Entries, with the cursor of the next page'), ...guardedResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await audit.list(projectOf(c), { limit: q.limit, cursor: q.cursor }), 200);
    },
  );
}
