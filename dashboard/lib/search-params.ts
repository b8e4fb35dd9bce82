/**
 * URL search params are the dashboard's state: time range, filters, live refresh, the page of a
 * list, the selected span. Anything on screen can be shared as a link.
 */
import { resolveRange, type TimeRange } from './time-range';

export type RawSearchParams = Record<string, string | string[] | undefined>;

/** Params that describe the scope of every page; navigation carries them from page to page. */
export const SCOPE_KEYS = ['range', 'from', 'to', 'service', 'agent', 'environment', 'live'] as const;

export const FILTER_KEYS = ['service', 'agent', 'environment'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface Scope {
  range: TimeRange;
  service?: string;
  agent?: string;
  environment?: string;
}

export function first(params: RawSearchParams, key: string): string | undefined {
  const v = params[key];
  const value = Array.isArray(v) ? v[0] : v;
  return value === undefined || value === '' ? undefined : value;
}

export function readScope(params: RawSearchParams, now: number): Scope {
  const range = resolveRange({ range: first(params, 'range'), from: first(params, 'from'), to: first(params, 'to') }, now);
  const scope: Scope = { range };
  for (const key of FILTER_KEYS) {
    const value = first(params, key);
    if (value !== undefined) scope[key] = value;
  }
  return scope;
}

/** The collector query params for a scope. */
export function scopeQuery(scope: Scope): { from: number; to: number; service?: string; agent?: string; environment?: string } {
  return { from: scope.range.from, to: scope.range.to, service: scope.service, agent: scope.agent, environment: scope.environment };
}

/** Keep only the scope params of a URL, e.g. to carry them to another page. */
export function pickScope(params: RawSearchParams | URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SCOPE_KEYS) {
    const value = params instanceof URLSearchParams ? (params.get(key) ?? undefined) : first(params, key);
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** A path with query params; empty and undefined values are left out so links stay short. */
export function href(path: string, params: Record<string, string | number | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    qs.set(key, String(value));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** Flatten Next's search params into a plain record of first values. */
export function flatten(params: RawSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(params)) {
    const value = first(params, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * A Suspense key for a scope that ignores "now": a live refresh of a relative range keeps the
 * old numbers on screen until the new ones arrive, instead of flashing skeletons.
 */
export function suspenseKey(scope: Scope, extra: Record<string, string | undefined> = {}): string {
  const window = scope.range.key === 'custom' ? `${scope.range.from}-${scope.range.to}` : scope.range.key;
  return JSON.stringify([window, scope.service, scope.agent, scope.environment, extra]);
}
