/**
 * The trace list's "Download" (JSON lines or CSV): the collector's span export for the same
 * filters, with the signed-in user's credentials, passed through as it streams (the browser's
 * pace sets the collector's, and leaving stops it). A refusal shows the collector's message.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { ErrorBody, EXPORT_SPANS_PATH } from '@sightline/contract';
import { CollectorUnreachableError, streamFromCollector } from '@/lib/api';
import { collectorExportParams } from '@/lib/span-export';

export const dynamic = 'force-dynamic';

/** The headers of the collector's answer the browser needs to save the file. */
const PASSED = ['content-type', 'content-disposition'] as const;

const message = (status: number, text: string) =>
  new NextResponse(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

export async function GET(request: NextRequest) {
  let res: Response;
  try {
    res = await streamFromCollector(EXPORT_SPANS_PATH, collectorExportParams(request.nextUrl.searchParams), request.signal);
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
}
