/**
 * Every environment variable the collector reads, in one zod schema.
 * `loadConfig(env)` is the only place that touches process.env; everything else receives a Config.
 */
import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { Email, PASSWORD_MIN_LENGTH, ProjectId, ProjectRole } from '@sightline/contract';
import { parseSecretKey } from './alerts/secret-box.js';
import { TargetPolicy } from './alerts/targets.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const DEFAULT_GRPC_PORT = 4317;

export const ConfigSchema = z
  .object({
    SIGHTLINE_HOST: z.string().default('127.0.0.1'),
    SIGHTLINE_OTLP_PORT: int(0, 65535).default(4318),
    // OTLP/gRPC (traces); SIGHTLINE_OTLP_GRPC=false turns it off.
    SIGHTLINE_OTLP_GRPC_PORT: int(0, 65535).optional(),
    SIGHTLINE_OTLP_GRPC: bool.default(true),
    SIGHTLINE_DATA_DIR: z.string().default('./.sightline/data'),
    SIGHTLINE_CLICKHOUSE_URL: z.url().optional(),
    SIGHTLINE_CLICKHOUSE_USER: z.string().default('default'),
    SIGHTLINE_CLICKHOUSE_PASSWORD: z.string().default(''),
    // An identifier, not a user string: DDL cannot take it as a query parameter.
    SIGHTLINE_CLICKHOUSE_DATABASE: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/)
      .default('sightline'),
    // An existing ClickHouse cluster (a name in the servers' remote_servers): the schema is created
    // ON CLUSTER with Replicated and Distributed tables (README, "Scale out"). An identifier, as
    // it goes into DDL text; a server (SIGHTLINE_CLICKHOUSE_URL) is required.
    SIGHTLINE_CLICKHOUSE_CLUSTER: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'an identifier: letters, digits and _, not starting with a digit')
      .optional(),
    SIGHTLINE_RETENTION_DAYS: int(1, 3650).default(30),
    SIGHTLINE_MAX_BODY_BYTES: int(1024, 256 * 1024 * 1024).default(8 * 1024 * 1024),
    SIGHTLINE_BATCH_MAX_SPANS: int(1, 1_000_000).default(20_000),
    SIGHTLINE_FLUSH_INTERVAL_MS: int(10, 60_000).default(1000),
    SIGHTLINE_QUEUE_MAX_SPANS: int(1000, 10_000_000).default(200_000),
    // Request bytes being received and decoded at once; past it, senders get 429 before their body is read.
    SIGHTLINE_MAX_INFLIGHT_BYTES: int(64 * 1024, 4 * 1024 * 1024 * 1024).default(32 * 1024 * 1024),
    SIGHTLINE_WAL: bool.default(true),
    SIGHTLINE_PRICE_AT_INGEST: bool.default(true),
    SIGHTLINE_DEDUP_CAPACITY: int(0, 50_000_000).default(2_000_000),
    SIGHTLINE_CORS_ORIGINS: z.string().default('*'),
    SIGHTLINE_DASHBOARD_URL: z.url().default('http://localhost:3000'),
    // Key sealing alert channel secrets at rest (32 bytes, hex or base64); unset: <data dir>/secret.key.
    SIGHTLINE_SECRET_KEY: z
      .string()
      .optional()
      .refine((s) => s === undefined || parseSecretKey(s) !== undefined, '32 bytes, as 64 hex digits or base64'),
    // Internal hosts or CIDRs alert notifications may go to (all loopback, private, link-local and metadata ones are refused).
    SIGHTLINE_WEBHOOK_ALLOWED_HOSTS: z
      .string()
      .default('')
      .refine((s) => {
        try {
          new TargetPolicy(s);
          return true;
        } catch {
          return false;
        }
      }, 'a comma-separated list of hosts, IP addresses and CIDRs'),
    // How often alert rules are checked for being due (each rule has its own interval); 0 turns evaluation off.
    SIGHTLINE_ALERTS_TICK_MS: int(0, 3_600_000).default(15_000),
    // Collectors sharing one database run the background jobs one at a time, under leases of this TTL;
    // the leases are safe while the collectors' clocks differ by less than the skew bound.
    SIGHTLINE_JOB_LEASE_TTL_MS: int(3_000, 600_000).default(30_000),
    SIGHTLINE_MAX_CLOCK_SKEW_MS: int(0, 60_000).default(2_000),
    // Credentials: `auto` leaves a loopback-bound collector open (the local two-command start) and
    // requires an API key (or a signed-in user) on any other address; `required` requires them always.
    SIGHTLINE_AUTH: z.enum(['auto', 'required']).default('auto'),
    // An admin key of the default project that may also create projects and keys (hashed at start, never stored).
    SIGHTLINE_BOOTSTRAP_API_KEY: z
      .string()
      .regex(/^sl_[a-z0-9]{4,32}_[A-Za-z0-9_-]{32,128}$/, 'sl_<4-32 lowercase letters or digits>_<32-128 characters of A-Z a-z 0-9 _ ->')
      .optional(),
    // A file holding the bootstrap key (created with a random key at first start when absent); the variable above wins.
    SIGHTLINE_BOOTSTRAP_API_KEY_FILE: z.string().optional(),
    // Spans per minute each project may send, unless the project sets its own; 0: unlimited.
    SIGHTLINE_PROJECT_QUOTA_SPANS_PER_MINUTE: int(0, 1_000_000_000).default(0),
    // How long a collector trusts a key it has read: a key revoked on another collector is refused here after at most this.
    SIGHTLINE_KEY_CACHE_TTL_MS: int(0, 3_600_000).default(30_000),
    SIGHTLINE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    // The first admin (created at start when missing), and how long a sign-in lasts.
    SIGHTLINE_ADMIN_EMAIL: Email.optional(),
    SIGHTLINE_ADMIN_PASSWORD: z.string().min(PASSWORD_MIN_LENGTH).max(1024).optional(),
    SIGHTLINE_SESSION_TTL_HOURS: int(1, 24 * 90).default(24 * 7),
    // OpenID Connect single sign-on: on when the issuer is set.
    SIGHTLINE_OIDC_ISSUER: z.url().optional(),
    SIGHTLINE_OIDC_CLIENT_ID: z.string().optional(),
    SIGHTLINE_OIDC_CLIENT_SECRET: z.string().optional(),
    SIGHTLINE_OIDC_REDIRECT_URL: z.url().optional(),
    SIGHTLINE_OIDC_ALLOWED_DOMAINS: z.string().default(''),
    SIGHTLINE_OIDC_DEFAULT_ROLE: ProjectRole.default('viewer'),
    SIGHTLINE_OIDC_PROJECT: ProjectId.default('default'),
  })
  .refine((e) => (e.SIGHTLINE_ADMIN_EMAIL === undefined) === (e.SIGHTLINE_ADMIN_PASSWORD === undefined), {
    path: ['SIGHTLINE_ADMIN_PASSWORD'],
    message: 'SIGHTLINE_ADMIN_EMAIL and SIGHTLINE_ADMIN_PASSWORD go together',
  })
  .refine((e) => !e.SIGHTLINE_OIDC_ISSUER || (e.SIGHTLINE_OIDC_CLIENT_ID && e.SIGHTLINE_OIDC_CLIENT_SECRET), {
    path: ['SIGHTLINE_OIDC_CLIENT_ID'],
    message: 'SIGHTLINE_OIDC_ISSUER needs SIGHTLINE_OIDC_CLIENT_ID and SIGHTLINE_OIDC_CLIENT_SECRET',
  })
  .refine((e) => !e.SIGHTLINE_CLICKHOUSE_CLUSTER || e.SIGHTLINE_CLICKHOUSE_URL, {
    path: ['SIGHTLINE_CLICKHOUSE_CLUSTER'],
    message: 'a cluster needs a ClickHouse server: set SIGHTLINE_CLICKHOUSE_URL (one node of the cluster)',
  })
  .refine((e) => e.SIGHTLINE_MAX_CLOCK_SKEW_MS * 3 <= e.SIGHTLINE_JOB_LEASE_TTL_MS, {
    path: ['SIGHTLINE_MAX_CLOCK_SKEW_MS'],
    message: 'must be at most a third of SIGHTLINE_JOB_LEASE_TTL_MS',
  })
  .transform((e) => ({
    host: e.SIGHTLINE_HOST,
    port: e.SIGHTLINE_OTLP_PORT,
    grpcPort: e.SIGHTLINE_OTLP_GRPC ? (e.SIGHTLINE_OTLP_GRPC_PORT ?? DEFAULT_GRPC_PORT) : null,
    // Asked for by name: a port that cannot be bound stops the collector. The default only warns.
    grpcPortRequired: e.SIGHTLINE_OTLP_GRPC_PORT !== undefined,
    dataDir: resolve(e.SIGHTLINE_DATA_DIR),
    clickhouse: e.SIGHTLINE_CLICKHOUSE_URL
      ? {
          kind: 'server' as const,
          url: e.SIGHTLINE_CLICKHOUSE_URL,
          user: e.SIGHTLINE_CLICKHOUSE_USER,
          password: e.SIGHTLINE_CLICKHOUSE_PASSWORD,
          database: e.SIGHTLINE_CLICKHOUSE_DATABASE,
          cluster: e.SIGHTLINE_CLICKHOUSE_CLUSTER,
        }
      : { kind: 'embedded' as const, database: e.SIGHTLINE_CLICKHOUSE_DATABASE },
    retentionDays: e.SIGHTLINE_RETENTION_DAYS,
    priceAtIngest: e.SIGHTLINE_PRICE_AT_INGEST,
    maxBodyBytes: e.SIGHTLINE_MAX_BODY_BYTES,
    batchMaxSpans: e.SIGHTLINE_BATCH_MAX_SPANS,
    flushIntervalMs: e.SIGHTLINE_FLUSH_INTERVAL_MS,
    queueMaxSpans: e.SIGHTLINE_QUEUE_MAX_SPANS,
    maxInflightBytes: e.SIGHTLINE_MAX_INFLIGHT_BYTES,
    wal: e.SIGHTLINE_WAL,
    dedupCapacity: e.SIGHTLINE_DEDUP_CAPACITY,
    corsOrigins: e.SIGHTLINE_CORS_ORIGINS,
    dashboardUrl: e.SIGHTLINE_DASHBOARD_URL,
    webhookAllowedHosts: e.SIGHTLINE_WEBHOOK_ALLOWED_HOSTS,
    secretKey: e.SIGHTLINE_SECRET_KEY,
    alertsTickMs: e.SIGHTLINE_ALERTS_TICK_MS,
    jobLeaseTtlMs: e.SIGHTLINE_JOB_LEASE_TTL_MS,
    maxClockSkewMs: e.SIGHTLINE_MAX_CLOCK_SKEW_MS,
    projectQuotaSpansPerMinute: e.SIGHTLINE_PROJECT_QUOTA_SPANS_PER_MINUTE,
    logLevel: e.SIGHTLINE_LOG_LEVEL,
    auth: <AuthSettings>{
      // The open local mode only where nothing but this machine can connect.
      required: e.SIGHTLINE_AUTH === 'required' || !isLoopbackHost(e.SIGHTLINE_HOST),
      bootstrapApiKey: e.SIGHTLINE_BOOTSTRAP_API_KEY,
      bootstrapApiKeyFile: e.SIGHTLINE_BOOTSTRAP_API_KEY_FILE === undefined ? undefined : resolve(e.SIGHTLINE_BOOTSTRAP_API_KEY_FILE),
      keyCacheTtlMs: e.SIGHTLINE_KEY_CACHE_TTL_MS,
      adminEmail: e.SIGHTLINE_ADMIN_EMAIL,
      adminPassword: e.SIGHTLINE_ADMIN_PASSWORD,
      sessionTtlMs: e.SIGHTLINE_SESSION_TTL_HOURS * 3_600_000,
      oidc: e.SIGHTLINE_OIDC_ISSUER
        ? {
            issuer: e.SIGHTLINE_OIDC_ISSUER,
            clientId: e.SIGHTLINE_OIDC_CLIENT_ID ?? '',
            clientSecret: e.SIGHTLINE_OIDC_CLIENT_SECRET ?? '',
            redirectUrl: e.SIGHTLINE_OIDC_REDIRECT_URL ?? `${e.SIGHTLINE_DASHBOARD_URL.replace(/\/+$/, '')}/auth/oidc/callback`,
            allowedDomains: e.SIGHTLINE_OIDC_ALLOWED_DOMAINS.split(',')
              .map((d) => d.trim().toLowerCase())
              .filter(Boolean),
            provisionRole: e.SIGHTLINE_OIDC_DEFAULT_ROLE,
            provisionProject: e.SIGHTLINE_OIDC_PROJECT,
          }
        : undefined,
    },
  }));

