/**
 * Every span of the traces (or sessions) a list keeps for the same filters, read in bounded pages
 * for the streaming export (api/routes/export.ts).
 *
 * Why pages and not one query: the embedded engine's connection (chdb/connection) materializes a
 * query's whole result before the client's stream hands out its first row, so one query over a
 * million spans would hold them all in memory at once. Each page is one query, read through the
 * client's streaming result (a real stream on a ClickHouse server), and the next page is asked for
 * only when the consumer has taken the previous one: memory is bounded by one page whatever the
 * size of the export, and other queries and inserts interleave between pages.
 *
 * Why chunks of traces: the filters (search, scores, aggregates over a trace's summary rows) are
 * evaluated on the summaries once per chunk of TRACE_CHUNK traces, not once per page of spans, and
 * a chunk's spans are read from the time window its traces cover (a trace's spans start between
 * its start and its end) with the trace-id skip index, not from the rest of the whole range.
 * Traces come in order of start (then id); within a chunk, spans in order of start, trace, span.
 */
import type { ClickHouseClient, Row } from '@clickhouse/client';
import type { ExportedSpan } from '@sightline/contract';
import { DAYS_OF_RANGE, select } from './common.js';
import { sessionFilter, type SessionFilters } from './sessions.js';
import { SPAN_COLUMNS, toSpan, traceFilter, type SpanDbRow, type TraceFilters } from './traces.js';

/** Spans per page: a few MB of typical spans; pages of payload-heavy spans stay well under the heap. */
export const EXPORT_PAGE_ROWS = 2_000;
/** Traces per chunk: an IN list of ≤ 40 KB, a few pages of spans of typical agent runs. */
export const TRACE_CHUNK = 1_000;

export interface SpanExportOptions {
  pageRows?: number;
  traceChunk?: number;
  /** The request's time, for a range relative to now (tests pass a fixed one). */
  now?: number;
}

/** A trace to export: its id and the window its spans start in (ns). */
interface TraceWindow {
  trace_id: string;
  start_ns: string;
  end_ns: string;
}

const WINDOW_COLUMNS = `trace_id, toString(toUnixTimestamp64Nano(min(t.start_time))) AS start_ns,
  toString(toUnixTimestamp64Nano(max(t.end_time))) AS end_ns`;

/** The traces the trace list keeps, in chunks, by (start, id). */
async function* traceChunks(client: ClickHouseClient, projectId: string, q: TraceFilters, chunk: number, now?: number) {
  const filter = traceFilter(q, now);
  let after: TraceWindow | undefined;
  for (;;) {
    const rows = await select<TraceWindow>(
      client,
      `SELECT ${WINDOW_COLUMNS}
       FROM trace_summaries AS t
       WHERE project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND ${filter.where}
       GROUP BY trace_id
       HAVING ${filter.having}${after ? ' AND (toUnixTimestamp64Nano(min(t.start_time)), trace_id) > ({afterNs:Int64}, {afterId:String})' : ''}
       ORDER BY min(t.start_time), trace_id
       LIMIT {chunk:UInt32}`,
      { projectId, ...filter.params, chunk, afterNs: after?.start_ns, afterId: after?.trace_id },
    );
    if (rows.length > 0) yield rows;
    if (rows.length < chunk) return;
    after = rows[rows.length - 1];
  }
}

/** Sessions per chunk: their traces are then listed (and exported) in chunks of traces. */
const SESSION_CHUNK = 500;

/** The traces of the sessions the session list keeps, sessions in chunks by id. */
async function* sessionTraceChunks(client: ClickHouseClient, projectId: string, q: SessionFilters, chunk: number, now?: number) {
  const filter = sessionFilter(q, now);
  let after: string | undefined;
  for (;;) {
    const sessions = await select<{ session_id: string; first_ns: string; last_ns: string }>(
      client,
      `SELECT session_id, toString(toUnixTimestamp64Nano(min(t.first_seen))) AS first_ns,
         toString(toUnixTimestamp64Nano(max(t.last_seen))) AS last_ns
       FROM session_summaries AS t
       WHERE project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND ${filter.where}${after !== undefined ? ' AND session_id > {after:String}' : ''}
       GROUP BY session_id
       HAVING ${filter.having}
       ORDER BY session_id
       LIMIT {sessions:UInt32}`,
      { projectId, ...filter.params, sessions: SESSION_CHUNK, after },
    );
    if (sessions.length === 0) return;
    // A session's traces all start within its first and last activity: their summary days bound the read.
    const lo = sessions.reduce((m, s) => (BigInt(s.first_ns) < m ? BigInt(s.first_ns) : m), BigInt(sessions[0]!.first_ns));
    const hi = sessions.reduce((m, s) => (BigInt(s.last_ns) > m ? BigInt(s.last_ns) : m), BigInt(sessions[0]!.last_ns));
    const traces = await select<TraceWindow>(
      client,
      `SELECT ${WINDOW_COLUMNS}
       FROM trace_summaries AS t
       WHERE project_id = {projectId:String}
         AND day >= toDate(fromUnixTimestamp64Nano({lo:Int64}), 'UTC') - 1 AND day <= toDate(fromUnixTimestamp64Nano({hi:Int64}), 'UTC') + 1
         AND trace_id IN (SELECT trace_id FROM trace_summaries WHERE project_id = {projectId:String}
           AND day >= toDate(fromUnixTimestamp64Nano({lo:Int64}), 'UTC') - 1 AND day <= toDate(fromUnixTimestamp64Nano({hi:Int64}), 'UTC') + 1
           AND session_id IN {ids:Array(String)})
       GROUP BY trace_id
       ORDER BY min(t.start_time), trace_id`,
      { projectId, lo: lo.toString(), hi: hi.toString(), ids: sessions.map((s) => s.session_id) },
    );
    for (let i = 0; i < traces.length; i += chunk) yield traces.slice(i, i + chunk);
    if (sessions.length < SESSION_CHUNK) return;
    after = sessions[sessions.length - 1]!.session_id;
  }
}

