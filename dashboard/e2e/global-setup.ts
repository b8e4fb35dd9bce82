/**
 * Once per e2e run: build the dashboard and serve it with `next start`, pointed at a collector
 * port chosen here. The test file starts the real collector on that port itself, so it can also
 * stop it (the "collector down" test) — chDB allows one engine per process, and that process is
 * the test worker.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { acquireRunLock, buildDashboard, freePort, startDashboard } from './processes';

export const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    dashboardUrl: string;
    collectorPort: number;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set SIGHTLINE_CHROMIUM`);
  const release = await acquireRunLock();
  try {
    const collectorPort = await freePort();
    await buildDashboard();
    const dashboard = await startDashboard(`http://127.0.0.1:${collectorPort}`);
    project.provide('dashboardUrl', dashboard.url);
    project.provide('collectorPort', collectorPort);
    return async () => {
      await dashboard.stop();
      await release();
    };
  } catch (err) {
    await release();
    throw err;
  }
}
