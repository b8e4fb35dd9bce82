/**
 * The agent run every interop agent performs, whatever its instrumentation, so that recorded
 * fixtures and end-to-end checks expect the same values: agent `planner` in session `sess-1`
 * asks the mock model (test/support/mock-openai.ts) "What is the weather?", calls the tool
 * `get_weather` for Paris, gets the final answer, then makes one call that fails with a 429.
 *
 * Each agents/<convention>.ts is a standalone program, run in its own process (instrumentations
 * patch `openai` and register global OTel providers): it reads where to send spans from the
 * environment, the one thing a user changes to point an instrumented agent at Sightline.
 */
import type OpenAI from 'openai';

export const SCENARIO = {
  service: 'weather-agent',
  // Overridable so several agents can share one collector in a test without merging sessions.
  session: process.env['AGENT_SESSION'] || 'sess-1',
  agent: 'planner',
  question: 'What is the weather?',
  tool: 'get_weather',
  model: 'gpt-4o',
  failingModel: 'rate-limited',
  embeddingModel: 'text-embedding-3-small',
} as const;

export interface AgentEnv {
  /** Collector base URL; the OTLP traces endpoint is `${otlpBase}/v1/traces`. */
  otlpBase: string;
  /** The mock model server, `http://127.0.0.1:<port>/v1`. */
  openaiBaseURL: string;
}

export function agentEnv(): AgentEnv {
  const otlpBase = process.env['SIGHTLINE_URL'];
  const openaiBaseURL = process.env['OPENAI_BASE_URL'];
  if (!otlpBase || !openaiBaseURL) throw new Error('set SIGHTLINE_URL and OPENAI_BASE_URL');
  return { otlpBase, openaiBaseURL };
}

export async function getWeather(args: { city: string }): Promise<{ city: string; forecast: string }> {
  return { city: args.city, forecast: 'sunny' };
}

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: SCENARIO.tool,
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
} as const;

export interface LoopHooks {
  /** Wraps the tool execution in the convention's tool span, if it has one. */
  runTool?: (callId: string, args: { city: string }, run: () => Promise<unknown>) => Promise<unknown>;
  /** Stream the final answer (exercises the streaming path of the instrumentation). */
  streamAnswer?: boolean;
  /** Also make one embeddings call. */
  embed?: boolean;
}

/** The tool-calling loop on a plain (possibly instrumented) OpenAI client. Returns the answer. */
export async function runOpenAILoop(client: OpenAI, hooks: LoopHooks = {}): Promise<string> {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: SCENARIO.question }];
  const first = await client.chat.completions.create({ model: SCENARIO.model, messages, tools: [WEATHER_TOOL] });
  const call = first.choices[0]?.message.tool_calls?.[0];
  if (!call || call.type !== 'function') throw new Error('mock model did not ask for the tool');
  messages.push(first.choices[0]!.message);
  const args = JSON.parse(call.function.arguments) as { city: string };
  const run = () => getWeather(args);
  const result = hooks.runTool ? await hooks.runTool(call.id, args, run) : await run();
  messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });

  let answer = '';
  if (hooks.streamAnswer) {
    const stream = await client.chat.completions.create({
      model: SCENARIO.model,
      messages,
      tools: [WEATHER_TOOL],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) answer += chunk.choices[0]?.delta.content ?? '';
  } else {
    const final = await client.chat.completions.create({ model: SCENARIO.model, messages, tools: [WEATHER_TOOL] });
    answer = final.choices[0]?.message.content ?? '';
  }
  if (hooks.embed) await client.embeddings.create({ model: SCENARIO.embeddingModel, input: answer });
  return answer;
}

/** The call that fails: the mock answers 429 and the client throws RateLimitError. */
export async function failingCall(client: OpenAI, opts: { rethrow?: boolean } = {}): Promise<void> {
  try {
    await client.chat.completions.create({ model: SCENARIO.failingModel, messages: [{ role: 'user', content: SCENARIO.question }] });
  } catch (err) {
    if (opts.rethrow) throw err;
    return; // expected
  }
  throw new Error('mock model did not fail');
}
