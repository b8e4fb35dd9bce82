/** The query API under /api, with its OpenAPI document at /api/openapi.json. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Alerts } from '../alerts/scheduler.js';
import type { AuthEnv } from '../auth/context.js';
import { DEFAULT_PROJECT_ID } from '../auth/principal.js';
import { DriftEngine } from '../drift/engine.js';
import type { LeaseGuard } from '../jobs/lease.js';
import { VERSION } from '../version.js';
import type { Pricing } from '../pricing/index.js';
import { alertRoutes } from './routes/alerts.js';
import { costRoutes } from './routes/cost.js';
import type { ApiDeps } from './routes/common.js';
import { healthRoutes } from './routes/health.js';
import { driftRoutes } from './routes/drift.js';
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
    },
): OpenAPIHono<AuthEnv> {
  const api = new OpenAPIHono<AuthEnv>();
  // Until credentials exist every caller is the open local mode, acting in the default project.
  api.use('*', async (c, next) => {
    c.set('principal', { kind: 'local' });
    c.set('projectId', DEFAULT_PROJECT_ID);
    await next();
  });
  api.route('/', healthRoutes(deps));
  api.route('/', traceRoutes(deps));
  api.route('/', sessionRoutes(deps));
  api.route('/', metricRoutes(deps));
  api.route('/', driftRoutes({ drift: deps.drift ?? new DriftEngine(deps.client), lease: deps.driftLease }));
  if (deps.alerts) api.route('/', alertRoutes(deps.alerts));
  if (deps.pricing) api.route('/', costRoutes({ ...deps, pricing: deps.pricing }));
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
