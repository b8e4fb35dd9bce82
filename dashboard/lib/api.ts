/**
 * The one typed client of the collector's query API. Every response is parsed with the
 * collector's own zod schemas, so a contract change fails loudly here instead of rendering
 * wrong numbers. Server-side only: the browser never talks to the collector directly.
 */
import type { z } from 'zod';
import {
  CostSummary,
  ErrorBody,
  FilterValues,
  Health,
  MetricsResponse,
  SessionDetail,
  SessionList,
  TraceDetail,
  TraceList,
  TraceListQuery,
  SessionListQuery,
  MetricsQuery,
  SESSION_SCHEME,
} from '@sightline/contract';
import { redirect } from 'next/navigation';
import { browserAddress, chosenProject, sessionToken } from './session';

/** The project the dashboard's calls act on, as the collector reads it (it checks the caller's role there). */
export const PROJECT_HEADER = 'x-sightline-project';
/** The browser's address, for the collector's per-address sign-in throttle. */
export const CLIENT_ADDRESS_HEADER = 'x-sightline-client-address';

export const DEFAULT_COLLECTOR_URL = 'http://127.0.0.1:4318';

export function collectorBaseUrl(): string {
  return (process.env.SIGHTLINE_API_URL ?? DEFAULT_COLLECTOR_URL).replace(/\/+$/, '');
}

/** The collector did not answer (refused, reset, timed out): the app shows its banner. */
export class CollectorUnreachableError extends Error {
  readonly code = 'collector_unreachable';
  constructor(
    readonly baseUrl: string,
    readonly reason: string,
  ) {
    super(`The collector at ${baseUrl} is unreachable (${reason})`);
    this.name = 'CollectorUnreachableError';
  }
}

/** The collector answered with an error body, or with something the contract does not allow. */
export class CollectorApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CollectorApiError';
  }
}

export type DashboardError = CollectorUnreachableError | CollectorApiError;

type ParamValue = string | number | boolean | undefined | null;
/** Query keys are the contract's own, so a renamed parameter breaks the type check here. */
export type ParamsOf<S extends z.ZodObject> = { [K in keyof z.input<S>]?: ParamValue };

export type TraceListParams = ParamsOf<typeof TraceListQuery>;
export type SessionListParams = ParamsOf<typeof SessionListQuery>;
export type MetricsParams = ParamsOf<typeof MetricsQuery>;
export type ScopeParams = { from?: number; to?: number };

/** Whether this collector's trace list accepts a filter, e.g. `tool` or `model`. */
export function traceListSupports(param: string): boolean {
  return Object.hasOwn(TraceListQuery.shape, param);
}

const DEFAULT_TIMEOUT_MS = 15_000;

export interface CollectorRequest<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  schema: S;
  params?: Record<string, ParamValue>;
  /** Sent as JSON. */
  body?: unknown;
  timeoutMs?: number;
  /** Error statuses whose body is still an answer in `schema` (health answers 503 when degraded). */
  answerStatuses?: readonly number[];
  /**
   * A call of the sign-in flow itself: its 401 (wrong password) is an answer for the form, not an
   * ended session to send the browser back to the sign-in page for.
   */
  signIn?: boolean;
}

/** The signed-in user's credentials and project, sent on every call (the collector acts with their rights). */
async function callerHeaders(): Promise<Record<string, string>> {
  const [token, project, address] = await Promise.all([sessionToken(), chosenProject(), browserAddress()]);
  return {
    ...(token ? { authorization: `${SESSION_SCHEME} ${token}` } : {}),
    ...(project ? { [PROJECT_HEADER]: project } : {}),
    ...(address ? { [CLIENT_ADDRESS_HEADER]: address } : {}),
  };
}

/**
 * Every call to the collector goes through here: the caller's session, query parameters, a
 * timeout, and the one mapping of failures — unreachable (network, 502–504) vs an API error with its code and field — and of a
 * response that does not match the shared contract.
 */
