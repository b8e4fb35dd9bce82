/**
 * POST /v1/traces and /v1/logs: the OTLP/HTTP receivers.
 * authorize → content type → body (limits, gzip) → decode → normalize → sink → OTLP response.
 * Every failure is answered in OTLP form (response.ts) in the request's encoding.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { cors } from 'hono/cors';
import { DEFAULT_PROJECT_ID } from '../auth/principal.js';
import { SightlineError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ACCEPTED_ENCODINGS, readRequestBody } from './body.js';
import type { OtlpFormat } from './decode.js';
import { logReceiver } from './receive-logs.js';
import { traceReceiver, type OtlpSink } from './receive-traces.js';
import { encodeErrorResponse, encodeExportResponse, type EncodedBody, type OtlpSignal } from './response.js';

/** The seam the receiver writes to; `recordRejected` (optional) counts spans dropped by validation. */
export type { OtlpSink } from './receive-traces.js';

export interface OtlpRoutesOptions {
  /** Limit on the request body, both as received and after decompression. */
  maxBodyBytes: number;
  sink: OtlpSink;
  /**
   * Called first on every export: the project the request's credentials send to. Throw a
   * SightlineError (401, 403, 429) to refuse the request. Without it every export goes to the
   * default project (the open local mode).
   */
  authorize?: (req: Request) => Promise<string> | string;
  /** Allowed browser origins: '*', one origin, a comma-separated list, or an array. Default '*'. */
  corsOrigins?: string | readonly string[];
  /** Where bugs met by single spans (decode or normalizer exceptions) are reported, rate-limited. */
  logger?: Logger;
}

/** At most one log line per kind of span-level bug per this interval; the counters see them all. */
export const TRACES_PATH = '/v1/traces';
/**
 * Langfuse's OTel SDK posts to `${LANGFUSE_BASE_URL}/api/public/otel/v1/traces`: serving the same
 * receiver there lets a Langfuse user switch to Sightline by changing the base URL alone.
 */
export const LANGFUSE_TRACES_PATH = '/api/public/otel/v1/traces';
const RECEIVER_PATHS = [TRACES_PATH, LANGFUSE_TRACES_PATH] as const;
export const LOGS_PATH = '/v1/logs';

/**
 * Request headers browser exporters send: @opentelemetry/exporter-trace-otlp-http/-proto set
 * Content-Type plus whatever `headers` the user configured (typically Authorization);
 * fetch/XHR instrumentation may add trace-context headers to the exporter's own requests.
 */
const CORS_ALLOW_HEADERS = [
  'content-type',
  'content-encoding',
  'authorization',
  'x-sightline-project',
  'accept',
  'traceparent',
  'tracestate',
  'baggage',
];

/** The OTLP format of a Content-Type (parameters such as charset ignored), or undefined. */
export function otlpFormatOf(contentType: string | null): OtlpFormat | undefined {
  const media = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

/** The bytes a request will hold: its Content-Length when declared and within the limit, else the limit. */
function declaredLength(req: Request, maxBodyBytes: number): number {
  const n = Number(req.headers.get('content-length') ?? NaN);
  return Number.isSafeInteger(n) && n >= 0 && n <= maxBodyBytes ? n : maxBodyBytes;
}

function corsOrigin(origins: string | readonly string[] | undefined): string | string[] {
  if (origins === undefined) return '*';
  const list = typeof origins === 'string' ? origins.split(',') : [...origins];
  const trimmed = list.map((o) => o.trim()).filter((o) => o !== '');
  if (trimmed.length === 0 || trimmed.includes('*')) return '*';
  return trimmed;
}

export function createOtlpRoutes(opts: OtlpRoutesOptions): Hono {
  const app = new Hono();
  const traces = traceReceiver(opts.sink, opts.logger);
  const acceptLogs = opts.sink.acceptLogs?.bind(opts.sink);
  const logs = acceptLogs ? logReceiver({ acceptLogs }) : undefined;

  const corsMiddleware = cors({
    origin: corsOrigin(opts.corsOrigins),
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders: CORS_ALLOW_HEADERS,
    exposeHeaders: ['retry-after'],
    maxAge: 600,
  });
  const receive = async (c: Context, signal: OtlpSignal) => {
    const req = c.req.raw;
    const format = otlpFormatOf(req.headers.get('content-type'));
    const send = (status: number, encoded: EncodedBody, headers: Record<string, string> = {}) =>
      c.body(encoded.body, status as ContentfulStatusCode, { ...headers, 'content-type': encoded.contentType });
    try {
      const projectId = opts.authorize ? await opts.authorize(req) : DEFAULT_PROJECT_ID;
      if (!format) {
        throw new SightlineError(
          'unsupported_media_type',
          `unsupported Content-Type '${req.headers.get('content-type') ?? ''}'; use application/x-protobuf or application/json`,
          { field: 'content-type' },
        );
      }
      // Log requests share the request-bytes budget; they teach the span estimate nothing (no count).
      const release = opts.sink.admit?.(declaredLength(req, opts.maxBodyBytes));
      let decodedSpans: number | undefined;
      try {
        const body = await readRequestBody(req, opts.maxBodyBytes);
        const { rejected, rejectionMessage } =
          signal === 'logs' && logs
            ? await logs.receive(body, format, projectId)
            : await traces.receive(body, format, projectId, (n) => (decodedSpans = n));
        return send(200, encodeExportResponse(format, rejected, rejectionMessage, signal));
      } finally {
        release?.(decodedSpans);
      }
    } catch (err) {
      // A bug, not bad input: said in the log by its kind and place only (the message of an error
      // thrown while handling a row could quote the row's content).
      if (!(err instanceof SightlineError)) {
        const e = err instanceof Error ? err : undefined;
        opts.logger?.error('internal error while receiving', { signal, error: e?.name, at: e?.stack?.split('\n')[1]?.trim() });
      }
      // An error for a request we cannot classify is answered in JSON, the readable choice.
      const res = encodeErrorResponse(format ?? 'json', err);
      if (err instanceof SightlineError && err.code === 'unsupported_media_type' && err.field === 'content-encoding') {
        res.headers['accept-encoding'] = ACCEPTED_ENCODINGS;
      }
      return send(res.status, res, res.headers);
    }
  };
  for (const path of RECEIVER_PATHS) {
    app.use(path, corsMiddleware);
    app.post(path, (c) => receive(c, 'traces'));
  }
  if (logs) {
    app.use(LOGS_PATH, corsMiddleware);
    app.post(LOGS_PATH, (c) => receive(c, 'logs'));
  }
  return app;
}
