/**
 * Every span of the traces the trace list keeps for the same filters, read in bounded pages for
 * the streaming export (api/routes/export.ts).
 *
 * Why pages and not one query: the embedded engine's connection (chdb/connection) materializes a
 * query's whole result before the client's stream hands out its first row, so one query over a
 * million spans would hold them all in memory at once. Each page is one query, read through the
 * client's streaming result (`ResultSet.stream()`: a real stream on a ClickHouse server), and the
 * next page is asked for only when the consumer has taken the previous one: memory is bounded by
 * one page, whatever the size of the export, and other queries and inserts interleave between pages.
 *
 * Pages follow the spans table's own sorting key (project, service, start time, trace, span), so
 * each page reads on from the previous page's last key in index order instead of sorting what is
 * left; FINAL shows each stored span once (the table is a ReplacingMergeTree).
 */
import type { ClickHouseClient, Row } from '@clickhouse/client';
import type { ExportedSpan } from '@sightline/contract';
import { DAYS_OF_RANGE } from './common.js';
import { SPAN_COLUMNS, toSpan, traceFilter, type SpanDbRow, type TraceFilters } from './traces.js';

/** Spans per page: a few MB of typical spans; pages of payload-heavy spans stay well under the heap. */
export const EXPORT_PAGE_ROWS = 2_000;

export interface SpanExportOptions {
  pageRows?: number;
  /** The request's time, for a range relative to now (tests pass a fixed one). */
  now?: number;
}

/** The sorting key of the last span of a page: the next page starts after it. */
interface After {
  service: string;
  startNs: string;
  traceId: string;
  spanId: string;
}

/** Strictly after the key, as OR/AND of plain comparisons so the primary index prunes by it. */
const AFTER = `(service_name > {afterService:String} OR (service_name = {afterService:String} AND (
    start_time > fromUnixTimestamp64Nano({afterStart:Int64}) OR (start_time = fromUnixTimestamp64Nano({afterStart:Int64}) AND (
      trace_id > {afterTrace:String} OR (trace_id = {afterTrace:String} AND span_id > {afterSpan:String}))))))`;

/**
 * The spans, one array per chunk the client hands out (a page or part of one). Returning early
 * (the HTTP client went away) closes the current result set and asks for no further page.
 */
export async function* exportSpans(
  client: ClickHouseClient,
  projectId: string,
  q: TraceFilters,
  opts: SpanExportOptions = {},
): AsyncGenerator<ExportedSpan[], void, undefined> {
  const pageRows = opts.pageRows ?? EXPORT_PAGE_ROWS;
  const filter = traceFilter(q, opts.now);
  // A trace's spans start at or after the trace does: spans before `from` cannot belong to one in range.
  const query = (after: boolean) => `SELECT ${SPAN_COLUMNS}
     FROM spans FINAL
     WHERE project_id = {projectId:String}
       AND start_time >= fromUnixTimestamp64Milli({from:Int64})
       AND trace_id IN (
         SELECT trace_id FROM trace_summaries AS t
         WHERE project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND ${filter.where}
         GROUP BY trace_id
         HAVING ${filter.having})
       ${after ? `AND ${AFTER}` : ''}
     ORDER BY service_name, start_time, trace_id, span_id
     LIMIT {pageRows:UInt32}`;
  let after: After | undefined;
  for (;;) {
    const rs = await client.query({
      query: query(after !== undefined),
      query_params: {
        projectId,
        ...filter.params,
        pageRows,
        ...(after ? { afterService: after.service, afterStart: after.startNs, afterTrace: after.traceId, afterSpan: after.spanId } : {}),
      },
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
    after = { service: last.service_name, startNs: last.start_ns, traceId: last.trace_id, spanId: last.span_id };
  }
}

/** A span as the trace detail shows it, without the log records (not part of the span row). */
function exported(r: SpanDbRow): ExportedSpan {
  const { logs: _logs, ...span } = toSpan(r);
  return span;
}
