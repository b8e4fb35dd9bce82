/**
 * Content capture: serialize lazily, redact, then cap. Nothing here runs unless capture is on,
 * so the cost of an instrumented call with capture off is one boolean check.
 */

/** Which attribute a captured value is for, so a redactor can treat prompts and tool I/O differently. */
export type ContentField = 'gen_ai.input.messages' | 'gen_ai.output.messages' | 'gen_ai.tool.call.arguments' | 'gen_ai.tool.call.result';

/**
 * Receives the serialized value (JSON text) and returns what may leave the process.
 * Runs before truncation, so patterns that straddle the cap are still removed.
 */
export type Redactor = (text: string, field: ContentField) => string;

export const TRUNCATION_MARKER = '…[truncated]';
/** Put in place of content when the redactor throws: never fall back to the raw text. */
export const REDACTION_FAILED = '[redaction failed]';

export interface CaptureSettings {
  captureContent: boolean;
  maxContentLength: number;
  redact: Redactor | undefined;
}

/** Serialize, redact and cap one value; undefined when there is nothing to record. */
export function captureValue(value: unknown, field: ContentField, settings: CaptureSettings): string | undefined {
  if (!settings.captureContent || value === undefined) return undefined;
  let text = serialize(value);
  if (settings.redact) {
    try {
      text = settings.redact(text, field);
    } catch {
      text = REDACTION_FAILED;
    }
  }
  return truncate(text, settings.maxContentLength);
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(0, max - TRUNCATION_MARKER.length);
  return text.slice(0, keep) + TRUNCATION_MARKER;
}

/** Strings are kept as they are (a tool that returns text should not get quoted JSON). */
export function serialize(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    const json = JSON.stringify(value, jsonReplacer());
    return json === undefined ? String(value) : json;
  } catch {
    return String(value);
  }
}

/** Tolerates bigint and cycles, which plain JSON.stringify throws on. */
function jsonReplacer() {
  const seen = new WeakSet<object>();
  return (_key: string, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[Circular]';
      seen.add(v);
    }
    return v;
  };
}

/**
 * A ready-made redactor: replaces every match of the patterns (default: e-mail addresses and
 * long digit runs such as card numbers) with `[REDACTED]`.
 */
export function redactPatterns(
  patterns: RegExp[] = [/[\w.+-]+@[\w-]+\.[\w.-]+/g, /\b\d(?:[ -]?\d){12,18}\b/g],
  replacement = '[REDACTED]',
): Redactor {
  const global = patterns.map((p) => (p.global ? p : new RegExp(p.source, `${p.flags}g`)));
  return (text) => global.reduce((t, p) => t.replace(p, replacement), text);
}
