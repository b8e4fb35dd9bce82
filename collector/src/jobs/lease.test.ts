/**
 * The lease protocol against the real job_leases table: several holders, each with its own id and
 * its own clock, contend through the same tables as separate collectors would (the embedded engine
 * allows one process per data directory; a ClickHouse server runs the same statements).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../storage/client.js';
import { count, openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { Lease } from './lease.js';

const tmp = tempDataDir('sightline-lease-');
let storage: Storage;

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

const TTL = 30_000;
const SKEW = 2_000;
let jobSeq = 0;

/** A holder with its own clock: `offset` is how far its clock is from the test's time. */
function holders(n: number, offsets: number[] = []) {
  const job = `job-${++jobSeq}`;
  let time = Date.UTC(2026, 11, 1, 12);
  const list = Array.from({ length: n }, (_, i) => {
    const offset = offsets[i] ?? 0;
    return new Lease(storage.client, { job, holder: `holder-${i}`, ttlMs: TTL, maxClockSkewMs: SKEW, now: () => time + offset });
  });
  return {
    job,
    list,
    advance: (ms: number) => {
      time += ms;
    },
    holding: () => list.filter((l) => l.holds()).map((l) => l.holder),
  };
}

/** A seeded generator: the contention runs are random but repeatable. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('lease', () => {
  it('of contenders racing for the same term, exactly one wins, every time', async () => {
    const h = holders(5);
    const winners: string[] = [];
    for (let round = 0; round < 15; round++) {
      const won = await Promise.all(h.list.map((l) => l.tick()));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(h.holding()).toHaveLength(1);
      const winner = h.list.find((l) => l.holds())!;
      winners.push(winner.holder);
      expect(winner.term()).toBe(round + 1);
      await winner.release();
      expect(h.holding()).toEqual([]);
    }
    // Each term was stored once: one claim per term.
    expect(await count(storage, 'SELECT uniqExact(term, holder) FROM job_leases FINAL WHERE job = {job:String}', { job: h.job })).toBe(15);
  });

  it('a contender whose claim lands after the winner decided does not win too, even if its claim sorts first', async () => {
    const job = `job-${++jobSeq}`;
    const time = Date.UTC(2026, 11, 1, 12);
    // The real client, with b's inserts held until the test lets them go: b reads the lease as free,
    // then its claim arrives only after the winner has read its own claim back and started acting.
    let releaseInsert!: () => void;
    const held = new Promise<void>((resolve) => (releaseInsert = resolve));
    const slow = new Proxy(storage.client, {
      get: (target, prop, receiver) =>
        prop === 'insert'
          ? async (...args: Parameters<typeof target.insert>) => {
              await held;
              return target.insert(...args);
            }
          : (Reflect.get(target, prop, receiver) as unknown),
    });
    const early = new Lease(slow, { job, holder: 'a-sorts-first', ttlMs: TTL, maxClockSkewMs: SKEW, now: () => time });
    const late = new Lease(storage.client, { job, holder: 'z-sorts-last', ttlMs: TTL, maxClockSkewMs: SKEW, now: () => time });
    const earlyTick = early.tick();
    expect(await late.tick()).toBe(true);
    releaseInsert();
    expect(await earlyTick).toBe(false);
    expect(late.holds()).toBe(true);
    expect(early.holds()).toBe(false);
    expect(await count(storage, 'SELECT count() FROM job_leases FINAL WHERE job = {job:String}', { job })).toBe(1);
  });

  it('under many rounds of contention, expiries and skewed clocks, never two holders at once', async () => {
    // Clocks up to SKEW apart (the bound the lease assumes).
    const h = holders(4, [0, SKEW / 2, -SKEW / 2, SKEW / 4]);
    const rnd = random(7);
    const termHolder = new Map<number, string>();
    let takeovers = 0;
    let lastTerm = 0;
    for (let round = 0; round < 60; round++) {
      // Some holders miss rounds (a slow or paused process), so leases expire and pass on.
      const active = h.list.filter(() => rnd() < 0.6);
      await Promise.all(active.map((l) => l.tick()));
      // Time moves in steps up to a whole TTL; the invariant is checked at each step.
      for (const step of [rnd() * TTL * 0.4, rnd() * TTL * 0.6]) {
        expect(h.holding().length).toBeLessThanOrEqual(1);
        h.advance(Math.round(step));
      }
      for (const l of h.list) {
        const term = l.term();
        if (term === undefined) continue;
        // A term has one holder for its whole life; terms only grow.
        expect(termHolder.get(term) ?? l.holder).toBe(l.holder);
        termHolder.set(term, l.holder);
        expect(term).toBeGreaterThanOrEqual(lastTerm);
        if (term > lastTerm) takeovers += 1;
        lastTerm = term;
      }
    }
    expect(takeovers).toBeGreaterThan(5); // the run did exercise takeovers
  });

  it('a standby takes over once the holder stops renewing and the TTL has passed, not before', async () => {
    const h = holders(2);
    const [a, b] = h.list as [Lease, Lease];
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    expect(b.status()).toMatchObject({ held: false, term: 1, holder: 'holder-0' });
    h.advance(TTL - 1);
    expect(await b.tick()).toBe(false); // not expired yet by b's clock
    expect(a.holds()).toBe(false); // but a stopped acting a skew margin before its expiry
    h.advance(1);
    expect(await b.tick()).toBe(true);
    expect(b.term()).toBe(2);
  });

  it('a renewing holder keeps the lease across many TTLs', async () => {
    const h = holders(2);
    const [a, b] = h.list as [Lease, Lease];
    await a.tick();
    for (let i = 0; i < 10; i++) {
      h.advance(TTL / 3);
      await Promise.all([a.tick(), b.tick()]);
      expect(h.holding()).toEqual(['holder-0']);
    }
    expect(a.term()).toBe(1);
  });

  it('a holder that stalled past its expiry does not act when it comes back (fencing by its own clock and the term)', async () => {
    const h = holders(2);
    const [a, b] = h.list as [Lease, Lease];
    await a.tick();
    expect(a.holds()).toBe(true);
    // a stalls: no renewals while time passes; b takes over.
    h.advance(TTL + 1);
    expect(await b.tick()).toBe(true);
    // a resumes in the middle of its job: the check before its next write says no, without any I/O.
    expect(a.holds()).toBe(false);
    expect(a.term()).toBeUndefined();
    // Its next round finds the later term and does not take it back.
    expect(await a.tick()).toBe(false);
    expect(a.status()).toMatchObject({ held: false, term: 2, holder: 'holder-1' });
    expect(h.holding()).toEqual(['holder-1']);
  });

  it('a renewal that completes after the validity ran out does not count', async () => {
    let time = Date.UTC(2026, 11, 1, 12);
    let stallOnRead = false;
    const job = `job-${++jobSeq}`;
    // a's clock jumps past its validity while its renewal is under way (a stall mid-round).
    const a = new Lease(storage.client, {
      job,
      holder: 'a',
      ttlMs: TTL,
      maxClockSkewMs: SKEW,
      now: () => (stallOnRead ? time + TTL : time),
    });
    const b = new Lease(storage.client, { job, holder: 'b', ttlMs: TTL, maxClockSkewMs: SKEW, now: () => time });
    await a.tick();
    time += TTL / 3;
    const renewal = a.tick();
    stallOnRead = true;
    expect(await renewal).toBe(false);
    expect(a.holds()).toBe(false);
    // Its late row still says "held until later": nobody acts until then, and b takes over after.
    stallOnRead = false;
    expect(await b.tick()).toBe(false);
    time += TTL;
    expect(await b.tick()).toBe(true);
    expect(await a.tick()).toBe(false);
  });

  it('release lets a standby take over at once', async () => {
    const h = holders(2);
    const [a, b] = h.list as [Lease, Lease];
    await a.tick();
    expect(await b.tick()).toBe(false);
    await a.release();
    expect(a.holds()).toBe(false);
    expect(await b.tick()).toBe(true);
    expect(b.term()).toBe(2);
    expect(await a.tick()).toBe(false);
  });
});
