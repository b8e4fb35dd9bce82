/**
 * Starts a whole collector: storage, migrations, the write path and the HTTP server.
 * main.ts calls it with the environment's config; tests call it with `{ port: 0, dataDir }`.
 */
import { join } from 'node:path';
import { startAlerts, type Alerts } from './alerts/scheduler.js';
import { loadConfig, type Config } from './config.js';
import { DriftEngine, DriftScheduler } from './drift/index.js';
import { IngestPipeline } from './ingest/pipeline.js';
import { createLogger, type Logger } from './logger.js';
import { startGrpcReceiver, type RunningGrpcReceiver } from './otlp/grpc.js';
import { createApp, listen, otlpSink } from './server.js';
import { openStorage, type Storage } from './storage/client.js';
import { applyRetention, migrate } from './storage/migrate.js';

export interface RunningCollector {
  /** Base URL, e.g. http://127.0.0.1:4318 — OTLP at /v1/traces, the API at /api. */
  url: string;
  port: number;
  /** Port of the OTLP/gRPC receiver, when it runs. */
  grpcPort: number | undefined;
  config: Config;
  storage: Storage;
  pipeline: IngestPipeline;
  /** Alert rules, evaluation and notifications; the drift engine registers itself with `alerts.setDriftSource`. */
  alerts: Alerts;
  /** Drift reports; `drift.caughtUp()` resolves when its background catch-up is done. */
  drift: DriftEngine;
  /** Stops accepting, drains the write queue into ClickHouse, closes storage. Idempotent. */
  stop(): Promise<void>;
}

export async function startCollector(overrides: Partial<Config> = {}, logger?: Logger): Promise<RunningCollector> {
  const config: Config = { ...loadConfig({}), ...overrides };
  const log = logger ?? createLogger(config.logLevel);
  const storage = await openStorage(config);
  let pipeline: IngestPipeline | undefined;
  let alerts: Alerts | undefined;
  let grpc: RunningGrpcReceiver | undefined;
  try {
    const applied = await migrate(storage.client);
    if (applied.length > 0) log.info('applied migrations', { versions: applied });
    await applyRetention(storage.client, config.retentionDays);
    pipeline = await IngestPipeline.start(storage, {
      batchMaxSpans: config.batchMaxSpans,
      flushIntervalMs: config.flushIntervalMs,
      queueMaxSpans: config.queueMaxSpans,
      walDir: config.wal ? join(config.dataDir, 'wal') : undefined,
      quarantineDir: join(config.dataDir, 'quarantine'),
      dedupCapacity: config.dedupCapacity,
      maxInflightBytes: config.maxInflightBytes,
      logger: log,
    });
    alerts = startAlerts({ client: storage.client, logger: log, dashboardUrl: config.dashboardUrl, tickMs: config.alertsTickMs });
    const drift = new DriftEngine(storage.client, {}, log);
    alerts.setDriftSource(drift); // drift rules read the hourly verdicts
    const sink = otlpSink(pipeline);
    const app = createApp({ config, storage, pipeline, client: storage.client, logger: log, alerts, drift, sink });
    const server = await listen(app, config.host, config.port);
    const connectHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    const url = `http://${connectHost}:${server.port}`;
    // An HTTP port of 0 (tests, several collectors at once) asks for an ephemeral gRPC port too.
    const grpcPort = overrides.grpcPort !== undefined || config.port !== 0 ? config.grpcPort : 0;
    grpc =
      grpcPort === null
        ? undefined
        : await startGrpcReceiver({ sink, maxMessageBytes: config.maxBodyBytes, logger: log }, config.host, grpcPort);
    log.info('collector listening', {
      url,
      otlp: `${url}/v1/traces`,
      ...(grpc ? { otlpGrpc: `${connectHost}:${grpc.port}` } : {}),
      api: `${url}/api`,
      storage: storage.kind,
    });
    const driftScheduler = new DriftScheduler(drift, log);
    driftScheduler.start();
    const running = pipeline;
    const runningGrpc = grpc;
    const runningAlerts = alerts;
    let stopping: Promise<void> | undefined;
    return {
      url,
      port: server.port,
      config,
      storage,
      pipeline: running,
      grpcPort: runningGrpc?.port,
      alerts: runningAlerts,
      drift,
      stop: () =>
        (stopping ??= (async () => {
          await Promise.all([server.close(), runningGrpc?.close()]);
          await runningAlerts.stop();
          await driftScheduler.stop();
          await drift.caughtUp(); // a background catch-up started by an API call
          await running.stop();
          await storage.close();
          log.info('collector stopped');
        })()),
    };
  } catch (e) {
    await grpc?.close().catch(() => undefined);
    await alerts?.stop().catch(() => undefined);
    await pipeline?.stop().catch(() => undefined);
    await storage.close().catch(() => undefined);
    throw e;
  }
}

export type { Config } from './config.js';
export { loadConfig } from './config.js';
