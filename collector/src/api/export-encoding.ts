/**
 * Exported spans as file lines: JSON lines, or CSV after RFC 4180 (a cell holding a quote, comma,
 * CR or LF — or leading or trailing blanks, which some readers trim — is quoted, its quotes
 * doubled; lines end with CRLF). Maps and arrays go into one CSV cell as JSON; an unpriced cost is
 * an empty cell (null in JSON). Values are written as stored: nothing is added to a cell.
 */
import { EXPORTED_SPAN_COLUMNS, type ExportedSpan, type ExportFormat } from '@sightline/contract';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = `${EXPORTED_SPAN_COLUMNS.join(',')}\r\n`;

export function csvLine(span: ExportedSpan): string {
  return `${EXPORTED_SPAN_COLUMNS.map((column) => csvCell(span[column])).join(',')}\r\n`;
}

export function jsonLine(span: ExportedSpan): string {
  return `${JSON.stringify(span)}\n`;
}

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** `sightline-spans-<project>-<from>-<to>.<format>`, times as UTC `YYYYMMDDTHHMMSSZ`. */
export function exportFileName(projectId: string, from: number, to: number, format: ExportFormat, what = 'spans'): string {
  const stamp = (ms: number) =>
    new Date(ms)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z$/, 'Z');
  // Project ids are slugs ([a-z0-9_-]): nothing in the name needs quoting.
  return `sightline-${what}-${projectId}-${stamp(from)}-${stamp(to)}.${format}`;
}
