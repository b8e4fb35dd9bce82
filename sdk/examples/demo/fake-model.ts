/**
 * A deterministic stand-in for a chat model: no network, responses in the OpenAI shape (or the
 * Anthropic shape for the billing agent), latency and token counts that look like the real thing.
 */
import type { Situation, ToolName } from './world.js';

export class RateLimitError extends Error {
  override name = 'RateLimitError';
}

export interface ModelTurn {
  /** The tool the model asks for, or none for the final answer. */
  tool?: { name: ToolName; args: Record<string, unknown> };
  text?: string;
  inputTokens: number;
}

export async function chat(s: Situation, style: 'openai' | 'anthropic', model: string, turn: ModelTurn): Promise<unknown> {
  const { rng, clock } = s;
  const outputTokens = turn.tool ? rng.int(15, 40) : Math.ceil((turn.text?.length ?? 40) / 4) + rng.int(0, 20);
  // A small fast model, ~0.2 s a call: a whole agent run (2–5 calls and its tools) has a p95 near
  // 1.4 s, clearly under the 2 s an alert would watch, and the live spike (5× → ~7 s) clearly above.
  let ms = rng.lognormal(110, 0.3) + outputTokens * 3;
  if (rng.chance(0.003)) ms *= 10;
  await clock.sleep(ms * s.slowdown);
  if (rng.chance(0.005)) throw new RateLimitError('429: rate limit reached for requests');
  const callId = `call_${rng.int(1e8, 1e9).toString(36)}`;
  if (style === 'anthropic') {
    return {
      id: `msg_${rng.int(1e8, 1e9).toString(36)}`,
      model: `${model}-20241022`,
      stop_reason: turn.tool ? 'tool_use' : 'end_turn',
      usage: { input_tokens: turn.inputTokens, output_tokens: outputTokens },
      content: turn.tool
        ? [{ type: 'tool_use', id: callId, name: turn.tool.name, input: turn.tool.args }]
        : [{ type: 'text', text: turn.text }],
    };
  }
  return {
    id: `chatcmpl-${rng.int(1e8, 1e9).toString(36)}`,
    object: 'chat.completion',
    model: `${model}-2024-07-18`,
    usage: { prompt_tokens: turn.inputTokens, completion_tokens: outputTokens },
    choices: [
      {
        index: 0,
        finish_reason: turn.tool ? 'tool_calls' : 'stop',
        message: turn.tool
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: callId, type: 'function', function: { name: turn.tool.name, arguments: JSON.stringify(turn.tool.args) } }],
            }
          : { role: 'assistant', content: turn.text },
      },
    ],
  };
}

/** The tool call id the model chose, from either response shape. */
export function toolCallId(response: unknown): string | undefined {
  const r = response as {
    choices?: { message?: { tool_calls?: { id: string }[] } }[];
    content?: { type: string; id?: string }[];
  };
  return r.choices?.[0]?.message?.tool_calls?.[0]?.id ?? r.content?.find((c) => c.type === 'tool_use')?.id;
}
