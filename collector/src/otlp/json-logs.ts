/**
 * The OTLP/JSON form of ExportLogsServiceRequest, validated with zod under the same JSON mapping
 * rules as traces (json.ts): lowerCamelCase keys, hex ids, integer enums, unknown fields ignored.
 * Times and ids are checked per record by the decoder, so one bad record never costs the request.
 */
import { z } from 'zod';
import { anyValue, attributes, enumInt, id, parseJsonBody, time } from './json.js';

const logRecord = z.object({
  timeUnixNano: time.optional(),
  observedTimeUnixNano: time.optional(),
  severityNumber: enumInt.optional(),
  severityText: z.string().optional(),
  body: anyValue.nullish(),
  attributes,
  traceId: id.optional(),
  spanId: id.optional(),
  eventName: z.string().optional(),
});

const scopeLogs = z.object({
  scope: z.object({ name: z.string().optional(), version: z.string().optional() }).nullish(),
  logRecords: z.array(logRecord).nullish(),
});

const resourceLogs = z.object({
  resource: z.object({ attributes }).nullish(),
  scopeLogs: z.array(scopeLogs).nullish(),
});

export const JsonExportLogsServiceRequest = z.object({ resourceLogs: z.array(resourceLogs).nullish() });
export type JsonResourceLogs = z.output<typeof resourceLogs>;

export function decodeJsonLogsRequest(body: Uint8Array): z.output<typeof JsonExportLogsServiceRequest> {
  return parseJsonBody(body, JsonExportLogsServiceRequest, 'ExportLogsServiceRequest');
}
