/**
 * The OTLP/JSON form of ExportTraceServiceRequest, validated with zod.
 *
 * Per the OTLP spec's JSON mapping: keys are lowerCamelCase (the spec says original proto
 * names are NOT valid keys, so `trace_id` is an unknown field and ignored like any other);
 * trace/span ids are hex strings (case-insensitive); enums are integers; 64-bit integers may be
 * decimal strings or numbers; unknown fields are ignored. `bytesValue` is base64.
 *
 * AnyValue is validated one level deep here. Nested array/kvlist elements are left `unknown`
 * and checked by the attribute renderer, which stops at MAX_VALUE_DEPTH: a recursive zod
 * schema would recurse as deep as the input and could overflow the stack.
 */
import { z } from 'zod';
import { SightlineError } from '../errors.js';

// Not z.int(): it stops at 2^53, and nanosecond times sent as JSON numbers are past it
// (imprecise, but the spec lets senders use numbers).
const integral = z.number().refine(Number.isInteger, 'expected an integer');
const int64 = z.union([z.string().regex(/^-?\d+$/), integral]);
/**
 * Times are checked per span by the decoder (decode.ts `nanos`), not here: a time that cannot be
 * stored (0, negative, fractional, 1e300, 26 digits, not a number) rejects its span through
 * partial success, never the whole request.
 */
export const time = z.union([z.string(), z.number()]);
export const enumInt = z.number().int();
/** Ids are hex per the spec; non-string ids are a shape error, bad lengths reject only the span. */
export const id = z.string();

export const anyValue = z.object({
  stringValue: z.string().optional(),
  boolValue: z.boolean().optional(),
  intValue: int64.optional(),
  doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).optional(),
  bytesValue: z.string().optional(),
  arrayValue: z.object({ values: z.array(z.unknown()).optional() }).optional(),
  kvlistValue: z.object({ values: z.array(z.unknown()).optional() }).optional(),
});

const keyValue = z.object({ key: z.string(), value: anyValue.nullish() });
export const attributes = z.array(keyValue).nullish();

const event = z.object({
  timeUnixNano: time.optional(),
  name: z.string().optional(),
  attributes,
});

const link = z.object({
  traceId: id.optional(),
  spanId: id.optional(),
  traceState: z.string().optional(),
  attributes,
});

const span = z.object({
  traceId: id.optional(),
  spanId: id.optional(),
  traceState: z.string().optional(),
  parentSpanId: id.optional(),
  name: z.string().optional(),
  kind: enumInt.optional(),
  startTimeUnixNano: time.optional(),
  endTimeUnixNano: time.optional(),
  attributes,
  events: z.array(event).nullish(),
  links: z.array(link).nullish(),
  status: z.object({ message: z.string().optional(), code: enumInt.optional() }).nullish(),
});

const scopeSpans = z.object({
  scope: z.object({ name: z.string().optional(), version: z.string().optional() }).nullish(),
  spans: z.array(span).nullish(),
});

const resourceSpans = z.object({
  resource: z.object({ attributes }).nullish(),
  scopeSpans: z.array(scopeSpans).nullish(),
});

export const JsonExportTraceServiceRequest = z.object({
  resourceSpans: z.array(resourceSpans).nullish(),
});

export type JsonExportTraceServiceRequest = z.output<typeof JsonExportTraceServiceRequest>;
export type JsonResourceSpans = z.output<typeof resourceSpans>;
export type JsonSpan = z.output<typeof span>;
export type JsonKeyValue = z.output<typeof keyValue>;
export type JsonAnyValue = z.output<typeof anyValue>;

/** Parses and validates an OTLP/JSON body; SightlineError('undecodable_body') when it is not one. */
export function decodeJsonRequest(body: Uint8Array): JsonExportTraceServiceRequest {
  return parseJsonBody(body, JsonExportTraceServiceRequest, 'ExportTraceServiceRequest');
}

/** JSON.parse + zod, both failures as SightlineError('undecodable_body') naming `what` was expected. */
export function parseJsonBody<T extends z.ZodType>(body: Uint8Array, schema: T, what: string): z.output<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (err) {
    throw new SightlineError('undecodable_body', `invalid JSON body: ${(err as Error).message}`, { cause: err });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? issue.path.join('.') : '';
    throw new SightlineError(
      'undecodable_body',
      `body is not an OTLP/JSON ${what}: ${issue?.message ?? 'invalid'}${path ? ` at ${path}` : ''}`,
      { field: path || undefined },
    );
  }
  return result.data;
}
