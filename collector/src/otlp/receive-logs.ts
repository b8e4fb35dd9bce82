/**
 * What every OTLP logs receiver (HTTP /v1/logs, gRPC LogsService) does with a request body:
 * decode → hand the rows to the log writer. The transport differences stay in routes.ts / grpc.ts.
 */
import type { LogRow } from '../storage/log-table.js';
import type { OtlpFormat } from './decode.js';
import { decodeLogsRequest } from './decode-logs.js';

export interface LogSink {
  /** Resolves once the rows are stored; rejects with a SightlineError (`overloaded`/`unavailable`). */
  acceptLogs(rows: LogRow[], projectId: string): Promise<void>;
}

export function logReceiver(sink: LogSink, now: () => number = Date.now) {
  return {
    async receive(body: Uint8Array, format: OtlpFormat, projectId: string): Promise<{ rejected: number; rejectionMessage: string }> {
      const { rows, rejected, rejectionMessage } = decodeLogsRequest(body, format, BigInt(now()) * 1_000_000n);
      if (rows.length > 0) await sink.acceptLogs(rows, projectId);
      return { rejected, rejectionMessage };
    },
  };
}
