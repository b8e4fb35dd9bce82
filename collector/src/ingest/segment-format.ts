/**
 * The two formats of write-ahead log segments (and quarantine entries, which are segments too):
 *
 * - RowBinary (`.rowbinary`, written since issue 18): a RowBinaryWithNamesAndTypes stream, header
 *   then rows (storage/row-binary.ts). The file is the insert body as it lies on disk: the embedded
 *   engine reads it with `INSERT … FROM INFILE`, a server gets the same bytes over HTTP.
 * - JSON lines (`.ndjson`, written before): a JSON array of column names, then one
 *   JSONCompactEachRow line per row. Still read, so segments left by an older version replay.
 *
 * Both are self-describing (column names in the header), so a segment replays into a newer
 * schema: columns it lacks take their defaults.
 */
import { DEFAULT_PROJECT_ID } from '../auth/principal.js';
import type { RawInsert } from '../storage/client.js';
import { readRowBinaryHeader, readRowStrings, splitRowBinaryRows, type RowBinaryHeader } from '../storage/row-binary-reader.js';
import { ROW_BINARY_FORMAT, ROW_BINARY_INSERT_SETTINGS, SPAN_ROW_BINARY_HEADER } from '../storage/row-binary.js';
import { SPAN_COLUMNS } from '../storage/span-table.js';

/** What a format needs to know of a segment. */
export interface SegmentBytes {
  format: SegmentFormat;
  columns: readonly string[];
  /** The bytes before the first row, in the file and in the insert body. */
  header: Buffer;
  /** The rows as written, in order (no header). */
  chunks: Buffer[];
  /** A file that holds exactly `header` then `chunks`, when there is one. */
  bodyFile?: string | undefined;
}

export interface ParsedSegmentFile {
  columns: string[];
  header: Buffer;
  /** The complete rows, without the header. */
  body: Buffer;
  rows: number;
  /** The file ends with its last complete row (no torn tail). */
  complete: boolean;
}

export interface SegmentFormat {
  readonly suffix: string;
  /** The header and complete rows of a file's bytes, or undefined when it has no complete row. */
  parse(data: Buffer): ParsedSegmentFile | undefined;
  /** Each row of the segment as its own slice (views, no copies). */
  rows(segment: SegmentBytes): Buffer[];
  /**
   * The trace id, span id and project of one row, or undefined when it cannot be read. A segment
   * written before projects existed has no project column: its rows replay into 'default'.
   */
  ids(segment: SegmentBytes, row: Buffer): [string, string, string] | undefined;
  /** The insert of `rows` of the segment, or of all of it when `rows` is undefined (table and settings aside). */
  insert(segment: SegmentBytes, rows?: Buffer[]): Pick<RawInsert, 'format' | 'columns' | 'body' | 'file' | 'settings'>;
}

// ---------- RowBinary ----------

const headers = new WeakMap<Buffer, RowBinaryHeader | undefined>();
function parsedHeader(header: Buffer): RowBinaryHeader | undefined {
  if (!headers.has(header)) headers.set(header, readRowBinaryHeader(header));
  return headers.get(header);
}

export const ROW_BINARY_SEGMENTS: SegmentFormat = {
  suffix: '.rowbinary',
  parse(data) {
    const header = readRowBinaryHeader(data);
    if (!header) return undefined;
    const { rows, complete } = splitRowBinaryRows(header, data.subarray(header.end));
    if (rows.length === 0) return undefined;
    const end = header.end + rows.reduce((n, r) => n + r.length, 0);
    return {
      columns: header.columns,
      header: data.subarray(0, header.end),
      body: data.subarray(header.end, end),
      rows: rows.length,
      complete,
    };
  },
  rows(segment) {
    const header = parsedHeader(segment.header);
    if (!header) return [];
    return segment.chunks.flatMap((chunk) => splitRowBinaryRows(header, chunk).rows);
  },
  ids(segment, row) {
    const header = parsedHeader(segment.header);
    const at = [segment.columns.indexOf('trace_id'), segment.columns.indexOf('span_id'), segment.columns.indexOf('project_id')];
    if (!header || at[0]! < 0 || at[1]! < 0) return undefined;
    const ids = readRowStrings(
      header,
      row,
      at.filter((i) => i >= 0),
    );
    return ids ? [ids[0]!, ids[1]!, ids[2] ?? DEFAULT_PROJECT_ID] : undefined;
  },
  insert(segment, rows) {
    return {
      format: ROW_BINARY_FORMAT,
      body: [segment.header, ...(rows ?? segment.chunks)],
      ...(rows === undefined && segment.bodyFile ? { file: segment.bodyFile } : {}),
      settings: ROW_BINARY_INSERT_SETTINGS,
    };
  },
};

// ---------- JSON lines (segments written before RowBinary) ----------

