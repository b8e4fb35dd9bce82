/**
 * The trace and session lists' "Download" links and the dashboard's export routes
 * (app/traces/export, app/export/sessions) that forward them to the collector: the same filters as
 * the list on screen, with the range resolved to the absolute from/to the list was rendered with
 * (a relative range would move by the time the file is asked for).
 */
import { EXPORT_SESSION_SPANS_PATH, EXPORT_SPANS_PATH, ExportFormat, ExportSessionSpansQuery, ExportSpansQuery } from '@sightline/contract';
import type { ScoreFilter } from './scores';
import { href, scopeQuery, type Scope } from './search-params';

/** The spans of the traces a trace list shows, or of the sessions a session list shows. */
export type ExportKind = 'traces' | 'sessions';

/**
 * The dashboard's route of each export, and the collector's. The sessions' route is not under
 * /sessions/, where it would hide a session whose id is "export".
 */
export const EXPORT_ROUTES: Record<ExportKind, { dashboard: string; collector: string }> = {
  traces: { dashboard: '/traces/export', collector: EXPORT_SPANS_PATH },
  sessions: { dashboard: '/export/sessions', collector: EXPORT_SESSION_SPANS_PATH },
};

/** The query keys each collector export takes (its contract's), so a renamed filter is caught here. */
const EXPORT_PARAMS: Record<ExportKind, string[]> = {
  traces: Object.keys(ExportSpansQuery.shape),
  sessions: Object.keys(ExportSessionSpansQuery.shape),
};

/** The trace list's own filters (besides the scope), the score filter included. */
export interface ExportFilters extends ScoreFilter {
  status?: 'ok' | 'error' | undefined;
  minDurationMs?: number | undefined;
  q?: string | undefined;
  session?: string | undefined;
  tool?: string | undefined;
  model?: string | undefined;
}

export function spanExportHref(format: ExportFormat, scope: Scope, options: ExportFilters, kind: ExportKind = 'traces'): string {
  const all: Record<string, string | number | undefined> = {
    format,
    ...scopeQuery(scope),
    status: options.status,
    minDurationMs: options.minDurationMs,
    q: options.q,
    session: options.session,
    tool: options.tool,
    model: options.model,
    scoreName: options.scoreName,
    scoreMin: options.scoreName ? options.scoreMin : undefined,
    scoreMax: options.scoreName ? options.scoreMax : undefined,
    scoreLabel: options.scoreName ? options.scoreLabel : undefined,
  };
  // A filter the other list has (a session list has no minimum duration) is not part of this file.
  return href(EXPORT_ROUTES[kind].dashboard, Object.fromEntries(Object.entries(all).filter(([k]) => EXPORT_PARAMS[kind].includes(k))));
}

/** The browser's query, reduced to the parameters the collector's export takes. */
export function collectorExportParams(search: URLSearchParams, kind: ExportKind = 'traces'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of EXPORT_PARAMS[kind]) {
    const value = search.get(key);
    if (value !== null && value !== '') out[key] = value;
  }
  return out;
}

export { ExportFormat };
