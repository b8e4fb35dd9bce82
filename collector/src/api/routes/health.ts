import { createRoute } from '@hono/zod-openapi';
import type { IngestPipeline } from '../../ingest/pipeline.js';
import { normalizeFailures } from '../../normalize/index.js';
import { spanBuildFailures } from '../../otlp/decode.js';
import type { Storage } from '../../storage/client.js';
import { VERSION } from '../../version.js';
import { Health, QuarantineList, QuarantineReplay } from '@sightline/contract';
import { guard, guardedResponses, json, router } from './common.js';

export function healthRoutes(deps: {
  storage: Storage;
  pipeline: IngestPipeline;
  rejectedSpans: () => number;
  /** The background jobs' leases of this process, when it runs them. */
  jobs?: (() => Health['jobs']) | undefined;
}) {
  return router()
    .openapi(
      createRoute({
        ...guard('public'),
        method: 'get',
        path: '/health',
        summary: 'Liveness of the collector, its storage and its write queue',
        responses: { 200: json(Health, 'Healthy'), 503: json(Health, 'Storage failing, or the write-ahead log cannot take writes') },
      }),
      async (c) => {
        const ping = await deps.storage.client.ping().catch(() => ({ success: false }));
        const s = deps.pipeline.stats();
        const storageOk = ping.success && s.storageOk;
        const ok = storageOk && s.walError === null;
        const body: Health = {
          status: ok ? 'ok' : 'degraded',
          version: VERSION,
          storage: { kind: deps.storage.kind, ok: storageOk, error: ping.success ? s.storageError : 'storage unreachable' },
          ingest: {
            queuedSpans: s.queuedSpans,
            backlogAgeMs: s.backlogAgeMs,
            walBytes: s.walBytes,
            walError: s.walError,
            inflightBytes: s.inflightBytes,
            acceptedSpans: s.acceptedSpans,
            rejectedSpans: deps.rejectedSpans(),
            duplicateSpans: s.duplicateSpans,
            writtenSpans: s.writtenSpans,
            quarantinedSpans: s.quarantine.rows,
            normalizerFailures: normalizeFailures(),
            spanDecodeFailures: spanBuildFailures(),
          },
        };
        const jobs = deps.jobs?.();
        if (jobs) body.jobs = jobs;
        return c.json(body, ok ? 200 : 503);
      },
    )
    .openapi(
      createRoute({
        ...guard('instance'),
        method: 'get',
        path: '/ingest/quarantine',
        summary: 'Rows ClickHouse refused for their content, set aside with the reason',
        responses: { 200: json(QuarantineList, 'Quarantined rows, oldest first'), ...guardedResponses },
      }),
      (c) => {
        const entries = deps.pipeline.quarantineEntries();
        return c.json({ spans: entries.reduce((n, e) => n + e.rows, 0), entries }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('instance'),
        method: 'post',
        path: '/ingest/quarantine/replay',
        summary: 'Insert the quarantined rows again (after a fix); rows refused again return to the quarantine',
        responses: { 202: json(QuarantineReplay, 'Queued for insertion'), ...guardedResponses },
      }),
      (c) => c.json(deps.pipeline.replayQuarantine(), 202),
    );
}
