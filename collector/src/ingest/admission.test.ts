/**
 * Admission before the body is read: a burst of large requests is refused with 429 + Retry-After
 * while earlier ones hold the byte budget, without reading (or decoding) the refused bodies.
 */
import { describe, expect, it } from 'vitest';
import { createOtlpRoutes } from '../otlp/routes.js';
import { RequestBudget } from './admission.js';

/** A request body that records how much of it was read, and finishes only when told. */
function slowBody(chunk: Uint8Array) {
  let pulls = 0;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        pulls++;
        if (pulls === 1) return controller.enqueue(chunk);
        await done;
        controller.close();
      },
    },
    { highWaterMark: 0 },
  ); // pull only when read
  return { stream, pulls: () => pulls, finish };
}

describe('RequestBudget', () => {
  it('lets one request in whatever its size, refuses past the budget, and frees bytes on release', () => {
    const budget = new RequestBudget(100, 1);
    const big = budget.reserve(500); // alone: let in
    expect(() => budget.reserve(1)).toThrow(/at once/);
    big();
    big(); // releasing twice frees once
    const a = budget.reserve(60);
    expect(() => budget.reserve(60)).toThrow(expect.objectContaining({ code: 'overloaded', retryAfterSeconds: 1 }));
    a();
    expect(budget.inUse).toBe(0);
  });

  it('refuses a request with 429 and Retry-After before reading its body while others hold the budget', async () => {
    const budget = new RequestBudget(1_000, 1);
    const accepted: number[] = [];
    const app = createOtlpRoutes({
      maxBodyBytes: 10_000,
      sink: {
        admit: (bytes) => budget.reserve(bytes),
        accept: async (rows) => (accepted.push(rows.length), { accepted: rows.length, duplicates: 0 }),
      },
    });
    const holding = slowBody(new TextEncoder().encode('{"resourceSpans":[]'));
    const first = app.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '800' },
      body: holding.stream,
      duplex: 'half',
    } as RequestInit);
    while (holding.pulls() === 0) await new Promise((r) => setImmediate(r));
    const refusedBody = slowBody(new TextEncoder().encode('{"resourceSpans":[]}'));
    const refused = await app.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '800' },
      body: refusedBody.stream,
      duplex: 'half',
    } as RequestInit);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refusedBody.pulls()).toBe(0);
    holding.finish();
    expect((await first).status).toBe(400); // the held body is incomplete JSON: answered, and its bytes freed
    expect(budget.inUse).toBe(0);
  });
});
