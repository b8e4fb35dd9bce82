/**
 * A gRPC port that is taken: the default one (a local OpenTelemetry Collector often holds 4317)
 * leaves the collector running without gRPC; one asked for by name stops it with the error.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { startCollector } from '../index.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir();
let taken: Server;
let takenPort: number;

beforeAll(async () => {
  taken = createServer();
  takenPort = await new Promise<number>((resolve) =>
    taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)),
  );
});
afterAll(async () => {
  await new Promise((r) => taken.close(r));
  tmp.remove();
});

describe('the gRPC port', () => {
  it('runs without gRPC when the default port is taken', async () => {
    const c = await startCollector(
      { port: 0, dataDir: tmp.dir, alertsTickMs: 0, grpcPort: takenPort, grpcPortRequired: false },
      silentLogger,
    );
    try {
      expect(c.grpcPort).toBeUndefined();
      expect((await fetch(`${c.url}/api/health`)).status).toBe(200);
    } finally {
      await c.stop();
    }
  });

  it('refuses to start when a port asked for by name is taken', async () => {
    await expect(
      startCollector({ port: 0, dataDir: tmp.dir, alertsTickMs: 0, grpcPort: takenPort, grpcPortRequired: true }, silentLogger),
    ).rejects.toThrow();
  });
});
