/**
 * The span export: every span of the traces the trace list shows for the same filters, as JSON
 * lines (one ExportedSpan per line) or CSV (one column per ExportedSpan field, in
 * EXPORTED_SPAN_COLUMNS order; maps and arrays as JSON in their cell). Streamed, so any size.
 */
import { z } from 'zod';
import { SessionListQuery, Span, TraceListQuery } from './query.js';

export const ExportFormat = z.enum(['jsonl', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** The trace list's filters (without its page: sort, limit, cursor), and the file format. */
export const ExportSpansQuery = TraceListQuery.omit({ sort: true, limit: true, cursor: true }).extend({
  format: ExportFormat.default('jsonl'),
});
export type ExportSpansQuery = z.infer<typeof ExportSpansQuery>;

/** The session list's filters (without its page), and the file format: every span of those sessions. */
export const ExportSessionSpansQuery = SessionListQuery.omit({ sort: true, limit: true, cursor: true }).extend({
  format: ExportFormat.default('jsonl'),
});
export type ExportSessionSpansQuery = z.infer<typeof ExportSessionSpansQuery>;

/** A span as stored, as the trace detail shows it, without the log records joined to it. */
export const ExportedSpan = Span.omit({ logs: true });
export type ExportedSpan = z.infer<typeof ExportedSpan>;

/** The CSV header, in order. */
export const EXPORTED_SPAN_COLUMNS = Object.keys(ExportedSpan.shape) as Array<keyof ExportedSpan>;

/** The path of the export under the API, for the dashboard's proxy. */
export const EXPORT_SPANS_PATH = '/api/export/spans';
/** The path of the sessions' span export under the API. */
export const EXPORT_SESSION_SPANS_PATH = '/api/export/session-spans';