/** Strictly after the key, as OR/AND of plain comparisons. */
const AFTER = `(start_time > fromUnixTimestamp64Nano({afterStart:Int64}) OR (start_time = fromUnixTimestamp64Nano({afterStart:Int64}) AND (
    trace_id > {afterTrace:String} OR (trace_id = {afterTrace:String} AND span_id > {afterSpan:String}))))`;

/** The spans of one chunk of traces, in pages. */
async function* chunkSpans(
  client: ClickHouseClient,
  projectId: string,
  traces: TraceWindow[],
  pageRows: number,
): AsyncGenerator<ExportedSpan[], void, undefined> {
  const lo = traces.reduce((m, t) => (BigInt(t.start_ns) < m ? BigInt(t.start_ns) : m), BigInt(traces[0]!.start_ns));
  const hi = traces.reduce((m, t) => (BigInt(t.end_ns) > m ? BigInt(t.end_ns) : m), BigInt(traces[0]!.end_ns));
  const query = (after: boolean) => `SELECT ${SPAN_COLUMNS}
     FROM spans FINAL
     WHERE project_id = {projectId:String}
       AND start_time >= fromUnixTimestamp64Nano({lo:Int64}) AND start_time <= fromUnixTimestamp64Nano({hi:Int64})
       AND trace_id IN {ids:Array(String)}
       ${after ? `AND ${AFTER}` : ''}
     ORDER BY start_time, trace_id, span_id
     LIMIT {pageRows:UInt32}`;
  const base = { projectId, lo: lo.toString(), hi: hi.toString(), ids: traces.map((t) => t.trace_id), pageRows };
  let after: SpanDbRow | undefined;
  for (;;) {
    const rs = await client.query({
      query: query(after !== undefined),
      query_params: after ? { ...base, afterStart: after.start_ns, afterTrace: after.trace_id, afterSpan: after.span_id } : base,
      format: 'JSONEachRow',
    });
    let read = 0;
    let last: SpanDbRow | undefined;
    try {
      for await (const rows of rs.stream() as AsyncIterable<Row[]>) {
        const spans: ExportedSpan[] = [];
        for (const row of rows) {
          last = row.json<SpanDbRow>();
          spans.push(exported(last));
        }
        read += rows.length;
        if (spans.length > 0) yield spans;
      }
    } finally {
      rs.close();
    }
    if (read < pageRows || !last) return;
    after = last;
  }
}

/** What to export: the traces of the trace list, or the traces of the sessions of the session list. */
export type ExportSelection = { of: 'traces'; filters: TraceFilters } | { of: 'sessions'; filters: SessionFilters };

/**
 * The spans, one array per chunk the client hands out (a page or part of one). Returning early
 * (the HTTP client went away) closes the current result set and asks for nothing further.
 */
export async function* exportSpans(
  client: ClickHouseClient,
  projectId: string,
  selection: ExportSelection,
  opts: SpanExportOptions = {},
): AsyncGenerator<ExportedSpan[], void, undefined> {
  const chunk = opts.traceChunk ?? TRACE_CHUNK;
  const chunks =
    selection.of === 'traces'
      ? traceChunks(client, projectId, selection.filters, chunk, opts.now)
      : sessionTraceChunks(client, projectId, selection.filters, chunk, opts.now);
  for await (const traces of chunks) yield* chunkSpans(client, projectId, traces, opts.pageRows ?? EXPORT_PAGE_ROWS);
}

/** A span as the trace detail shows it, without the log records (not part of the span row). */
function exported(r: SpanDbRow): ExportedSpan {
  const { logs: _logs, ...span } = toSpan(r);
  return span;
}
