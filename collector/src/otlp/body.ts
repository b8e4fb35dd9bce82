/**
 * Reads an OTLP request body with size limits, decompressing gzip/deflate as a stream.
 *
 * Limits (the OTLP spec: "MUST limit the size of the request body ... including after
 * decompression", 413 when exceeded):
 * - a Content-Length above `maxBytes` is refused before a byte is read;
 * - the bytes received (compressed or not) are counted while streaming;
 * - the decompressed bytes are counted as zlib produces them, and decompression is aborted
 *   the moment the count passes `maxBytes`: a gzip bomb never inflates past the limit.
 *
 * An unsupported Content-Encoding is 415 Unsupported Media Type, as RFC 9110 §15.5.16 says for
 * an unsupported content coding; the response lists what we accept in Accept-Encoding.
 */
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { SightlineError } from '../errors.js';

export type ContentCoding = 'identity' | 'gzip' | 'deflate';

/** For the Accept-Encoding header of a 415 response. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, identity';

/** Parses Content-Encoding; throws SightlineError('unsupported_media_type') for anything else. */
export function parseContentEncoding(header: string | null): ContentCoding {
  // A list means codings applied in order; past `identity`, we support exactly one.
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length === 1) {
    const c = codings[0];
    if (c === 'gzip' || c === 'x-gzip') return 'gzip';
    if (c === 'deflate') return 'deflate';
  }
  throw new SightlineError('unsupported_media_type', `unsupported Content-Encoding '${header}'; use ${ACCEPTED_ENCODINGS}`, {
    field: 'content-encoding',
  });
}

function tooLarge(what: string, maxBytes: number): SightlineError {
  return new SightlineError('payload_too_large', `${what} exceeds the limit of ${maxBytes} bytes`);
}

/**
 * Reads `req`'s body into one Buffer, decoded per its Content-Encoding.
 * @throws SightlineError payload_too_large | unsupported_media_type | undecodable_body | bad_request
 */
export async function readRequestBody(req: Request, maxBytes: number): Promise<Buffer> {
  const coding = parseContentEncoding(req.headers.get('content-encoding'));
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge('request body (Content-Length)', maxBytes);
  if (!req.body) return Buffer.alloc(0);

  const reader = req.body.getReader();
  try {
    return coding === 'identity' ? await readIdentity(reader, maxBytes) : await readCompressed(reader, coding, maxBytes);
  } finally {
    // Stop the client's upload (and any generator behind it) when we leave early.
    reader.cancel().catch(() => {});
  }
}

type BodyReader = ReadableStreamDefaultReader<Uint8Array>;

async function readChunk(reader: BodyReader): Promise<Uint8Array | undefined> {
  try {
    const { done, value } = await reader.read();
    return done ? undefined : value;
  } catch (err) {
    throw new SightlineError('bad_request', `reading the request body failed: ${(err as Error).message}`, { cause: err });
  }
}

async function readIdentity(reader: BodyReader, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let chunk = await readChunk(reader); chunk; chunk = await readChunk(reader)) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge('request body', maxBytes);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? toBuffer(chunks[0]!) : Buffer.concat(chunks, total);
}

function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

async function readCompressed(reader: BodyReader, coding: 'gzip' | 'deflate', maxBytes: number): Promise<Buffer> {
  const inflater: Gunzip | Inflate = coding === 'gzip' ? createGunzip() : createInflate();
  const out: Buffer[] = [];
  let inflated = 0;
  let failure: SightlineError | undefined;

  const finished = new Promise<void>((resolve, reject) => {
    const fail = (err: SightlineError) => {
      failure ??= err;
      inflater.destroy();
      reject(failure);
    };
    inflater.on('data', (chunk: Buffer) => {
      inflated += chunk.byteLength;
      if (inflated > maxBytes) return fail(tooLarge('decompressed request body', maxBytes));
      out.push(chunk);
    });
    inflater.on('error', (err) => fail(new SightlineError('undecodable_body', `invalid ${coding} body: ${err.message}`, { cause: err })));
    inflater.on('end', resolve);
  });
  finished.catch(() => {}); // observed below; avoid an unhandled rejection while we are still writing

  let received = 0;
  for (let chunk = await readChunk(reader); chunk; chunk = await readChunk(reader)) {
    if (failure) break;
    received += chunk.byteLength;
    if (received > maxBytes) {
      inflater.destroy();
      throw tooLarge('compressed request body', maxBytes);
    }
    // Backpressure: wait for zlib to drain (each 'data' is counted above) before reading more.
    if (!inflater.write(chunk)) await waitDrainOrFail(inflater, finished);
  }
  if (failure) throw failure;
  inflater.end();
  await finished;
  return Buffer.concat(out, inflated);
}

function waitDrainOrFail(inflater: Gunzip | Inflate, finished: Promise<void>): Promise<void> {
  return Promise.race([
    new Promise<void>((resolve) => inflater.once('drain', resolve)),
    finished, // rejects if decompression fails or crosses the limit while we wait
  ]);
}
