/**
 * Starts a whole collector: storage, migrations, the write path and the HTTP server.
 * main.ts calls it with the environment's config; tests call it with `{ port: 0, dataDir }`.
 */
import { join } from 'node:path';
import { startAlerts, type Alerts } from './alerts/scheduler.js';
import { RequestAuth, type CallerRequest } from './auth/caller.js';
import { loadBootstrapKeyFile } from './auth/bootstrap-key-file.js';
import { bootstrapKey, keyResolver } from './auth/key-resolver.js';
import { KeyStore } from './auth/key-store.js';
import { ProjectStore } from './auth/project-store.js';
import { startAccounts, type Accounts } from './auth/accounts.js';
import { sessionResolver } from './auth/session-resolver.js';
import type { ScryptCost } from './auth/users/passwords.js';
import { IngestQuota } from './ingest/quota.js';
import { isSealed, loadSecretBox } from './alerts/secret-box.js';
import { loadConfig, type Config } from './config.js';
import { DriftEngine, DriftScheduler } from './drift/index.js';
import { LogWriter } from './ingest/log-writer.js';
import { IngestPipeline } from './ingest/pipeline.js';
import { JOBS, JobLeases } from './jobs/job-leases.js';
import { createLogger, type Logger } from './logger.js';
import type { Metadata } from '@grpc/grpc-js';
import { PROJECT_HEADER } from '@sightline/contract';
import { startGrpcReceiver, type RunningGrpcReceiver } from './otlp/grpc.js';
import { startPricing, type Pricing } from './pricing/index.js';
import { createApp, listen, otlpSink } from './server.js';
import { openStorage, type Storage } from './storage/client.js';
import { applyRetention, migrate } from './storage/migrate.js';
import { MIGRATIONS } from './storage/migrations/index.js';

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
  /** Custom prices and the span pricer (cost in dollars). */
  pricing: Pricing;
  /** Who is calling: `auth.use(resolver)` adds a credential scheme (user sessions are one). */
  auth: RequestAuth;
  projects: ProjectStore;
  keys: KeyStore;
  /** Users, their sessions and roles, the audit log. */
  accounts: Accounts;
  /** Stops accepting, drains the write queue into ClickHouse, closes storage. Idempotent. */
  stop(): Promise<void>;
}

export interface CollectorOptions {
  /** The scrypt cost of password hashes: tests that sign in often pass a cheaper one. */
  passwordCost?: ScryptCost;
}

