/** An agent built on the Vercel AI SDK with its built-in telemetry (experimental_telemetry) on a standard NodeSDK. */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { startNodeSdk } from '../otel-setup.js';
import { agentEnv, getWeather, SCENARIO } from '../scenario.js';

const { otlpBase, openaiBaseURL } = agentEnv();
const sdk = startNodeSdk(otlpBase);
const openai = createOpenAI({ baseURL: openaiBaseURL, apiKey: 'test-key' });
const telemetry = { isEnabled: true, functionId: SCENARIO.agent, metadata: { sessionId: SCENARIO.session } };
const tools = {
  [SCENARIO.tool]: tool({
    description: 'Current weather for a city',
    inputSchema: z.object({ city: z.string() }),
    execute: getWeather,
  }),
};

// The chat completions API (`openai.chat`), which the mock model speaks.
await generateText({
  model: openai.chat(SCENARIO.model),
  prompt: SCENARIO.question,
  tools,
  stopWhen: stepCountIs(3),
  experimental_telemetry: telemetry,
});
const stream = streamText({
  model: openai.chat(SCENARIO.model),
  prompt: SCENARIO.question,
  tools,
  stopWhen: stepCountIs(3),
  experimental_telemetry: telemetry,
});
for await (const _ of stream.textStream) void _;
await generateText({
  model: openai.chat(SCENARIO.failingModel),
  prompt: SCENARIO.question,
  maxRetries: 0,
  experimental_telemetry: telemetry,
}).catch(() => undefined);
await sdk.shutdown();
