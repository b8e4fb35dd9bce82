/**
 * "Run the drift check now" with several collectors on one database: only the holder of the drift
 * lease runs it; another answers 503 (a load balancer retries elsewhere) instead of checking twice.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DriftCheckResult, ErrorBody } from '@sightline/contract';
import type { AuthEnv } from '../../auth/context.js';
import { DriftEngine } from '../../drift/engine.js';
import { Lease } from '../../jobs/lease.js';
import { silentLogger } from '../../logger.js';
import type { Storage } from '../../storage/client.js';
import { openMigrated, tempDataDir } from '../../test-support/temp-storage.js';
import { handleError } from '../error-handler.js';
import { driftRoutes } from './drift.js';

const tmp = tempDataDir('sightline-drift-lease-route-');
let storage: Storage;
beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

it('POST /drift/check runs in the drift lease holder and is refused with 503 by a standby', async () => {
  const collector = (holder: string) => {
    const lease = new Lease(storage.client, { job: 'drift', holder });
    const app = new Hono<AuthEnv>();
    app.use('*', async (c, next) => {
      c.set('principal', { kind: 'local' });
      c.set('projectId', 'default');
      await next();
    });
    app.route('/api', driftRoutes({ drift: new DriftEngine(storage.client, {}, silentLogger), lease }));
    app.onError(handleError(silentLogger));
    return { lease, check: () => app.request('/api/drift/check', { method: 'POST' }) };
  };
  const holder = collector('holder');
  const standby = collector('standby');
  expect(await holder.lease.tick()).toBe(true);
  expect(await standby.lease.tick()).toBe(false);

  const refused = await standby.check();
  expect(refused.status).toBe(503);
  expect(ErrorBody.parse(await refused.json()).error.code).toBe('unavailable');
  const ran = await holder.check();
  expect(ran.status).toBe(200);
  DriftCheckResult.parse(await ran.json());
}, 120_000);