/** Whether the collector listens on this machine only (the open local mode is possible only then). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (h.toLowerCase() === 'localhost') return true;
  if (!ipaddr.isValid(h)) return false; // a name that may resolve anywhere
  return ipaddr.process(h).range() === 'loopback';
}

/**
 * Who may call, and how users sign in. The sign-in fields are optional so that a test (or an
 * embedding) can ask for `{ required, keyCacheTtlMs }` alone: no first admin, the default session
 * length, no single sign-on.
 */
export interface AuthSettings {
  required: boolean;
  bootstrapApiKey?: string | undefined;
  /** Where the bootstrap key is read from, or written with a random key at first start. */
  bootstrapApiKeyFile?: string | undefined;
  keyCacheTtlMs: number;
  adminEmail?: string | undefined;
  adminPassword?: string | undefined;
  sessionTtlMs?: number | undefined;
  oidc?: OidcSettings | undefined;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  /** Email domains whose users get an account at their first SSO sign-in. */
  allowedDomains: string[];
  provisionRole: 'admin' | 'member' | 'viewer';
  provisionProject: string;
}

export const DEFAULT_SESSION_TTL_MS = 7 * 24 * 3_600_000;

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError that names every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('SIGHTLINE_') && v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(relevant);
  if (!parsed.success) throw new ConfigError(`invalid configuration:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
