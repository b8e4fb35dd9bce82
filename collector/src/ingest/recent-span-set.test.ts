import { describe, expect, it } from 'vitest';
import { RecentSpanSet } from './recent-span-set.js';

const id = (n: number, width: number) => n.toString(16).padStart(width, '0');

describe('RecentSpanSet', () => {
  it('recognises a span seen before and nothing else, even with structured (non-random) ids', () => {
    const set = new RecentSpanSet(100_000);
    for (let t = 0; t < 200; t++) for (let s = 0; s < 100; s++) expect(set.add(id(t, 32), id(s, 16))).toBe(true);
    // Repeated-digit ids (like 'dddd…' / '4444…' and 'eeee…' / '7777…') must not collide.
    expect(set.add('d'.repeat(32), '4'.repeat(16))).toBe(true);
    expect(set.add('e'.repeat(32), '7'.repeat(16))).toBe(true);
    expect(set.add(id(5, 32), id(7, 16))).toBe(false);
    expect(set.has(id(500, 32), id(7, 16))).toBe(false);
  });

  it('remembers at least half its capacity of the most recent spans, and forgets older ones', () => {
    const set = new RecentSpanSet(1000);
    for (let i = 0; i < 5000; i++) set.add(id(i, 32), id(i, 16));
    for (let i = 4500; i < 5000; i++) expect(set.has(id(i, 32), id(i, 16))).toBe(true);
    expect(set.has(id(0, 32), id(0, 16))).toBe(false);
  });

  it('forgets a deleted span so its retry is accepted', () => {
    const set = new RecentSpanSet(1000);
    set.add('a'.repeat(32), 'b'.repeat(16));
    set.delete('a'.repeat(32), 'b'.repeat(16));
    expect(set.add('a'.repeat(32), 'b'.repeat(16))).toBe(true);
  });

  it('with capacity 0 de-duplicates nothing', () => {
    const set = new RecentSpanSet(0);
    expect(set.add('a'.repeat(32), 'b'.repeat(16))).toBe(true);
    expect(set.add('a'.repeat(32), 'b'.repeat(16))).toBe(true);
  });
});