export async function requestCollector<S extends z.ZodType>(r: CollectorRequest<S>): Promise<z.output<S>> {
  const base = collectorBaseUrl();
  const url = new URL(base + r.path);
  for (const [key, value] of Object.entries(r.params ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.set(key, String(value));
  }
  const caller = await callerHeaders();
  let res: Response;
  try {
    res = await fetch(url, {
      method: r.method ?? 'GET',
      cache: 'no-store',
      signal: AbortSignal.timeout(r.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      headers: {
        accept: 'application/json',
        ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...caller,
      },
      body: r.body === undefined ? undefined : JSON.stringify(r.body),
    });
  } catch (err) {
    throw new CollectorUnreachableError(base, describeFetchFailure(err));
  }
  const body: unknown = await res.json().catch(() => undefined);
  // Signed out, expired, or revoked: back to the sign-in page, not a broken widget.
  if (res.status === 401 && !r.signIn) redirect('/sign-in');
  if (!res.ok && !r.answerStatuses?.includes(res.status)) {
    const parsed = ErrorBody.safeParse(body);
    if (parsed.success) {
      const { code, message, field } = parsed.data.error;
      throw new CollectorApiError(res.status, code, message, field);
    }
    if (res.status >= 502 && res.status <= 504) throw new CollectorUnreachableError(base, `HTTP ${res.status}`);
    throw new CollectorApiError(res.status, 'http_error', `The collector answered HTTP ${res.status} for ${r.path}`);
  }
  const parsed = r.schema.safeParse(body);
  if (!parsed.success) {
    throw new CollectorApiError(
      res.status,
      'contract_mismatch',
      `The collector's answer to ${r.path} does not match the API contract: ${parsed.error.message.slice(0, 300)}`,
    );
  }
  return parsed.data;
}

/**
 * A collector answer passed through as it streams (a file download), with the caller's credentials
 * as on every call: no timeout (it takes as long as the file), cancelled with `signal` when the
 * browser goes away. The caller reads the status; only an unanswered call throws.
 */
export async function streamFromCollector(path: string, params: Record<string, string>, signal: AbortSignal): Promise<Response> {
  const base = collectorBaseUrl();
  const url = new URL(base + path);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  try {
    return await fetch(url, { cache: 'no-store', signal, headers: await callerHeaders() });
  } catch (err) {
    throw new CollectorUnreachableError(base, describeFetchFailure(err));
  }
}

function get<S extends z.ZodType>(
  path: string,
  schema: S,
  params: Record<string, ParamValue> = {},
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<z.output<S>> {
  return requestCollector({ path, schema, params, timeoutMs });
}

function describeFetchFailure(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return cause.code;
    if (cause?.message) return cause.message;
    return err.message;
  }
  return String(err);
}

export const api = {
  health: () => requestCollector({ path: '/api/health', schema: Health, timeoutMs: 3_000, answerStatuses: [503] }),
  filters: (params: ScopeParams) => get('/api/filters', FilterValues, params),
  traces: (params: TraceListParams) => get('/api/traces', TraceList, params),
  /** `null` when the collector does not know the trace. */
  trace: async (traceId: string) => {
    try {
      return await get(`/api/traces/${encodeURIComponent(traceId)}`, TraceDetail, {}, 30_000);
    } catch (err) {
      if (err instanceof CollectorApiError && err.status === 404) return null;
      throw err;
    }
  },
  sessions: (params: SessionListParams) => get('/api/sessions', SessionList, params),
  session: async (sessionId: string) => {
    try {
      return await get(`/api/sessions/${encodeURIComponent(sessionId)}`, SessionDetail, {}, 30_000);
    } catch (err) {
      if (err instanceof CollectorApiError && err.status === 404) return null;
      throw err;
    }
  },
  metrics: (params: MetricsParams) => get('/api/metrics', MetricsResponse, params),
  costSummary: (params: ScopeParams & { service?: string | undefined; agent?: string | undefined; environment?: string | undefined }) =>
    get('/api/cost/summary', CostSummary, params),
};

export type Result<T> = { ok: true; data: T } | { ok: false; error: DashboardError };

/** Await a call and keep its failure as a value, so one widget's error never crashes a page. */
export async function settle<T>(promise: Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, data: await promise };
  } catch (err) {
    if (err instanceof CollectorUnreachableError || err instanceof CollectorApiError) return { ok: false, error: err };
    throw err;
  }
}
