/**
 * An agent instrumented with the Langfuse OTel SDK (@langfuse/tracing observations, exported by
 * @langfuse/otel's LangfuseSpanProcessor). Langfuse has no OpenAI auto-instrumentation in these
 * packages, so the generations are recorded by hand, as its docs show.
 */
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { propagateAttributes, startActiveObservation, startObservation } from '@langfuse/tracing';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { startNodeSdk, traceExporter } from '../otel-setup.js';
import { agentEnv, getWeather, SCENARIO, WEATHER_TOOL } from '../scenario.js';

const { otlpBase, openaiBaseURL } = agentEnv();
// The processor's default exporter posts to Langfuse's path; the exporter option points it at Sightline.
const processor = new LangfuseSpanProcessor({ exporter: traceExporter(otlpBase), exportMode: 'immediate' });
const sdk = startNodeSdk(otlpBase, processor as unknown as SpanProcessor);
const client = new OpenAI({ baseURL: openaiBaseURL, apiKey: 'test-key', maxRetries: 0 });

async function generation(messages: OpenAI.Chat.ChatCompletionMessageParam[], model: string = SCENARIO.model) {
  const gen = startObservation('chat', { model, input: messages }, { asType: 'generation' });
  try {
    const res = await client.chat.completions.create({ model, messages, tools: [WEATHER_TOOL] });
    const choice = res.choices[0]!;
    gen.update({
      output: choice.message,
      usageDetails: { input: res.usage?.prompt_tokens ?? 0, output: res.usage?.completion_tokens ?? 0 },
      metadata: { finish_reason: choice.finish_reason, response_model: res.model },
    });
    return choice.message;
  } catch (err) {
    // Langfuse has no error-type attribute; the status message carries the error class.
    gen.update({ level: 'ERROR', statusMessage: (err as Error).constructor.name });
    throw err;
  } finally {
    gen.end();
  }
}

await propagateAttributes({ sessionId: SCENARIO.session, traceName: SCENARIO.agent }, () =>
  startActiveObservation(
    SCENARIO.agent,
    async (agent) => {
      agent.update({ input: SCENARIO.question });
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: SCENARIO.question }];
      const first = await generation(messages);
      const call = first.tool_calls?.[0];
      if (!call || call.type !== 'function') throw new Error('mock model did not ask for the tool');
      messages.push(first);
      const args = JSON.parse(call.function.arguments) as { city: string };
      const tool = startObservation(SCENARIO.tool, { input: args, metadata: { tool_call_id: call.id } }, { asType: 'tool' });
      const result = await getWeather(args);
      tool.update({ output: result }).end();
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
      const final = await generation(messages);
      agent.update({ output: final.content });
      await generation([{ role: 'user', content: SCENARIO.question }], SCENARIO.failingModel).catch(() => undefined);
    },
    { asType: 'agent' },
  ),
);
await sdk.shutdown();
