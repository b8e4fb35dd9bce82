/** Helpers every convention's normalizer uses; parsing here never throws on bad values. */
import type { SpanView } from './types.js';

type Attrs = Readonly<Record<string, string>>;

/** The first non-empty value among `keys`. */
export function first(attrs: Attrs, keys: readonly string[]): string {
  for (const k of keys) {
    const v = attrs[k];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

/**
 * A count for a UInt64 column (every numeric column a normalizer fills goes through here): a
 * non-negative safe integer, fractions truncated. Anything else is 0: garbage, negative, NaN, and
 * counts past 2^53 (`"1e300"`), which are not real token counts, would reach ClickHouse as `1e+300`
 * (refused by a UInt64 column) and would make every sum over them meaningless.
 */
export function tokenCount(v: unknown): number {
  if (typeof v !== 'number' && typeof v !== 'string') return 0;
  if (v === '') return 0;
  const n = Math.trunc(Number(v));
  return n > 0 && n <= Number.MAX_SAFE_INTEGER ? n : 0;
}

export function parseJson(v: string | undefined): unknown {
  if (v === undefined || v === '') return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** finish_reasons arrives as a JSON array (string[] attribute) or, from some SDKs, one string. */
export function finishReasons(v: string | undefined): string[] {
  if (v === undefined || v === '') return [];
  if (v.charCodeAt(0) === 91 /* [ */) {
    const parsed = parseJson(v);
    if (Array.isArray(parsed)) return parsed.filter((x) => x !== null && x !== undefined).map(String);
  }
  return [v];
}

/** `error.type`, else the type of an `exception` event on a failed span. */
export function errorType(span: SpanView): string {
  const t = span.span_attributes['error.type'];
  if (t) return t;
  if (span.status_code !== 'ERROR') return '';
  for (let i = 0; i < span.event_names.length; i++) {
    if (span.event_names[i] === 'exception') return span.event_attributes[i]?.['exception.type'] ?? '';
  }
  return '';
}

/**
 * Session ids that context-propagating SDKs put on every span whatever the convention that made
 * it (OpenInference `session.id`, Langfuse's propagateAttributes `session.id` / older
 * `langfuse.session.id`), so a Vercel or OpenInference span inside a Langfuse trace still joins
 * its session.
 */
export function propagatedSession(attrs: Attrs): string {
  return first(attrs, ['session.id', 'langfuse.session.id', 'sightline.session.id']);
}

/** `<prefix><i>.<field>` keys for i < n: indexed attributes the decoder must recognise by exact name. */
export function indexedKeys(prefix: string, fields: readonly string[], n = 64): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) for (const f of fields) out.push(`${prefix}${i}.${f}`);
  return out;
}

/**
 * Collects flattened list attributes (`llm.input_messages.0.message.role`, `gen_ai.prompt.1.content`)
 * into an array of objects keyed by the rest of the name (`message.role`, `content`), with `strip`
 * removed from the front of those keys. Returns [] when there are none.
 */
export function unflatten(attrs: Attrs, prefix: string, strip = ''): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const key in attrs) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const index = Number(dot < 0 ? NaN : rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 0 || index > 10_000) continue;
    let field = rest.slice(dot + 1);
    if (strip && field.startsWith(strip)) field = field.slice(strip.length);
    (out[index] ??= {})[field] = attrs[key]!;
  }
  return out.filter((x) => x !== undefined);
}

/** Deletes every attribute under `prefix` (a flattened copy of content now stored in input/output). */
export function deletePrefixed(attrs: Record<string, string>, prefix: string): void {
  for (const key of Object.keys(attrs)) if (key.startsWith(prefix)) delete attrs[key];
}
