/**
 * Renders OTLP AnyValues as the strings stored in attribute maps:
 * string as is, bool 'true'/'false', int as a decimal string (all 64 bits), double via String(),
 * bytes as base64, arrays and kvlists as JSON. Values are cut at a size cap and nesting is cut
 * at MAX_VALUE_DEPTH, each with a marker (limits.ts). Nothing here recurses deeper than that.
 */
import { SightlineError } from '../errors.js';
import { MAX_VALUE_DEPTH, TRUNCATED_DEPTH_MARKER, truncationMarker } from './limits.js';
import { decodeArrayValue, decodeKeyValueList, type Int64Bits, type PbAnyValue, type PbKeyValue } from './proto.js';

// ---------- shared helpers ----------

/** Cuts `s` to `max` UTF-16 units plus a marker; never splits a surrogate pair. */
export function capString(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  // A slice of a 10 MB string is a view that keeps the 10 MB alive for as long as the row
  // waits in the write queue; copying through a Buffer makes it an independent string.
  const head = Buffer.from(s.slice(0, cut), 'utf8').toString('utf8');
  return head + truncationMarker(s.length - cut);
}

/** Sets a key even when it is `__proto__`, which plain assignment would swallow. */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

const TWO_32 = 4294967296n;

/** 64-bit integer (protobufjs Long, number or decimal string) as a decimal string. */
export function int64ToString(v: Int64Bits | number | string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.trunc(v));
  if (v.high === 0) return String(v.low >>> 0);
  if (v.high === -1 && v.low < 0 && !v.unsigned) return String(v.low);
  const big = BigInt(v.high >>> 0) * TWO_32 + BigInt(v.low >>> 0);
  return (v.unsigned ? big : BigInt.asIntN(64, big)).toString();
}

/** The JSON value of a 64-bit integer: a number when exact, else its decimal string. */
function int64ToJson(v: Int64Bits | number | string): number | string {
  if (typeof v === 'number') return v;
  const s = int64ToString(v);
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : s;
}

