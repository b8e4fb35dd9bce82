/**
 * A real HTTP server on 127.0.0.1 that receives OTLP/HTTP protobuf exports: it records the spans,
 * or answers with a chosen failure (500, 429, a hang) to test how the SDK behaves when the
 * collector misbehaves.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeTraceRequest, type DecodedSpan } from './otlp-decode.js';

export type SinkMode = 'ok' | 500 | 429 | 'hang';

export interface OtlpSink {
  url: string;
  spans: DecodedSpan[];
  requests: number;
  headers: Record<string, string | string[] | undefined>[];
  mode: SinkMode;
  /** Resolves once at least `n` spans were received, or rejects after `timeoutMs`. */
  waitForSpans(n: number, timeoutMs?: number): Promise<DecodedSpan[]>;
  close(): Promise<void>;
}

export async function startOtlpSink(mode: SinkMode = 'ok'): Promise<OtlpSink> {
  const hanging = new Set<ServerResponse>();
  const sink: OtlpSink = {
    url: '',
    spans: [],
    requests: 0,
    headers: [],
    mode,
    async waitForSpans(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (sink.spans.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} spans, got ${sink.spans.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return sink.spans;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      sink.requests += 1;
      sink.headers.push(req.headers);
      if (sink.mode === 'hang') {
        hanging.add(res);
        return;
      }
      if (sink.mode === 500 || sink.mode === 429) {
        res.writeHead(sink.mode, sink.mode === 429 ? { 'retry-after': '0' } : {});
        res.end();
        return;
      }
      if (req.url === '/v1/traces') sink.spans.push(...decodeTraceRequest(Buffer.concat(chunks)));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sink;
}
