/**
 * GET /export/spans: every span of the traces the trace list shows for the same filters, and
 * GET /export/session-spans: every span of the sessions the session list shows, as a JSON-lines
 * or CSV attachment, streamed. The response is a pull stream: the next page of spans is
 * read from ClickHouse only when the socket has taken the previous one (node's `drain`), so a slow
 * client slows the export down instead of filling the collector's memory, and a client that goes
 * away stops it. A failure before the first byte is an ordinary error answer; one after it aborts
 * the response (the client sees a cut transfer, never a file that looks complete).
 */
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ExportedSpan, ExportSessionSpansQuery, ExportSpansQuery, type ExportFormat } from '@sightline/contract';
import type { Context } from 'hono';
import { projectOf } from '../../auth/context.js';
import type { Logger } from '../../logger.js';
import { resolveRange } from '../../storage/queries/common.js';
import { exportSpans, type ExportSelection, type SpanExportOptions } from '../../storage/queries/span-export.js';
import { CSV_HEADER, csvLine, EXPORT_CONTENT_TYPE, exportFileName, jsonLine } from '../export-encoding.js';
import { guard, guardedResponses, router, type ApiDeps } from './common.js';

export interface ExportRouteDeps extends ApiDeps {
  logger?: Logger | undefined;
  /** Page size of the reads (tests make it small to cross many pages). */
  pageRows?: number | undefined;
}

const encoder = new TextEncoder();

const attachment = {
  200: {
    description:
      'An attachment: `jsonl`, one ExportedSpan per line; `csv`, a header of the ExportedSpan fields then one row per span (maps and arrays as JSON cells)',
    content: {
      'application/x-ndjson': { schema: ExportedSpan },
      'text/csv': { schema: z.string() },
    },
  },
  ...guardedResponses,
};

export function exportRoutes({ client, logger, pageRows }: ExportRouteDeps) {
  /** The answer: the first page read before the status line, so a query that fails at once answers 500 with a body. */
  const answer = async (c: Context, format: ExportFormat, of: ExportSelection['of'], filters: ExportSelection['filters']) => {
    const projectId = projectOf(c);
    const now = Date.now();
    const { from, to } = resolveRange(filters.from, filters.to, now);
    const opts: SpanExportOptions = { now, ...(pageRows ? { pageRows } : {}) };
    const selection = { of, filters: { ...filters, from, to } } as ExportSelection;
    const spans = exportSpans(client, projectId, selection, opts);
    const first = await spans.next();
    const body = spanStream(format, first, spans, (error) => logger?.error('span export failed mid-stream', { projectId, error }));
    return c.body(body, 200, {
      'content-type': EXPORT_CONTENT_TYPE[format],
      'content-disposition': `attachment; filename="${exportFileName(projectId, from, to, format, of === 'sessions' ? 'session-spans' : 'spans')}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  };
  return router()
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/export/spans',
        summary: 'Every span of the traces the trace list shows for the same filters, as a JSON-lines or CSV attachment (streamed)',
        request: { query: ExportSpansQuery },
        responses: attachment,
      }),
      async (c) => {
        const { format, ...filters } = c.req.valid('query');
        return answer(c, format, 'traces', filters);
      },
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/export/session-spans',
        summary: 'Every span of the sessions the session list shows for the same filters, as a JSON-lines or CSV attachment (streamed)',
        request: { query: ExportSessionSpansQuery },
        responses: attachment,
      }),
      async (c) => {
        const { format, ...filters } = c.req.valid('query');
        return answer(c, format, 'sessions', filters);
      },
    );
}

/** The file as a pull stream: one chunk per batch of spans, read when the consumer asks for it. */
function spanStream(
  format: ExportFormat,
  first: IteratorResult<ExportedSpan[], void>,
  rest: AsyncGenerator<ExportedSpan[], void, undefined>,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const line = format === 'csv' ? csvLine : jsonLine;
  const encode = (batch: ExportedSpan[]) => encoder.encode(batch.map(line).join(''));
  let pending: IteratorResult<ExportedSpan[], void> | undefined = first;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (format === 'csv') controller.enqueue(encoder.encode(CSV_HEADER));
      },
      async pull(controller) {
        try {
          const next = pending ?? (await rest.next());
          pending = undefined;
          if (next.done) controller.close();
          else controller.enqueue(encode(next.value));
        } catch (error) {
          onError(error);
          controller.error(error);
        }
      },
      async cancel() {
        // The client went away: close the open result set, ask for no further page.
        await rest.return(undefined);
      },
    },
    // One batch queued ahead at most: memory is a page being read and one being written.
    { highWaterMark: 1 },
  );
}