function doubleToJson(d: number): number | string {
  return Number.isFinite(d) ? d : String(d);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

// ---------- protobuf AnyValue ----------

function pbToJson(v: PbAnyValue | null | undefined, depth: number): unknown {
  if (!v) return null;
  switch (v.value) {
    case 'stringValue':
      return v.stringValue;
    case 'boolValue':
      return v.boolValue;
    case 'intValue':
      return int64ToJson(v.intValue);
    case 'doubleValue':
      return doubleToJson(v.doubleValue);
    case 'bytesValue':
      return base64(v.bytesValue);
    case 'arrayValue': {
      if (depth >= MAX_VALUE_DEPTH) return TRUNCATED_DEPTH_MARKER;
      const values = decodeNested(decodeArrayValue, v.arrayValue);
      const out = new Array<unknown>(values.length);
      for (let i = 0; i < values.length; i++) out[i] = pbToJson(values[i], depth + 1);
      return out;
    }
    case 'kvlistValue': {
      if (depth >= MAX_VALUE_DEPTH) return TRUNCATED_DEPTH_MARKER;
      const out: Record<string, unknown> = {};
      for (const kv of decodeNested(decodeKeyValueList, v.kvlistValue)) setKey(out, kv.key, pbToJson(kv.value, depth + 1));
      return out;
    }
    default:
      return null;
  }
}

function decodeNested<T>(decode: (b: Uint8Array) => T, bytes: Uint8Array): T {
  try {
    return decode(bytes);
  } catch (err) {
    throw new SightlineError('undecodable_body', `invalid OTLP protobuf body: nested AnyValue: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** A protobuf AnyValue as an attribute string, capped at `max` chars. */
export function pbValueToString(v: PbAnyValue | null | undefined, max: number): string {
  if (!v) return '';
  switch (v.value) {
    case 'stringValue':
      return capString(v.stringValue, max);
    case 'boolValue':
      return v.boolValue ? 'true' : 'false';
    case 'intValue':
      return int64ToString(v.intValue);
    case 'doubleValue':
      return String(v.doubleValue);
    case 'bytesValue':
      return capString(base64(v.bytesValue), max);
    case 'arrayValue':
    case 'kvlistValue':
      return capString(JSON.stringify(pbToJson(v, 0)), max);
    default:
      return '';
  }
}

/** Protobuf KeyValues as a string map; keys in `contentKeys` get `contentMax` instead of `max`. */
export function pbAttributes(
  kvs: readonly PbKeyValue[] | null | undefined,
  max: number,
  contentKeys: ReadonlySet<string>,
  contentMax: number,
): Record<string, string> {
  return toAttributes(kvs, pbValueToString, max, contentKeys, contentMax);
}

/** Key-values of either encoding as a string map: the one loop behind pbAttributes and jsonAttributes. */
function toAttributes<V>(
  kvs: readonly { key: string; value?: V }[] | null | undefined,
  valueToString: (value: V | undefined, max: number) => string,
  max: number,
  contentKeys: ReadonlySet<string>,
  contentMax: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!kvs) return out;
  for (let i = 0; i < kvs.length; i++) {
    const kv = kvs[i]!;
    setKey(out, kv.key, valueToString(kv.value, contentKeys.has(kv.key) ? contentMax : max));
  }
  return out;
}

// ---------- JSON AnyValue ----------
// Top-level values were shape-checked by zod; nested ones were not, so every access checks types.

const INT_STRING = /^-?\d+$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonToJson(v: unknown, depth: number): unknown {
  if (!isRecord(v)) return null;
  const s = v.stringValue;
  if (typeof s === 'string') return s;
  const b = v.boolValue;
  if (typeof b === 'boolean') return b;
  const i = v.intValue;
  if ((typeof i === 'string' && INT_STRING.test(i)) || (typeof i === 'number' && Number.isInteger(i))) return int64ToJson(i);
  const d = v.doubleValue;
  if (typeof d === 'number') return d;
  if (typeof d === 'string') return d; // 'NaN', 'Infinity', '-Infinity' in proto3 JSON
  const bytes = v.bytesValue;
  if (typeof bytes === 'string') return bytes;
  const arr = v.arrayValue;
  if (isRecord(arr)) {
    if (depth >= MAX_VALUE_DEPTH) return TRUNCATED_DEPTH_MARKER;
    const values = Array.isArray(arr.values) ? arr.values : [];
    const out = new Array<unknown>(values.length);
    for (let k = 0; k < values.length; k++) out[k] = jsonToJson(values[k], depth + 1);
    return out;
  }
  const kvl = v.kvlistValue;
  if (isRecord(kvl)) {
    if (depth >= MAX_VALUE_DEPTH) return TRUNCATED_DEPTH_MARKER;
    const out: Record<string, unknown> = {};
    if (Array.isArray(kvl.values)) {
      for (const kv of kvl.values) {
        if (isRecord(kv) && typeof kv.key === 'string') setKey(out, kv.key, jsonToJson(kv.value, depth + 1));
      }
    }
    return out;
  }
  return null;
}

/** A JSON AnyValue as an attribute string, capped at `max` chars. */
export function jsonValueToString(v: unknown, max: number): string {
  if (!isRecord(v)) return '';
  const s = v.stringValue;
  if (typeof s === 'string') return capString(s, max);
  const b = v.boolValue;
  if (typeof b === 'boolean') return b ? 'true' : 'false';
  const i = v.intValue;
  if (typeof i === 'string') return i;
  if (typeof i === 'number') return int64ToString(i);
  const d = v.doubleValue;
  if (typeof d === 'number' || typeof d === 'string') return String(d);
  const bytes = v.bytesValue;
  if (typeof bytes === 'string') return capString(bytes, max);
  if (isRecord(v.arrayValue) || isRecord(v.kvlistValue)) return capString(JSON.stringify(jsonToJson(v, 0)), max);
  return '';
}

export function jsonAttributes(
  kvs: readonly { key: string; value?: unknown }[] | null | undefined,
  max: number,
  contentKeys: ReadonlySet<string>,
  contentMax: number,
): Record<string, string> {
  return toAttributes(kvs, jsonValueToString, max, contentKeys, contentMax);
}
