import { describe, expect, it } from 'vitest';
import { AttemptThrottle, type ThrottlePolicy } from './throttle.js';

const POLICY: ThrottlePolicy = { freeFailures: 3, baseLockMs: 1_000, maxLockMs: 8_000, forgetAfterMs: 60_000, maxKeys: 3 };

function throttle() {
  let now = 1_000_000;
  const t = new AttemptThrottle(POLICY, () => now);
  return { t, advance: (ms: number) => (now += ms) };
}

describe('sign-in attempt throttle', () => {
  it('lets the free failures through, then locks for twice as long after each further failure, up to the ceiling', () => {
    const { t, advance } = throttle();
    t.failed('a');
    t.failed('a');
    expect(t.waitMs('a')).toBe(0);
    t.failed('a'); // the third: the lock starts
    expect(t.waitMs('a')).toBe(1_000);
    const locks: number[] = [];
    for (let i = 0; i < 5; i++) {
      advance(t.waitMs('a'));
      t.failed('a');
      locks.push(t.waitMs('a'));
    }
    expect(locks).toEqual([2_000, 4_000, 8_000, 8_000, 8_000]);
    advance(7_999);
    expect(t.waitMs('a')).toBe(1);
    advance(1);
    expect(t.waitMs('a')).toBe(0);
  });

  it('keeps keys apart, and a success clears the key', () => {
    const { t } = throttle();
    for (let i = 0; i < 3; i++) t.failed('a');
    expect(t.waitMs('a')).toBeGreaterThan(0);
    expect(t.waitMs('b')).toBe(0);
    t.succeeded('a');
    expect(t.waitMs('a')).toBe(0);
    t.failed('a');
    expect(t.waitMs('a')).toBe(0);
  });

  it('forgets failures older than the forget period', () => {
    const { t, advance } = throttle();
    t.failed('a');
    t.failed('a');
    advance(60_000);
    t.failed('a'); // counts as the first again
    expect(t.waitMs('a')).toBe(0);
  });

  it('remembers at most maxKeys keys, dropping the least recently failed', () => {
    const { t } = throttle();
    for (const k of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) t.failed(k);
    t.failed('d');
    expect(t.waitMs('a')).toBe(0);
    expect(t.waitMs('b')).toBeGreaterThan(0);
    expect(t.waitMs('c')).toBeGreaterThan(0);
  });
});
