import { createRoute } from '@hono/zod-openapi';
import { Health } from '@sightline/contract';
import type { IngestPipeline } from '../../ingest/pipeline.js';
import type { Storage } from '../../storage/client.js';
import { VERSION } from '../../version.js';
import { json, router } from './common.js';

export function healthRoutes(deps: { storage: Storage; pipeline: IngestPipeline; rejectedSpans: () => number }) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/health',
      summary: 'Liveness of the collector, its storage and its write queue',
      responses: { 200: json(Health, 'Healthy'), 503: json(Health, 'Storage unreachable') },
    }),
    async (c) => {
      const ping = await deps.storage.client.ping().catch(() => ({ success: false }));
      const s = deps.pipeline.stats();
      const ok = ping.success && s.storageOk;
      const body: Health = {
        status: ok ? 'ok' : 'degraded',
        version: VERSION,
        storage: { kind: deps.storage.kind, ok: ping.success },
        ingest: {
          queuedSpans: s.queuedSpans,
          walBytes: s.walBytes,
          acceptedSpans: s.acceptedSpans,
          rejectedSpans: deps.rejectedSpans(),
          duplicateSpans: s.duplicateSpans,
          writtenSpans: s.writtenSpans,
        },
      };
      return c.json(body, ok ? 200 : 503);
    },
  );
}
