/** One unary OTLP/gRPC Export call with raw request bytes, as tests and the ingest bench make it. */
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';

export type ExportAnswer = { ok: Buffer } | { error: ServiceError };

const passthrough = (b: Buffer): Buffer => b;

/** Sends `body` to `path` over `client` (one HTTP/2 connection, reused by the caller). */
export function exportOnce(client: Client, path: string, body: Uint8Array): Promise<ExportAnswer> {
  return new Promise((resolve) =>
    client.makeUnaryRequest(path, passthrough, passthrough, Buffer.from(body), new Metadata(), (error, value) =>
      resolve(error ? { error } : { ok: value! }),
    ),
  );
}

/** One call on a connection of its own to 127.0.0.1:`port`. */
export async function exportTo(port: number, path: string, body: Uint8Array): Promise<ExportAnswer> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    return await exportOnce(client, path, body);
  } finally {
    client.close();
  }
}
