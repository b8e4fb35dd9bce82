/**
 * The helpers keep the wrapped function's contract exactly, and the session follows the work.
 * Runs on the app's own pre-registered provider (init() must use it, not register a second one).
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agent, init, llm, session, SessionSpanProcessor, shutdown, step, tool, wrapAgent, wrapTool } from './index.js';

const exporter = new InMemorySpanExporter();
const appProvider = new TracerProvider({ spanProcessors: [new SessionSpanProcessor(), new SimpleSpanProcessor({ exporter })] });

beforeAll(() => {
  const cm = new AsyncLocalStorageContextManager();
  cm.enable();
  context.setGlobalContextManager(cm);
  trace.setGlobalTracerProvider(appProvider);
  const handle = init({ serviceName: 'ignored-when-app-has-provider', captureContent: true });
  expect(handle.provider).toBe('existing');
});
afterAll(() => shutdown());
beforeEach(() => exporter.reset());

const spans = () => exporter.getFinishedSpans();
const named = (name: string): ReadableSpan => {
  const s = spans().find((x) => x.name === name);
  if (!s)
    throw new Error(
      `no span ${name}; have ${spans()
        .map((x) => x.name)
        .join(', ')}`,
    );
  return s;
};

describe('wrapped functions behave exactly as unwrapped', () => {
  it('returns the same value, sync and async', async () => {
    const obj = { k: 1 };
    expect(tool('t', {}, () => obj)).toBe(obj);
    expect(agent('a', () => 42)).toBe(42);
    expect(await step(async () => obj)).toBe(obj);
    expect(llm({ provider: 'p', model: 'm' }, () => undefined)).toBeUndefined();
  });

  it('returns the very promise the function returned (subclasses and extra methods kept)', async () => {
    class TaggedPromise<T> extends Promise<T> {
      tag() {
        return 'still here';
      }
    }
    const p = TaggedPromise.resolve(5) as TaggedPromise<number>;
    const out = llm({ provider: 'p', model: 'm' }, () => p);
    expect(out).toBe(p);
    expect(out.tag()).toBe('still here');
    expect(await out).toBe(5);
  });

  it('rethrows the same error, sync and async, and marks the span', async () => {
    const err = new TypeError('bad');
    expect(() =>
      tool('sync-fail', {}, () => {
        throw err;
      }),
    ).toThrow(err);
    const rejected = await tool('async-fail', {}, async () => {
      throw err;
    }).catch((e: unknown) => e);
    expect(rejected).toBe(err);
    await Promise.resolve();
    for (const name of ['execute_tool sync-fail', 'execute_tool async-fail']) {
      const s = named(name);
      expect(s.status.code).toBe(2);
      expect(s.attributes['error.type']).toBe('TypeError');
      expect(s.events.map((e) => e.name)).toEqual(['exception']);
    }
  });

  it('rethrows non-Error values unchanged, with error.type _OTHER', () => {
    const thrown = { reason: 'nope' };
    try {
      agent('odd', () => {
        throw thrown;
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBe(thrown);
    }
    expect(named('invoke_agent odd').attributes['error.type']).toBe('_OTHER');
  });

  it('keeps `this` for call-style helpers and for wrapTool / wrapAgent methods', async () => {
    const self = { name: 'me' };
    const seen: unknown[] = [];
    tool.call(self, 't', {}, function (this: unknown) {
      seen.push(this);
    });
    agent.call(self, 'a', function (this: unknown) {
      seen.push(this);
    });
    step.call(self, 'named', function (this: unknown) {
      seen.push(this);
    });
    llm.call(self, { provider: 'p', model: 'm' }, function (this: unknown) {
      seen.push(this);
    });
    session.call(self, 's', function (this: unknown) {
      seen.push(this);
    });
    expect(seen).toEqual([self, self, self, self, self]);

    class Kb {
      prefix = 'doc';
      search = wrapTool('search_kb', function (this: Kb, q: string, n: number) {
        return Array.from({ length: n }, (_, i) => `${this.prefix}-${q}-${i}`);
      });
      run = wrapAgent('kb-agent', async function (this: Kb, q: string) {
        return this.search(q, 2);
      });
    }
    const kb = new Kb();
    expect(await kb.run('x')).toEqual(['doc-x-0', 'doc-x-1']);
    const t = named('execute_tool search_kb');
    expect(t.attributes['gen_ai.tool.call.arguments']).toBe('["x",2]');
    expect(t.parentSpanContext?.spanId).toBe(named('invoke_agent kb-agent').spanContext().spanId);
  });

  it('keeps an async iterable the same object, yields the same items, ends the span when consumed', async () => {
    async function* gen() {
      yield 1;
      yield 2;
    }
    const g = gen();
    const out = llm({ provider: 'p', model: 'stream-model' }, () => g);
    expect(out).toBe(g);
    expect(spans()).toHaveLength(0); // not ended before consumption
    const got: number[] = [];
    for await (const x of out) got.push(x);
    expect(got).toEqual([1, 2]);
    expect(named('chat stream-model').status.code).toBe(0);
  });

  it('ends a stream span on early break, and marks it when the stream throws', async () => {
    async function* three() {
      yield 1;
      yield 2;
      yield 3;
    }
    for await (const x of llm({ provider: 'p', model: 'brk' }, () => three())) if (x === 1) break;
    expect(named('chat brk').status.code).toBe(0);

    const boom = new Error('stream broke');
    async function* failing() {
      yield 1;
      throw boom;
    }
    const stream = await llm({ provider: 'p', model: 'err' }, async () => failing());
    const caught = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(caught).toBe(boom);
    expect(named('chat err').status.code).toBe(2);
  });

  it('reads usage from OpenAI-shaped stream chunks', async () => {
    async function* chunks() {
      yield { model: 'm-1', choices: [{ index: 0, delta: { content: 'he' } }] };
      yield { model: 'm-1', choices: [{ index: 0, delta: { content: 'y' }, finish_reason: 'stop' }] };
      yield { model: 'm-1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } };
    }
    for await (const _ of llm({ provider: 'openai', model: 'm' }, () => chunks())) void _;
    const s = named('chat m');
    expect(s.attributes).toMatchObject({
      'gen_ai.response.model': 'm-1',
      'gen_ai.usage.input_tokens': 3,
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(JSON.parse(s.attributes['gen_ai.output.messages'] as string)[0].parts[0].content).toBe('hey');
  });

  it('lets the function report usage and response itself', () => {
    llm({ provider: 'anthropic', model: 'claude' }, (span) => {
      span.setUsage({ inputTokens: 10, outputTokens: 4 }).setResponse({ model: 'claude-x', finishReasons: ['end_turn'] });
      return { usage: { input_tokens: 999 } };
    });
    expect(named('chat claude').attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.response.model': 'claude-x',
      'gen_ai.response.finish_reasons': ['end_turn'],
    });
  });
});

describe('session propagation', () => {
  it('reaches every span across await, timers, promise chains and foreign tracers', async () => {
    const foreign = trace.getTracer('someone-else');
    await session('s-1', async () => {
      await agent('a', async () => {
        await new Promise((r) => setTimeout(r, 1));
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            tool('in-timer', {}, () => 1);
            resolve();
          }, 1),
        );
        await Promise.resolve()
          .then(() => tool('in-then', {}, () => 1))
          .then(() => foreign.startSpan('http GET').end());
        await Promise.all([step(async () => 1), step(async () => 2)]);
      });
    });
    tool('outside', {}, () => 1);
    for (const s of spans()) {
      const expected = s.name === 'execute_tool outside' ? undefined : 's-1';
      expect(s.attributes['session.id'], s.name).toBe(expected);
      expect(s.attributes['gen_ai.conversation.id'], s.name).toBe(expected);
    }
    expect(spans()).toHaveLength(7);
  });

  it('keeps concurrent sessions apart and numbers steps per agent run', async () => {
    const run = (id: string) =>
      session(id, () =>
        agent('a', async () => {
          for (let i = 0; i < 3; i++) await step(async () => new Promise((r) => setTimeout(r, Math.random() * 3)));
        }),
      );
    await Promise.all([run('x'), run('y')]);
    const steps = spans().filter((s) => s.attributes['gen_ai.operation.name'] === 'step');
    for (const id of ['x', 'y']) {
      const mine = steps.filter((s) => s.attributes['session.id'] === id);
      expect(mine.map((s) => s.attributes['sightline.step.index']).sort()).toEqual([0, 1, 2]);
    }
  });
});
