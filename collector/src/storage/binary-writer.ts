/**
 * Writes values in ClickHouse's RowBinary layout into one growing buffer: strings as a varint byte
 * length then UTF-8, unsigned 64-bit integers and doubles as 8 little-endian bytes, arrays and maps as a varint
 * count then their elements (a map's as key, value pairs). One method per value kind of the span
 * row (span-table.ts), named after it, so the row encoder can be generated from the column list.
 *
 * Hand-written rather than a library: the clients of the field build RowBinary from typed column
 * descriptions at run time (a lookup per value); this is the hot path of ingest, and a row written
 * here costs about as much as JSON.stringify of it while ClickHouse parses it several times faster.
 *
 * Strings are encoded by Buffer's UTF-8 writer, which writes a lone surrogate as U+FFFD: every
 * string reaches ClickHouse well-formed without a scan of its own.
 */

const TWO_32 = 4294967296;
const TWO_16 = 65536;
/** A string this short needs at most 3 × 42 = 126 UTF-8 bytes: its length fits in one varint byte. */
const ONE_BYTE_LENGTH_CHARS = 42;
/** Decimal digits a JavaScript number holds exactly (2^53 has 16). */
const EXACT_DIGITS = 15;

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

export class BinaryWriter {
  private buf: Buffer;
  private off = 0;

  constructor(initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.off;
  }

  /** Starts over, keeping the buffer. */
  reset(): void {
    this.off = 0;
  }

  /** A copy of what was written (the writer's buffer is reused). */
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.off));
  }

  private ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.off + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }

  varint(n: number): void {
    this.ensure(10);
    const b = this.buf;
    while (n >= 0x80) {
      b[this.off++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    b[this.off++] = n;
  }

  /** An unsigned integer below 2^53, as UInt64. */
  uint64(n: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(n % TWO_32, this.off);
    this.buf.writeUInt32LE(Math.floor(n / TWO_32), this.off + 4);
    this.off += 8;
  }

  /**
   * An unsigned decimal string of up to 20 digits, as UInt64 (also the layout of DateTime64 ticks),
   * without BigInt: the number is split as hi·10^9 + lo and each part multiplied in 16-bit halves
   * so that no intermediate passes 2^53.
   */
  decimalUint64(s: string): void {
    const len = s.length;
    if (len === 0 || len > 20) throw new RangeError(`not a 64-bit unsigned decimal: '${s.slice(0, 40)}'`);
    if (len <= EXACT_DIGITS) {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0 || !isDigits(s)) throw new RangeError(`not a 64-bit unsigned decimal: '${s}'`);
      this.uint64(n);
      return;
    }
    if (!isDigits(s)) throw new RangeError(`not a 64-bit unsigned decimal: '${s}'`);
    const hi = Number(s.slice(0, len - 9)); // at most 11 digits: exact
    const lo = Number(s.slice(len - 9)); // < 10^9
    const hiHigh = Math.floor(hi / TWO_16);
    const x = (hi % TWO_16) * 1e9 + lo; // < 2^16 · 10^9 + 10^9 < 2^53
    const y = hiHigh * 1e9; // < 2^21 · 10^9 < 2^53; the value is y · 2^16 + x
    const low = (y % TWO_16) * TWO_16 + (x % TWO_32);
    const high = Math.floor(y / TWO_16) + Math.floor(x / TWO_32) + Math.floor(low / TWO_32);
    if (high >= TWO_32) throw new RangeError(`not a 64-bit unsigned decimal: '${s}'`);
    this.ensure(8);
    this.buf.writeUInt32LE(low % TWO_32, this.off);
    this.buf.writeUInt32LE(high, this.off + 4);
    this.off += 8;
  }

  string(s: string): void {
    const len = s.length;
    if (len <= ONE_BYTE_LENGTH_CHARS) {
      this.ensure(1 + len * 3);
      const b = this.buf;
      const start = this.off + 1;
      // ASCII by hand: a call into the UTF-8 writer costs more than these few characters.
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
      const n = i === len ? len : b.write(s, start);
      b[this.off] = n;
      this.off = start + n;
      return;
    }
    // Room for the longest encoding (3 bytes a UTF-16 unit) after the longest length prefix; the
    // bytes move back in the rare case the actual length needs a shorter prefix.
    const max = len * 3;
    const reserved = varintSize(max);
    this.ensure(reserved + max);
    const start = this.off + reserved;
    const n = this.buf.write(s, start);
    const needed = varintSize(n);
    if (needed < reserved) this.buf.copyWithin(this.off + needed, start, start + n);
    this.varint(n);
    this.off += n;
  }

  // ---- one method per value kind of span-table.ts ----

  text(s: string): void {
    this.string(s);
  }
  spanKind(s: string): void {
    this.string(s);
  }
  statusCode(s: string): void {
    this.string(s);
  }
  nanos(s: string): void {
    this.decimalUint64(s);
  }
  count(n: number): void {
    this.uint64(n);
  }
  usd(n: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(n, this.off);
    this.off += 8;
  }
  texts(values: readonly string[]): void {
    this.varint(values.length);
    for (let i = 0; i < values.length; i++) this.string(values[i]!);
  }
  nanosList(values: readonly string[]): void {
    this.varint(values.length);
    for (let i = 0; i < values.length; i++) this.decimalUint64(values[i]!);
  }
  attributes(map: Record<string, string>): void {
    const keys = Object.keys(map);
    this.varint(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      this.string(k);
      this.string(map[k]!);
    }
  }
  attributesList(maps: readonly Record<string, string>[]): void {
    this.varint(maps.length);
    for (let i = 0; i < maps.length; i++) this.attributes(maps[i]!);
  }
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
