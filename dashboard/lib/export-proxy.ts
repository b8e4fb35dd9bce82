/**
 * The lists' "Download" (JSON lines or CSV): the collector's span export for the same filters,
 * with the signed-in user's credentials, passed through as it streams (the browser's pace sets the
 * collector's, and leaving stops it). A refusal shows the collector's message.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { ErrorBody } from '@sightline/contract';
import { CollectorUnreachableError, streamFromCollector } from '@/lib/api';
import { collectorExportParams, EXPORT_ROUTES, type ExportKind } from '@/lib/span-export';

/** The headers of the collector's answer the browser needs to save the file. */
const PASSED = ['content-type', 'content-disposition'] as const;

const message = (status: number, text: string) =>
  new NextResponse(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/** The GET handler of the dashboard route of one export. */
export function exportProxy(kind: ExportKind) {
  return async function GET(request: NextRequest): Promise<Response> {
    let res: Response;
    try {
      res = await streamFromCollector(
        EXPORT_ROUTES[kind].collector,
        collectorExportParams(request.nextUrl.searchParams, kind),
        request.signal,
      );
    } catch (err) {
      if (err instanceof CollectorUnreachableError) return message(502, err.message);
      throw err;
    }
    // Signed out, expired or revoked: to the sign-in page, as every page does. A relative Location keeps the browser's origin.
    if (res.status === 401) return new NextResponse(null, { status: 303, headers: { location: '/sign-in' } });
    if (!res.ok || !res.body) {
      const body = ErrorBody.safeParse(await res.json().catch(() => undefined));
      return message(res.status, body.success ? body.data.error.message : `The collector answered HTTP ${res.status} to the export.`);
    }
    const headers = new Headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    for (const name of PASSED) {
      const value = res.headers.get(name);
      if (value) headers.set(name, value);
    }
    return new Response(res.body, { status: 200, headers });
  };
}
