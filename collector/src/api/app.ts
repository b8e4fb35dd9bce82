/** The query API under /api, with its OpenAPI document at /api/openapi.json. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Alerts } from '../alerts/scheduler.js';
import type { RequestAuth } from '../auth/caller.js';
import type { AuthEnv } from '../auth/context.js';
import type { KeyStore } from '../auth/key-store.js';
import { authenticate } from '../auth/middleware.js';
import type { ProjectStore } from '../auth/project-store.js';
import type { Accounts } from '../auth/accounts.js';
import { DriftEngine } from '../drift/engine.js';
import type { LeaseGuard } from '../jobs/lease.js';
import type { Logger } from '../logger.js';
import { VERSION } from '../version.js';
import type { Pricing } from '../pricing/index.js';
import { alertRoutes } from './routes/alerts.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { compareRoutes } from './routes/compare.js';
import { costRoutes } from './routes/cost.js';
import { scoreRoutes } from './routes/scores.js';
import { memberRoutes } from './routes/members.js';
import { SECURITY_SCHEME, type ApiDeps } from './routes/common.js';
import { projectRoutes, type KeyAuditEvent } from './routes/projects.js';
import { healthRoutes } from './routes/health.js';
import { driftRoutes } from './routes/drift.js';
import { exportRoutes } from './routes/export.js';
import { metricRoutes } from './routes/metrics.js';
import { sessionRoutes } from './routes/sessions.js';
import { traceRoutes } from './routes/traces.js';

export function createApiApp(
  deps: ApiDeps &
    Parameters<typeof healthRoutes>[0] & {
      alerts?: Alerts | undefined;
      drift?: DriftEngine | undefined;
      driftLease?: LeaseGuard | undefined;
      pricing?: Pricing | undefined;
      /** Who is calling: every route but the public ones needs it. */
      auth: RequestAuth;
      projects?: ProjectStore | undefined;
      keys?: KeyStore | undefined;
      audit?: ((event: KeyAuditEvent) => void) | undefined;
      /** Users, sessions and roles, the audit log. */
      accounts: Accounts;
      logger?: Logger | undefined;
      /** Page size of the span export's reads (tests). */
      exportPageRows?: number | undefined;
    },
): OpenAPIHono<AuthEnv> {
  const api = new OpenAPIHono<AuthEnv>();
  // Every route: the caller and its project first (401), then each route's own check (403).
  api.use('*', authenticate(deps.auth));
  api.route('/', healthRoutes(deps));
  api.route('/', traceRoutes(deps));
  api.route('/', exportRoutes({ client: deps.client, logger: deps.logger, pageRows: deps.exportPageRows }));
  api.route('/', sessionRoutes(deps));
  api.route('/', compareRoutes(deps));
  api.route('/', metricRoutes(deps));
  api.route('/', driftRoutes({ drift: deps.drift ?? new DriftEngine(deps.client), lease: deps.driftLease }));
  if (deps.alerts) api.route('/', alertRoutes(deps.alerts, deps.accounts.audit));
  if (deps.pricing) api.route('/', costRoutes({ ...deps, pricing: deps.pricing }));
  api.route('/', scoreRoutes(deps));
  if (deps.projects && deps.keys) api.route('/', projectRoutes({ projects: deps.projects, keys: deps.keys, audit: deps.audit }));
  const { authenticator, users, audit, passwords } = deps.accounts;
  api.route('/', authRoutes(authenticator));
  api.route('/', memberRoutes({ users, audit, passwords, projects: deps.projects }));
  api.route('/', auditRoutes(audit));
  api.openAPIRegistry.registerComponent('securitySchemes', SECURITY_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description: 'A project API key, `sl_<prefix>_<secret>` (not needed on loopback in the open local mode)',
  });
  api.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Sightline query API',
      version: VERSION,
      description: 'Traces, sessions and metrics of AI agents, read from ClickHouse.',
    },
  });
  return api;
}
