/**
 * Gives every span of a trace the session id that any span of the same trace carries, within one
 * export request. Several instrumentations put the session only on the spans they create (the
 * official OpenAI instrumentation sets none on its model calls), so without this a session's view,
 * counts and drift signals would miss those spans. An exporter's batch usually holds whole traces;
 * spans of a trace that arrive in another request keep what they carried.
 */
import type { SpanRow } from '../storage/span-row.js';

export function propagateSessionIds(rows: SpanRow[]): void {
  let sessions: Map<string, string> | undefined;
  let missing = false;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.session_id === '') missing = true;
    else if (!sessions?.has(r.trace_id)) (sessions ??= new Map()).set(r.trace_id, r.session_id);
  }
  if (!missing || !sessions) return;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.session_id === '') r.session_id = sessions.get(r.trace_id) ?? '';
  }
}
