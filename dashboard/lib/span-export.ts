/**
 * The trace list's "Download" links and the dashboard's export route (app/traces/export) that
 * forwards them to the collector: the same filters as the list on screen, with the range resolved
 * to the absolute from/to the list was rendered with (a relative range would move by the time the
 * file is asked for).
 */
import { ExportFormat, ExportSpansQuery } from '@sightline/contract';
import type { ScoreFilter } from './scores';
import { href, scopeQuery, type Scope } from './search-params';

export const EXPORT_ROUTE = '/traces/export';

/** The query keys the collector's export takes (its contract's), so a renamed filter is caught here. */
export const EXPORT_PARAMS = Object.keys(ExportSpansQuery.shape) as Array<keyof typeof ExportSpansQuery.shape>;

/** The trace list's own filters (besides the scope), the score filter included. */
export interface ExportFilters extends ScoreFilter {
  status?: 'ok' | 'error' | undefined;
  minDurationMs?: number | undefined;
  q?: string | undefined;
  session?: string | undefined;
  tool?: string | undefined;
  model?: string | undefined;
}

export function spanExportHref(format: ExportFormat, scope: Scope, options: ExportFilters): string {
  return href(EXPORT_ROUTE, {
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
  });
}

/** The browser's query, reduced to the parameters the collector's export takes. */
export function collectorExportParams(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of EXPORT_PARAMS) {
    const value = search.get(key);
    if (value !== null && value !== '') out[key] = value;
  }
  return out;
}

export { ExportFormat };
