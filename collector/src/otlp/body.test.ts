import { deflateSync, gzipSync, createGzip } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { SightlineError } from '../errors.js';
import { parseContentEncoding, readRequestBody } from './body.js';

function post(body: Uint8Array | string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request('http://x/v1/traces', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SightlineError);
    return (err as SightlineError).code;
  }
  return 'resolved';
}

/** A body stream that yields `chunks` of `size` bytes on demand, counting what was pulled. */
function counted(chunkCount: number, size: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= chunkCount) return controller.close();
        pulled++;
        controller.enqueue(new Uint8Array(size).fill(1));
      },
    },
    { highWaterMark: 0 },
  ); // pull only on demand
  return { stream, pulled: () => pulled };
}

/**
 * `totalBytes` of zeros, gzip-compressed as they are pulled: nothing close to the full
 * uncompressed or compressed size is ever held in memory.
 */
function gzipBomb(totalBytes: number): { stream: ReadableStream<Uint8Array>; zerosFed: () => number } {
  const gzip = createGzip({ level: 9 });
  const zeros = Buffer.alloc(1024 * 1024);
  let fed = 0;
  const feed = () => {
    while (fed < totalBytes) {
      fed += zeros.length;
      if (!gzip.write(zeros)) return gzip.once('drain', feed);
    }
    gzip.end();
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      gzip.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
      gzip.on('end', () => controller.close());
      gzip.pause();
    },
    pull() {
      gzip.resume();
      if (fed === 0) feed();
      return new Promise((resolve) => gzip.once('data', () => (gzip.pause(), resolve())));
    },
    cancel() {
      gzip.destroy();
    },
  });
  return { stream, zerosFed: () => fed };
}

describe('Content-Encoding', () => {
  test('identity, absent, gzip, x-gzip and deflate are accepted, case-insensitively', () => {
    expect(parseContentEncoding(null)).toBe('identity');
    expect(parseContentEncoding('identity')).toBe('identity');
    expect(parseContentEncoding('GZIP')).toBe('gzip');
    expect(parseContentEncoding('x-gzip')).toBe('gzip');
    expect(parseContentEncoding('deflate')).toBe('deflate');
  });

  test('unknown and stacked codings are unsupported_media_type (415)', async () => {
    expect(() => parseContentEncoding('br')).toThrow(SightlineError);
    expect(() => parseContentEncoding('gzip, gzip')).toThrow(/unsupported Content-Encoding/);
    expect(await codeOf(readRequestBody(post('x', { 'content-encoding': 'zstd' }), 100))).toBe('unsupported_media_type');
  });
});

describe('reading bodies', () => {
  const payload = Buffer.from('hello otlp '.repeat(100));

  test('identity body is returned as sent', async () => {
    expect(Buffer.from(await readRequestBody(post(payload), 10_000)).equals(payload)).toBe(true);
  });

  test('gzip and deflate bodies are decompressed', async () => {
    const gz = await readRequestBody(post(gzipSync(payload), { 'content-encoding': 'gzip' }), 10_000);
    const df = await readRequestBody(post(deflateSync(payload), { 'content-encoding': 'deflate' }), 10_000);
    expect(gz.equals(payload)).toBe(true);
    expect(df.equals(payload)).toBe(true);
  });

  test('a body that claims gzip but is not is undecodable_body', async () => {
    expect(await codeOf(readRequestBody(post(payload, { 'content-encoding': 'gzip' }), 10_000))).toBe('undecodable_body');
  });

  test('a truncated gzip body is undecodable_body', async () => {
    const gz = gzipSync(payload);
    expect(await codeOf(readRequestBody(post(gz.subarray(0, gz.length - 10), { 'content-encoding': 'gzip' }), 10_000))).toBe(
      'undecodable_body',
    );
  });
});

describe('size limits', () => {
  test('a Content-Length over the limit is refused before any byte is read', async () => {
    const { stream, pulled } = counted(10, 1000);
    const req = post(stream, { 'content-length': '10000' });
    expect(await codeOf(readRequestBody(req, 5000))).toBe('payload_too_large');
    expect(pulled()).toBe(0);
  });

  test('an identity body without Content-Length stops being read once it passes the limit', async () => {
    const { stream, pulled } = counted(1000, 1000);
    expect(await codeOf(readRequestBody(post(stream), 5000))).toBe('payload_too_large');
    expect(pulled()).toBeLessThan(10);
  });

  test('the compressed size is limited too', async () => {
    const random = Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(Math.random() * 256)));
    const gz = gzipSync(random); // incompressible: compressed > 10_000
    expect(await codeOf(readRequestBody(post(gz, { 'content-encoding': 'gzip' }), 10_000))).toBe('payload_too_large');
  });

  test('a body exactly at the limit is accepted, one byte more is not (after decompression)', async () => {
    const exact = Buffer.alloc(4096, 7);
    const over = Buffer.alloc(4097, 7);
    expect((await readRequestBody(post(gzipSync(exact), { 'content-encoding': 'gzip' }), 4096)).length).toBe(4096);
    expect(await codeOf(readRequestBody(post(gzipSync(over), { 'content-encoding': 'gzip' }), 4096))).toBe('payload_too_large');
  });

  test('a 1 GB gzip bomb is refused after inflating little more than the limit', async () => {
    const limit = 4 * 1024 * 1024;
    const bomb = gzipBomb(1024 * 1024 * 1024);
    const heapBefore = process.memoryUsage().rss;
    expect(await codeOf(readRequestBody(post(bomb.stream, { 'content-encoding': 'gzip' }), limit))).toBe('payload_too_large');
    // The sender was stopped early: nowhere near 1 GB of zeros was ever compressed or inflated.
    expect(bomb.zerosFed()).toBeLessThan(64 * 1024 * 1024);
    expect(process.memoryUsage().rss - heapBefore).toBeLessThan(200 * 1024 * 1024);
  });
});
