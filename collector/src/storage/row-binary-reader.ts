/**
 * Reads RowBinaryWithNamesAndTypes bytes far enough for the write path's rare needs: where each
 * row ends (to isolate rows ClickHouse refuses, to find the complete rows of a log segment torn by
 * a crash) and the text of a few columns (the span ids of a replayed segment). Values are skipped
 * by the layout types of the header, so a segment written by another version reads as written.
 * Every read is bounds-checked: truncated or corrupt bytes end the rows, they never throw.
 */

export interface RowBinaryHeader {
  columns: string[];
  types: string[];
  /** Offset of the first row. */
  end: number;
}

/** Returns the offset after the value at `off`, or -1 when the bytes end first. */
type Skip = (b: Buffer, off: number) => number;

const MAX_COLUMNS = 10_000;

/** A varint at `off`: [value, next offset], or undefined when the bytes end first. */
function readVarint(b: Buffer, off: number): [number, number] | undefined {
  let n = 0;
  let scale = 1;
  for (let i = 0; i < 9; i++) {
    if (off >= b.length) return undefined;
    const byte = b[off++]!;
    n += (byte & 0x7f) * scale;
    if (byte < 0x80) return [n, off];
    scale *= 0x80;
  }
  return undefined;
}

function readString(b: Buffer, off: number): [string, number] | undefined {
  const v = readVarint(b, off);
  if (!v || v[1] + v[0] > b.length) return undefined;
  return [b.toString('utf8', v[1], v[1] + v[0]), v[1] + v[0]];
}

/** The header at the start of `b`, or undefined when it is incomplete or not one. */
export function readRowBinaryHeader(b: Buffer): RowBinaryHeader | undefined {
  const count = readVarint(b, 0);
  if (!count || count[0] === 0 || count[0] > MAX_COLUMNS) return undefined;
  let off = count[1];
  const names: string[] = [];
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < count[0]; i++) {
      const s = readString(b, off);
      if (!s) return undefined;
      names.push(s[0]);
      off = s[1];
    }
  }
  const types = names.splice(count[0]);
  if (!types.every((t) => skipperOf(t))) return undefined;
  return { columns: names, types, end: off };
}

const fixed =
  (size: number): Skip =>
  (b, off) =>
    off + size <= b.length ? off + size : -1;

const skipString: Skip = (b, off) => {
  const v = readVarint(b, off);
  return v && v[1] + v[0] <= b.length ? v[1] + v[0] : -1;
};

const FIXED_SIZES: Record<string, number> = {
  UInt8: 1,
  Int8: 1,
  UInt16: 2,
  Int16: 2,
  UInt32: 4,
  Int32: 4,
  Float32: 4,
  UInt64: 8,
  Int64: 8,
  Float64: 8,
};

const skippers = new Map<string, Skip | undefined>();

/** A skipper for a layout type (String, fixed-size numbers, Array(T), Map(K, V)), or undefined for others. */
function skipperOf(type: string): Skip | undefined {
  if (!skippers.has(type)) skippers.set(type, compileSkipper(type.trim()));
  return skippers.get(type);
}

function compileSkipper(t: string): Skip | undefined {
  if (t === 'String') return skipString;
  if (FIXED_SIZES[t] !== undefined) return fixed(FIXED_SIZES[t]);
  const inner = /^(Array|Map)\((.*)\)$/.exec(t);
  if (!inner) return undefined;
  const args = splitArgs(inner[2]!);
  const elements = args.map(skipperOf);
  if (elements.some((e) => !e) || elements.length !== (inner[1] === 'Array' ? 1 : 2)) return undefined;
  const [first, second] = elements as Skip[];
  return (b, off) => {
    const n = readVarint(b, off);
    if (!n) return -1;
    let at = n[1];
    for (let i = 0; i < n[0] && at >= 0; i++) {
      at = first!(b, at);
      if (second && at >= 0) at = second(b, at);
    }
    return at;
  };
}

/** `K, V` → ['K', 'V'] at the top level of nesting. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((a) => a.trim());
}

/**
 * The rows of `body` (bytes after the header) as views, each one complete row; rows cut short at
 * the end are left out. `complete` says whether the rows end exactly at the end of `body`.
 */
export function splitRowBinaryRows(header: RowBinaryHeader, body: Buffer): { rows: Buffer[]; complete: boolean } {
  const skips = header.types.map((t) => skipperOf(t)!);
  const rows: Buffer[] = [];
  let off = 0;
  while (off < body.length) {
    let at = off;
    for (let c = 0; c < skips.length && at >= 0; c++) at = skips[c]!(body, at);
    if (at < 0) return { rows, complete: false };
    rows.push(body.subarray(off, at));
    off = at;
  }
  return { rows, complete: true };
}

/** The String values of `columns` (indices into the header) in one row, or undefined if it cannot be read. */
export function readRowStrings(header: RowBinaryHeader, row: Buffer, columns: readonly number[]): string[] | undefined {
  const skips = header.types.map((t) => skipperOf(t)!);
  const out: string[] = [];
  let at = 0;
  const last = Math.max(...columns);
  for (let c = 0; c <= last && at >= 0; c++) {
    if (columns.includes(c)) {
      if (header.types[c] !== 'String') return undefined;
      const s = readString(row, at);
      if (!s) return undefined;
      out[columns.indexOf(c)] = s[0];
      at = s[1];
    } else {
      at = skips[c]!(row, at);
    }
  }
  return at < 0 ? undefined : out;
}
