/** The per-project token bucket, on an injected clock. */
import { describe, expect, it } from 'vitest';
import { SightlineError } from '../errors.js';
import { IngestQuota } from './quota.js';

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SightlineError);
  return e as SightlineError;
};

describe('IngestQuota', () => {
  it('lets a minute of spans through, refuses more with the wait until they fit, and refills with time', async () => {
    let now = 1_000_000;
    const quota = new IngestQuota(
      () => 600,
      () => now,
    ); // 10 spans a second
    await quota.take('p', 500);
    await quota.take('p', 100);
    const e = await refusal(quota.take('p', 50));
    expect(e.code).toBe('quota_exceeded');
    expect(e.status).toBe(429);
    expect(e.retryAfterSeconds).toBe(5); // 50 spans at 10 a second
    now += 4_000;
    await refusal(quota.take('p', 50));
    now += 1_000;
    await quota.take('p', 50);
  });

  it('keeps projects apart and leaves a project without quota unlimited', async () => {
    const quota = new IngestQuota(
      (p) => (p === 'small' ? 10 : null),
      () => 0,
    );
    await quota.take('small', 10);
    await refusal(quota.take('small', 1));
    await quota.take('other', 1_000_000);
  });

  it('gives back what a failed write took, and lets one request larger than a minute through a full bucket', async () => {
    let now = 0;
    const quota = new IngestQuota(
      () => 100,
      () => now,
    );
    const refund = await quota.take('p', 80);
    refund();
    refund(); // once only
    await quota.take('p', 100);
    await refusal(quota.take('p', 1));
    now += 60_000;
    await quota.take('p', 250); // full bucket: passes, and owes the rest
    now += 60_000;
    await refusal(quota.take('p', 100)); // still paying back
    now += 90_000;
    await quota.take('p', 100);
  });

  it('refills nothing when the clock steps back', async () => {
    let now = 10_000;
    const quota = new IngestQuota(
      () => 60,
      () => now,
    );
    await quota.take('p', 60);
    now = 0;
    await refusal(quota.take('p', 1));
    now = 10_000 + 1_000;
    await quota.take('p', 1);
  });
});