export async function startCollector(
  overrides: Partial<Config> = {},
  logger?: Logger,
  options: CollectorOptions = {},
): Promise<RunningCollector> {
  const config: Config = { ...loadConfig({}), ...overrides };
  const log = logger ?? createLogger(config.logLevel);
  const storage = await openStorage(config);
  let pipeline: IngestPipeline | undefined;
  let alerts: Alerts | undefined;
  let leases: JobLeases | undefined;
  let grpc: RunningGrpcReceiver | undefined;
  let logWriter: LogWriter | undefined;
  let pricing: Pricing | undefined;
  let keys: KeyStore | undefined;
  try {
    // On a cluster: the head schema ON CLUSTER, in a new database (README, "Scale out").
    const cluster = storage.cluster ? { cluster: storage.cluster, database: config.clickhouse.database } : undefined;
    const applied = await migrate(storage.client, MIGRATIONS, { cluster });
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
    // Background jobs run in one collector per database at a time: the first round claims what is free.
    const secrets = loadSecretBox(config.secretKey, config.dataDir);
    const accounts = await startAccounts({
      config,
      client: storage.client,
      logger: log,
      ...(options.passwordCost ? { passwordCost: options.passwordCost } : {}),
      // Only what this key sealed opens: an unsealed SSO flow is not one the collector started.
      sealer: {
        seal: (plain) => secrets.seal(plain),
        open: (sealed) => {
          if (!isSealed(sealed)) throw new Error('not sealed');
          return secrets.open(sealed);
        },
      },
    });
    leases = new JobLeases({
      client: storage.client,
      logger: log,
      ttlMs: config.jobLeaseTtlMs,
      maxClockSkewMs: config.maxClockSkewMs,
      replicated: storage.cluster !== undefined,
    });
    await leases.start();
    alerts = startAlerts({
      client: storage.client,
      logger: log,
      dashboardUrl: config.dashboardUrl,
      tickMs: config.alertsTickMs,
      webhookAllowedHosts: config.webhookAllowedHosts,
      secrets,
      lease: leases.lease(JOBS.alerts),
    });
    const drift = new DriftEngine(storage.client, {}, log);
    alerts.setDriftSource(drift); // drift rules read the hourly verdicts
    logWriter = new LogWriter((r) => storage.insertRaw(r));
    pricing = await startPricing(storage.client, log);
    const projects = new ProjectStore(storage.client);
    keys = new KeyStore(storage.client, { ttlMs: config.auth.keyCacheTtlMs });
    keys.start();
    // Credentials: project API keys (Bearer), then signed-in users' session tokens (Session).
    const auth = new RequestAuth(config.auth.required ? 'required' : 'open', [
      keyResolver(keys, bootstrapKey(bootstrapKeyOf(config, log))),
      sessionResolver(accounts.authenticator),
    ]);
    const quota = new IngestQuota(async (projectId) => {
      const own = (await projects.get(projectId))?.quotaSpansPerMinute;
      return own ?? config.projectQuotaSpansPerMinute;
    });
    // Off: model calls are stored unpriced (a recompute prices them); the ingest benchmark's A/B of pricing.
    const sink = otlpSink(pipeline, logWriter, config.priceAtIngest ? pricing.pricer : undefined, quota);
    const app = createApp({
      config,
      storage,
      pipeline,
      client: storage.client,
      logger: log,
      alerts,
      drift,
      sink,
      leases,
      pricing,
      auth,
      projects,
      keys,
      accounts,
      // Key creation and revocation and new projects go to the audit log, by whoever did them.
      audit: (e) => void accounts.audit.record(e.actor, { projectId: e.projectId, action: e.action, target: e.keyId ?? e.projectId }),
    });
    const server = await listen(app, config.host, config.port);
    const connectHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    const url = `http://${connectHost}:${server.port}`;
    // An HTTP port of 0 (tests, several collectors at once) asks for an ephemeral gRPC port too.
    const grpcPort = overrides.grpcPort !== undefined || config.port !== 0 ? config.grpcPort : 0;
    grpc =
      grpcPort === null
        ? undefined
        : await startGrpc(
            {
              sink,
              maxMessageBytes: config.maxBodyBytes,
              logger: log,
              authorize: (metadata) => auth.ingestProject(metadataCaller(metadata)),
            },
            config,
            grpcPort,
            log,
          );
    log.info('collector listening', {
      url,
      otlp: `${url}/v1/traces`,
      otlpLogs: `${url}/v1/logs`,
      ...(grpc ? { otlpGrpc: `${connectHost}:${grpc.port}` } : {}),
      api: `${url}/api`,
      storage: storage.kind,
      // Whether requests without credentials are served (open local mode) or refused.
      auth: auth.mode === 'open' ? 'open on loopback (no credentials needed)' : 'credentials required',
    });
    const driftLease = leases.lease(JOBS.drift);
    drift.gateCatchUps(() => driftLease.holds());
    const driftScheduler = new DriftScheduler(drift, log, undefined, driftLease);
    driftScheduler.start();
    const running = pipeline;
    const runningGrpc = grpc;
    const runningAlerts = alerts;
    const runningLogs = logWriter;
    const runningLeases = leases;
    const runningPricing = pricing;
    const runningKeys = keys;
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
      pricing: runningPricing,
      auth,
      projects,
      keys: runningKeys,
      accounts,
      stop: () =>
        (stopping ??= (async () => {
          await Promise.all([server.close(), runningGrpc?.close()]);
          await runningAlerts.stop();
          runningPricing.stop();
          await driftScheduler.stop();
          await drift.caughtUp(); // a background catch-up started by an API call
          await runningLeases.stop(); // the jobs have stopped: hand them over at once
          await runningKeys.stop(); // last-use times
          await running.stop();
          await runningLogs.stop();
          await storage.close();
          log.info('collector stopped');
        })()),
    };
  } catch (e) {
    pricing?.stop();
    await grpc?.close().catch(() => undefined);
    await alerts?.stop().catch(() => undefined);
    await leases?.stop().catch(() => undefined);
    await keys?.stop().catch(() => undefined);
    await pipeline?.stop().catch(() => undefined);
    await storage.close().catch(() => undefined);
    throw e;
  }
}

/**
 * The default gRPC port is often taken on a laptop (a local OpenTelemetry Collector listens on 4317
 * too): then the collector runs without gRPC and says so, rather than not starting at all. A port
 * asked for by name (SIGHTLINE_OTLP_GRPC_PORT, or a test's override) must bind.
 */
async function startGrpc(
  opts: Parameters<typeof startGrpcReceiver>[0],
  config: Config,
  port: number,
  log: Logger,
): Promise<RunningGrpcReceiver | undefined> {
  try {
    return await startGrpcReceiver(opts, config.host, port);
  } catch (error) {
    if (config.grpcPortRequired || port === 0) throw error;
    log.warn('OTLP/gRPC receiver not started: its port is unavailable; set SIGHTLINE_OTLP_GRPC_PORT to another port', { port, error });
    return undefined;
  }
}

/** SIGHTLINE_BOOTSTRAP_API_KEY, else the key in SIGHTLINE_BOOTSTRAP_API_KEY_FILE (written at first start). */
function bootstrapKeyOf(config: Config, log: Logger): string | undefined {
  const { bootstrapApiKey, bootstrapApiKeyFile } = config.auth;
  return bootstrapApiKey ?? (bootstrapApiKeyFile === undefined ? undefined : loadBootstrapKeyFile(bootstrapApiKeyFile, log));
}

/** A gRPC call's metadata as credentials (the path is the OTLP service's, never the Langfuse one). */
function metadataCaller(metadata: Metadata): CallerRequest {
  const text = (name: string) => {
    const v = metadata.get(name)[0];
    return typeof v === 'string' ? v : undefined;
  };
  return { authorization: text('authorization'), project: text(PROJECT_HEADER), path: '' };
}

export type { Config } from './config.js';
export { loadConfig } from './config.js';
