/**
 * `wrapOpenAI(client)`: traces `client.chat.completions.create` (plain, streaming, tool calls)
 * with no other change to the app. The client is instrumented in place and returned; the call
 * still returns the SDK's own APIPromise (so `.withResponse()` keeps working) and a stream is
 * still the SDK's own Stream object. Token usage of a stream is recorded when the request asks
 * for it (`stream_options: { include_usage: true }`); the SDK never changes the request.
 */
import { llm } from './spans.js';

const WRAPPED = Symbol.for('sightline.openai.wrapped');

interface CompletionsLike {
  create: (body: Record<string, unknown>, options?: unknown) => unknown;
  [WRAPPED]?: true;
}

/** Structural, so the SDK does not depend on a particular `openai` version at type level. */
export interface OpenAILike {
  chat: { completions: object };
}

export function wrapOpenAI<C extends OpenAILike>(client: C, options: { provider?: string } = {}): C {
  const completions = client.chat.completions as CompletionsLike;
  if (completions[WRAPPED]) return client;
  const original = completions.create;
  if (typeof original !== 'function') return client;
  const provider = options.provider ?? 'openai';

  const create = function (this: unknown, body: Record<string, unknown>, requestOptions?: unknown): unknown {
    const target = this ?? completions;
    // Only a well-formed body is described; anything else goes to the SDK untouched to fail there.
    if (typeof body !== 'object' || body === null || typeof body.model !== 'string') {
      return original.call(target, body, requestOptions);
    }
    return llm(
      {
        provider,
        model: body.model,
        messages: body.messages,
        temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
        maxTokens:
          typeof body.max_completion_tokens === 'number'
            ? body.max_completion_tokens
            : typeof body.max_tokens === 'number'
              ? body.max_tokens
              : undefined,
        stream: body.stream === true ? true : undefined,
      },
      () => (arguments.length > 1 ? original.call(target, body, requestOptions) : original.call(target, body)),
    );
  };
  Object.defineProperty(completions, 'create', { value: create, configurable: true, writable: true, enumerable: false });
  Object.defineProperty(completions, WRAPPED, { value: true, configurable: true });
  return client;
}
