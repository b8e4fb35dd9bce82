/** One HTTP server: OTLP ingest at /v1/traces and /v1/logs and the query API at /api, on the same port. */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { PROJECT_HEADER } from '@sightline/contract';
import type { Alerts } from './alerts/scheduler.js';
import { createApiApp } from './api/app.js';
import { errorResponse, handleError } from './api/error-handler.js';
import { sameOriginMutations } from './api/same-origin.js';
import type { ApiDeps } from './api/routes/common.js';
import type { KeyAuditEvent } from './api/routes/projects.js';
import type { Accounts } from './auth/accounts.js';
import type { Config } from './config.js';
import type { DriftEngine } from './drift/engine.js';
import { SightlineError } from './errors.js';
import { LogWriter } from './ingest/log-writer.js';
import type { IngestPipeline } from './ingest/pipeline.js';
import { JOBS, type JobLeases } from './jobs/job-leases.js';
import type { Logger } from './logger.js';
import type { IngestQuota } from './ingest/quota.js';
import type { OtlpSink } from './otlp/receive-traces.js';
import type { Pricing } from './pricing/index.js';
import type { SpanPricer } from './pricing/pricer.js';
import type { CallerRequest, RequestAuth } from './auth/caller.js';
import type { KeyStore } from './auth/key-store.js';
import type { ProjectStore } from './auth/project-store.js';
import { createOtlpRoutes, LANGFUSE_TRACES_PATH } from './otlp/routes.js';
import type { Storage } from './storage/client.js';
import type { LogRow } from './storage/log-table.js';

export interface ServerDeps extends ApiDeps {
  config: Config;
  storage: Storage;
  pipeline: IngestPipeline;
  logger: Logger;
  alerts?: Alerts;
  /** The one drift engine: its routes, the hourly check and the alerts' drift condition share it. */
  drift?: DriftEngine;
  /** The background jobs' leases (health shows which this process holds). */
  leases?: JobLeases;
  /** Shared with the gRPC receiver, so health counts what either rejected. */
  sink?: ReturnType<typeof otlpSink>;
  /** Custom prices and the span pricer; without it spans are stored unpriced and the price routes are off. */
  pricing?: Pricing | undefined;
  /** Who is calling, on /api and on the OTLP receivers. */
  auth: RequestAuth;
  projects?: ProjectStore;
  keys?: KeyStore;
  /** Users, their sessions and roles, the audit log. */
  accounts: Accounts;
  /** Told of key creation and revocation and new projects (the audit log). */
  audit?: ((event: KeyAuditEvent) => void) | undefined;
}

/**
 * The write path as every OTLP receiver (HTTP and gRPC) sees it, with the count of spans they
 * rejected. With a quota, a project's spans are counted before they are written, and given back
 * when the write fails (the exporter's retry will count them again).
 */
export function otlpSink(
  pipeline: IngestPipeline,
  logWriter?: LogWriter,
  pricer?: SpanPricer,
  quota?: IngestQuota,
): OtlpSink & { rejectedSpans(): number } {
  let rejected = 0;
  return {
    pricer,
    admit: (bytes) => pipeline.admit(bytes),
    accept: async (rows, projectId) => {
      const refund = quota ? await quota.take(projectId, rows.length) : undefined;
      try {
        return await pipeline.accept(rows, projectId);
      } catch (e) {
        refund?.();
        throw e;
      }
    },
    ...(logWriter ? { acceptLogs: (rows: LogRow[], projectId: string) => logWriter.write(rows, projectId) } : {}),
    recordRejected: (n: number) => {
      rejected += n;
    },
    rejectedSpans: () => rejected,
  };
}

/** A fetch Request's credentials and the project it names. */
export function requestCaller(req: Request): CallerRequest {
  return {
    authorization: req.headers.get('authorization') ?? undefined,
    project: req.headers.get(PROJECT_HEADER) ?? undefined,
    path: new URL(req.url).pathname,
  };
}

export function createApp(deps: ServerDeps): Hono {
  const sink = deps.sink ?? otlpSink(deps.pipeline, new LogWriter((r) => deps.storage.insertRaw(r)), deps.pricing?.pricer);
  const app = new Hono();
  // No CORS on /api: the dashboard calls it from its server, never from the browser. Only the OTLP
  // paths (routes.ts) answer CORS, for browser exporters of the configured origins.
  const guard = sameOriginMutations([deps.config.dashboardUrl]);
  app.use('/api/*', (c, next) => (c.req.path === LANGFUSE_TRACES_PATH ? next() : guard(c, next)));
  app.route(
    '/',
    createOtlpRoutes({
      maxBodyBytes: deps.config.maxBodyBytes,
      corsOrigins: deps.config.corsOrigins,
      logger: deps.logger,
      sink,
      authorize: (req) => deps.auth.ingestProject(requestCaller(req)),
    }),
  );
  const leases = deps.leases;
  const jobs = leases ? () => ({ holder: leases.holder, leases: leases.status() }) : undefined;
  app.route('/api', createApiApp({ ...deps, rejectedSpans: () => sink.rejectedSpans(), jobs, driftLease: leases?.lease(JOBS.drift) }));
  app.get('/', (c) =>
    c.json({ name: 'sightline-collector', otlp: '/v1/traces', otlpLogs: '/v1/logs', api: '/api', openapi: '/api/openapi.json' }),
  );
  app.notFound((c) => errorResponse(c, new SightlineError('not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError(handleError(deps.logger));
  return app;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export async function listen(app: Hono, host: string, port: number): Promise<RunningServer> {
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    s.once('error', reject);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        // Exporters keep connections alive: stop idle ones now, cut the rest after a grace period.
        const force = setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), 5000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }),
  };
}
