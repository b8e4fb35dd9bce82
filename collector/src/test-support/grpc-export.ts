/** One unary OTLP/gRPC Export call with raw request bytes, as tests and the ingest bench make it. */
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';

export type ExportAnswer = { ok: Buffer } | { error: ServiceError };

const passthrough = (b: Buffer): Buffer => b;

/** Sends `body` to `path` over `client` (one HTTP/2 connection, reused by the caller), with `metadata` (e.g. authorization). */
export function exportOnce(client: Client, path: string, body: Uint8Array, metadata: Record<string, string> = {}): Promise<ExportAnswer> {
  const md = new Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  return new Promise((resolve) =>
    client.makeUnaryRequest(path, passthrough, passthrough, Buffer.from(body), md, (error, value) =>
      resolve(error ? { error } : { ok: value! }),
    ),
  );
}

/** One call on a connection of its own to 127.0.0.1:`port`. */
export async function exportTo(port: number, path: string, body: Uint8Array, metadata: Record<string, string> = {}): Promise<ExportAnswer> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    return await exportOnce(client, path, body, metadata);
  } finally {
    client.close();
  }
}
