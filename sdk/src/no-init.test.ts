/** Like @opentelemetry/api itself: with no init() and no provider, the helpers are transparent no-ops. */
import { expect, it } from 'vitest';
import { agent, flush, getStats, llm, session, shutdown, step, tool, wrapOpenAI } from './index.js';

it('runs the wrapped functions unchanged when tracing was never set up', async () => {
  const err = new Error('x');
  async function* gen() {
    yield 1;
  }
  const g = gen();
  expect(session('s', () => agent('a', () => step(() => tool('t', {}, () => 5))))).toBe(5);
  expect(llm({ provider: 'p', model: 'm' }, () => g)).toBe(g);
  await expect(tool('t', {}, async () => Promise.reject(err))).rejects.toBe(err);
  const client = { chat: { completions: { create: (body: { model: string }) => Promise.resolve({ echo: body.model }) } } };
  expect(await wrapOpenAI(client).chat.completions.create({ model: 'm' })).toEqual({ echo: 'm' });
  await flush();
  await shutdown();
  expect(getStats()).toEqual({ exportedSpans: 0, failedSpans: 0, failedExports: 0, droppedSpans: 0 });
});
