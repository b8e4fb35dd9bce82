/**
 * OTLP/gRPC on 4317: the TraceService's and the LogsService's Export, for exporters that speak gRPC unless told otherwise
 * (Python's opentelemetry-instrument, most Go and Java set-ups). `@grpc/grpc-js` does the transport
 * (HTTP/2, framing, gzip, the message size limit); the service is registered with byte-passthrough
 * (de)serializers, so the request reaches the same decoder as an OTLP/HTTP protobuf body and the
 * answer is the same ExportTraceServiceResponse bytes. Back-pressure follows the OTLP spec:
 * RESOURCE_EXHAUSTED (queue full) and UNAVAILABLE (storage failing, shutting down), both with a
 * google.rpc.RetryInfo detail, the only form in which exporters retry RESOURCE_EXHAUSTED.
 */
import {
  Metadata,
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { DEFAULT_PROJECT_ID } from '../auth/principal.js';
import { SightlineError } from '../errors.js';
import type { Logger } from '../logger.js';
import { logReceiver } from './receive-logs.js';
import { traceReceiver, type OtlpSink } from './receive-traces.js';
import { encodeExportResponse, grpcCodeOf, type OtlpSignal } from './response.js';
import { RpcStatusType } from './proto.js';

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
export const LOGS_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

const passthrough = (b: Buffer): Buffer => b;

function exportService(path: string): ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: passthrough,
      requestDeserialize: passthrough,
      responseSerialize: passthrough,
      responseDeserialize: passthrough,
    },
  };
}

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/** google.rpc.RetryInfo { retry_delay: google.protobuf.Duration { seconds } } (two nested messages, field 1 each). */
function retryInfo(seconds: number): Uint8Array {
  return protobuf.Writer.create().uint32(10).fork().uint32(8).int64(seconds).ldelim().finish();
}

/** The gRPC error for a thrown value: status, message, and RetryInfo when the client should retry. */
export function grpcError(err: unknown): { code: GrpcStatus; details: string; metadata: Metadata } {
  const e = err instanceof SightlineError ? err : new SightlineError('internal', 'internal error while receiving spans', { cause: err });
  const code: GrpcStatus = grpcCodeOf(e);
  const metadata = new Metadata();
  const retryable = e.code === 'overloaded' || e.code === 'quota_exceeded' || e.code === 'unavailable';
  const details = retryable ? [{ typeUrl: RETRY_INFO_TYPE_URL, value: retryInfo(Math.max(1, Math.ceil(e.retryAfterSeconds ?? 1))) }] : [];
  metadata.set(
    'grpc-status-details-bin',
    Buffer.from(RpcStatusType.encode(RpcStatusType.create({ code, message: e.message, details })).finish()),
  );
  return { code, details: e.message, metadata };
}

export interface GrpcReceiverOptions {
  sink: OtlpSink;
  /** Largest message accepted (grpc-js applies it after decompression too): RESOURCE_EXHAUSTED above. */
  maxMessageBytes: number;
  logger?: Logger;
  /**
   * The project a call's metadata (`authorization`) sends to; throw a SightlineError to refuse it
   * (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED). Without it every call goes to the
   * default project (the open local mode).
   */
  authorize?: (metadata: Metadata) => Promise<string> | string;
}

export interface RunningGrpcReceiver {
  port: number;
  close(): Promise<void>;
}

export async function startGrpcReceiver(opts: GrpcReceiverOptions, host: string, port: number): Promise<RunningGrpcReceiver> {
  const traces = traceReceiver(opts.sink, opts.logger);
  const server = new Server({
    'grpc.max_receive_message_length': opts.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  const logs = opts.sink.acceptLogs ? logReceiver({ acceptLogs: (rows, projectId) => opts.sink.acceptLogs!(rows, projectId) }) : undefined;
  type Receive = (
    body: Buffer,
    projectId: string,
    onDecoded: (spans: number) => void,
  ) => Promise<{ rejected: number; rejectionMessage: string }>;
  const handler = (receive: Receive, signal: OtlpSignal) => (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
    let release: ((spans?: number) => void) | undefined;
    let decodedSpans: number | undefined;
    (async () => {
      const projectId = opts.authorize ? await opts.authorize(call.metadata) : DEFAULT_PROJECT_ID;
      release = opts.sink.admit?.(call.request.length);
      const { rejected, rejectionMessage } = await receive(call.request, projectId, (n) => (decodedSpans = n));
      callback(null, Buffer.from(encodeExportResponse('protobuf', rejected, rejectionMessage, signal).body as Uint8Array));
    })()
      .catch((err: unknown) => callback(grpcError(err)))
      .finally(() => release?.(decodedSpans));
  };
  server.addService(exportService(TRACE_EXPORT_PATH), {
    Export: handler((body, projectId, onDecoded) => traces.receive(body, 'protobuf', projectId, onDecoded), 'traces'),
  });
  if (logs) {
    server.addService(exportService(LOGS_EXPORT_PATH), {
      Export: handler((body, projectId) => logs.receive(body, 'protobuf', projectId), 'logs'),
    });
  }
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        // Finish calls in flight, then cut what is left after a grace period (as the HTTP server does).
        const force = setTimeout(() => server.forceShutdown(), 5000);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