/** The row lines of a body, each with its newline (views into `body`, no copies). */
export function splitLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = body.indexOf(0x0a); i >= 0; i = body.indexOf(0x0a, start)) {
    lines.push(body.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < body.length) lines.push(body.subarray(start));
  return lines;
}

export const JSON_LINES_SEGMENTS: SegmentFormat = {
  suffix: '.ndjson',
  parse(data) {
    const headerEnd = data.indexOf(0x0a);
    if (headerEnd < 0) return undefined;
    let columns: unknown;
    try {
      columns = JSON.parse(data.subarray(0, headerEnd).toString('utf8'));
    } catch {
      return undefined;
    }
    if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) return undefined;
    // Only acknowledged appends were fsynced whole; a torn tail was never acknowledged.
    const end = data.lastIndexOf(0x0a) + 1;
    const body = data.subarray(headerEnd + 1, end);
    let rows = 0;
    for (let i = body.indexOf(0x0a); i >= 0; i = body.indexOf(0x0a, i + 1)) rows++;
    if (rows === 0) return undefined;
    return { columns, header: data.subarray(0, headerEnd + 1), body, rows, complete: end === data.length };
  },
  rows: (segment) => segment.chunks.flatMap(splitLines),
  ids(segment, line) {
    const l = jsonLayoutOf(segment.columns);
    if (l.traceAt < 0 || l.spanAt < 0) return undefined;
    // Fast path for the layout the last JSON-lines version wrote (ids first: `["<32 hex>","<16 hex>",`, project last).
    if (l.traceAt === 0 && l.spanAt === 1 && line.length > 56 && line[0] === 0x5b && line[1] === QUOTE && line[34] === QUOTE) {
      const project = l.projectAt < 0 ? DEFAULT_PROJECT_ID : l.projectLast ? lastPlainString(line) : undefined;
      if (project !== undefined) return [line.toString('latin1', 2, 34), line.toString('latin1', 37, 53), project];
    }
    try {
      const row: unknown = JSON.parse(line.toString('utf8'));
      if (!Array.isArray(row)) return undefined;
      const [t, s] = [row[l.traceAt], row[l.spanAt]];
      const p: unknown = l.projectAt < 0 ? DEFAULT_PROJECT_ID : row[l.projectAt];
      return typeof t === 'string' && typeof s === 'string' && typeof p === 'string' ? [t, s, p] : undefined;
    } catch {
      return undefined;
    }
  },
  insert: (segment, rows) => ({ format: 'JSONCompactEachRow', columns: segment.columns, body: rows ?? segment.chunks }),
};

interface JsonLayout {
  traceAt: number;
  spanAt: number;
  projectAt: number;
  projectLast: boolean;
}

function jsonLayoutOf(columns: readonly string[]): JsonLayout {
  const projectAt = columns.indexOf('project_id');
  return {
    traceAt: columns.indexOf('trace_id'),
    spanAt: columns.indexOf('span_id'),
    projectAt,
    projectLast: projectAt === columns.length - 1,
  };
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const BRACKET_CLOSE = 0x5d;
const NEWLINE = 0x0a;

/**
 * The last value of a row line when it is a plain JSON string (`,"<id>"]`): project ids are slugs
 * (no quote, no escape), so the quote before the closing one starts it.
 */
function lastPlainString(line: Buffer): string | undefined {
  let end = line.length - 1;
  if (line[end] === NEWLINE) end--;
  if (line[end] !== BRACKET_CLOSE || line[end - 1] !== QUOTE) return undefined;
  const open = line.lastIndexOf(QUOTE, end - 2);
  if (open < 1 || line[open - 1] !== COMMA) return undefined;
  const value = line.toString('latin1', open + 1, end - 1);
  return value.includes('\\') ? undefined : value;
}

/** The layout of JSON-lines segments under `columns` (as the write path wrote them before RowBinary). */
export function jsonLinesLayout(columns: readonly string[]): { format: SegmentFormat; columns: readonly string[]; header: Buffer } {
  return { format: JSON_LINES_SEGMENTS, columns, header: Buffer.from(JSON.stringify(columns) + '\n') };
}

export const SEGMENT_FORMATS: readonly SegmentFormat[] = [ROW_BINARY_SEGMENTS, JSON_LINES_SEGMENTS];

/** The format a segment file is in, by its name; undefined for other files. */
export function segmentFormatOf(file: string): SegmentFormat | undefined {
  return SEGMENT_FORMATS.find((f) => file.endsWith(f.suffix));
}

/** How the span write path writes segments: RowBinary under the span columns. */
export const SPAN_SEGMENTS = { format: ROW_BINARY_SEGMENTS, columns: SPAN_COLUMNS, header: SPAN_ROW_BINARY_HEADER } as const;
