import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryWriter } from './binary-writer.js';

const bytes = (write: (w: BinaryWriter) => void) => {
  const w = new BinaryWriter(16); // small, so that growing is exercised
  write(w);
  return w.bytes();
};

describe('BinaryWriter', () => {
  it('writes a decimal string as the same 8 little-endian bytes as its BigInt, for any 64-bit value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (n) => {
        const expected = Buffer.alloc(8);
        expected.writeBigUInt64LE(n);
        expect(bytes((w) => w.decimalUint64(n.toString()))).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
    for (const n of [0n, 1n, 10n ** 15n - 1n, 10n ** 15n, 10n ** 18n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n]) {
      expect(bytes((w) => w.decimalUint64(n.toString())).readBigUInt64LE()).toBe(n);
    }
  });

  it('refuses what is not an unsigned 64-bit decimal', () => {
    for (const s of ['', '-1', '1e5', '12a', '1.5', ' 1', String(2n ** 64n), '1'.repeat(21)]) {
      expect(() => bytes((w) => w.decimalUint64(s)), s).toThrow(RangeError);
    }
  });

  it('writes safe integers as UInt64', () => {
    for (const n of [0, 1, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      expect(bytes((w) => w.uint64(n)).readBigUInt64LE()).toBe(BigInt(n));
    }
  });

  it('writes strings as a varint byte length then UTF-8, whatever their length and characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        const utf8 = Buffer.from(s, 'utf8');
        const out = bytes((w) => w.string(s));
        let len = 0;
        let shift = 1;
        let i = 0;
        for (; out[i]! >= 0x80; i++, shift *= 128) len += (out[i]! & 0x7f) * shift;
        len += out[i]! * shift;
        expect(len).toBe(utf8.length);
        expect(out.subarray(i + 1)).toEqual(utf8);
      }),
      { numRuns: 2000 },
    );
    // Around the one-byte length limit and the reserved-prefix shortcut: 3 bytes a char assumed, 1 used.
    for (const n of [42, 43, 127, 128, 5461, 5462, 16383, 16384, 70_000]) {
      const s = 'a'.repeat(n);
      expect(
        bytes((w) => w.string(s))
          .subarray(-n)
          .toString(),
      ).toBe(s);
    }
  });

  it('writes a lone surrogate as U+FFFD', () => {
    expect(bytes((w) => w.string('a\ud800b')).toString('utf8', 1)).toBe('a\ufffdb');
    expect(
      bytes((w) => w.string('x'.repeat(50) + '\udfff'))
        .toString('utf8')
        .endsWith('\ufffd'),
    ).toBe(true);
  });

  it('writes maps with a varint count and their key, value pairs, `__proto__` keys included', () => {
    const map: Record<string, string> = {};
    for (let i = 0; i < 200; i++) map[`k${i}`] = `v${i}`;
    Object.defineProperty(map, '__proto__', { value: 'p', enumerable: true });
    const out = bytes((w) => w.attributes(map));
    expect([out[0], out[1]]).toEqual([201 - 128 + 0x80, 1]); // 201 as a two-byte varint
    expect(out.includes(Buffer.from('\u0009__proto__\u0001p'))).toBe(true);
  });
});
