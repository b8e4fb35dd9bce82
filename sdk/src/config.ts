/**
 * Configuration precedence, in one pure function: arguments > environment > defaults.
 * Nothing else in the SDK reads process.env, so the precedence is tested here alone.
 */
import type { Redactor } from './redact.js';

export interface Logger {
  warn(message: string): void;
}

export interface InitOptions {
  /** `service.name`. Env: OTEL_SERVICE_NAME, then service.name in OTEL_RESOURCE_ATTRIBUTES. */
  serviceName?: string;
  /**
   * Base OTLP/HTTP endpoint (the SDK appends `/v1/traces`), e.g. `http://localhost:4318`.
   * Env: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is), then OTEL_EXPORTER_OTLP_ENDPOINT.
   */
  endpoint?: string;
  /** Extra export headers; merged over OTEL_EXPORTER_OTLP_HEADERS (arguments win per key). */
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <apiKey>`. Env: SIGHTLINE_API_KEY. */
  apiKey?: string;
  /** `service.version`. Env: SIGHTLINE_RELEASE, then service.version in OTEL_RESOURCE_ATTRIBUTES. */
  release?: string;
  /** `deployment.environment.name`. Env: SIGHTLINE_ENVIRONMENT, then OTEL_RESOURCE_ATTRIBUTES. */
  environment?: string;
  /**
   * Record prompts, completions, tool arguments and results. Default false (as the OTel GenAI
   * instrumentations). Env: SIGHTLINE_CAPTURE_CONTENT or OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT.
   */
  captureContent?: boolean;
  /** Longest captured value, in characters, before truncation. Default 8192. */
  maxContentLength?: number;
  /** Applied to every captured value before it is put on a span. */
  redact?: Redactor;
  /** Fraction of traces kept, 0..1 (parent-based). Default 1. Env: SIGHTLINE_SAMPLE_RATE. */
  sampleRate?: number;
  /** Extra resource attributes; win over OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Record<string, string>;
  /** Spans held in memory while waiting for export; past it spans are dropped and counted. Default 2048. */
  maxQueueSize?: number;
  /** Spans per export request. Default 512. */
  maxExportBatchSize?: number;
  /** Delay between scheduled exports, ms. Default 1000. */
  scheduledDelayMs?: number;
  /** Per-request timeout, ms. Default 10000. */
  exportTimeoutMs?: number;
  /**
   * Epoch-milliseconds clock for span start/end times. Default: the OTel SDK's own clock.
   * For replays and simulations (the demo agent uses it to write history in the past).
   */
  clock?: () => number;
  /** Where the SDK's own few warnings go. Default: console.warn with a `[sightline]` prefix. */
  logger?: Logger;
}

export interface ResolvedConfig {
  serviceName: string;
  tracesUrl: string;
  headers: Record<string, string>;
  resourceAttributes: Record<string, string>;
  captureContent: boolean;
  maxContentLength: number;
  redact: Redactor | undefined;
  sampleRate: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMs: number;
  exportTimeoutMs: number;
  clock: (() => number) | undefined;
  logger: Logger;
}

export const DEFAULT_ENDPOINT = 'http://localhost:4318';
export const DEFAULT_SERVICE_NAME = 'unknown_service:node';
export const DEFAULT_MAX_CONTENT_LENGTH = 8192;

type Env = Record<string, string | undefined>;

export const consoleLogger: Logger = { warn: (m) => console.warn(`[sightline] ${m}`) };

export function resolveConfig(options: InitOptions = {}, env: Env = process.env): ResolvedConfig {
  const envResource = parseKeyValues(nonEmpty(env.OTEL_RESOURCE_ATTRIBUTES));
  const serviceName = options.serviceName ?? nonEmpty(env.OTEL_SERVICE_NAME) ?? envResource['service.name'] ?? DEFAULT_SERVICE_NAME;
  const release = options.release ?? nonEmpty(env.SIGHTLINE_RELEASE) ?? envResource['service.version'];
  const environment = options.environment ?? nonEmpty(env.SIGHTLINE_ENVIRONMENT) ?? envResource['deployment.environment.name'];

  const resourceAttributes: Record<string, string> = { ...envResource, ...options.resourceAttributes };
  resourceAttributes['service.name'] = serviceName;
  if (release !== undefined) resourceAttributes['service.version'] = release;
  if (environment !== undefined) resourceAttributes['deployment.environment.name'] = environment;

  const apiKey = options.apiKey ?? nonEmpty(env.SIGHTLINE_API_KEY);
  const headers = mergeHeaders(
    parseKeyValues(nonEmpty(env.OTEL_EXPORTER_OTLP_HEADERS)),
    parseKeyValues(nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS)),
    apiKey !== undefined ? { Authorization: `Bearer ${apiKey}` } : {},
    options.headers ?? {},
  );

  return {
    serviceName,
    tracesUrl: tracesUrl(options.endpoint, env),
    headers,
    resourceAttributes,
    captureContent:
      options.captureContent ??
      parseBool(env.SIGHTLINE_CAPTURE_CONTENT) ??
      parseBool(env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT) ??
      false,
    maxContentLength: positive(options.maxContentLength) ?? DEFAULT_MAX_CONTENT_LENGTH,
    redact: options.redact,
    sampleRate: clamp01(options.sampleRate ?? parseNumber(env.SIGHTLINE_SAMPLE_RATE) ?? 1),
    maxQueueSize: positive(options.maxQueueSize) ?? 2048,
    maxExportBatchSize: Math.min(positive(options.maxExportBatchSize) ?? 512, positive(options.maxQueueSize) ?? 2048),
    scheduledDelayMs: positive(options.scheduledDelayMs) ?? 1000,
    exportTimeoutMs: positive(options.exportTimeoutMs) ?? 10_000,
    clock: options.clock,
    logger: options.logger ?? consoleLogger,
  };
}

/** An explicit endpoint is a base URL, like OTEL_EXPORTER_OTLP_ENDPOINT; the signal path is appended. */
function tracesUrl(endpoint: string | undefined, env: Env): string {
  if (endpoint !== undefined) return withTracesPath(endpoint);
  const specific = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (specific !== undefined) return specific;
  return withTracesPath(nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) ?? DEFAULT_ENDPOINT);
}

function withTracesPath(base: string): string {
  if (/\/v1\/traces\/?$/.test(base)) return base;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * Header layers merged in order, later ones winning per name regardless of case: an `apiKey`
 * (`Authorization`) replaces an `authorization` from the environment instead of being sent beside it.
 */
function mergeHeaders(...layers: Record<string, string>[]): Record<string, string> {
  const byName = new Map<string, [string, string]>();
  for (const layer of layers) for (const [k, v] of Object.entries(layer)) byName.set(k.toLowerCase(), [k, v]);
  return Object.fromEntries(byName.values());
}

/** The W3C-baggage-like `k=v,k2=v2` format of OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS. */
export function parseKeyValues(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = safeDecode(pair.slice(0, eq).trim());
    const value = safeDecode(pair.slice(eq + 1).trim());
    if (key) out[key] = value;
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function parseBool(v: string | undefined): boolean | undefined {
  const s = nonEmpty(v)?.toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return undefined;
}

function parseNumber(v: string | undefined): number | undefined {
  const s = nonEmpty(v);
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 1;
}
