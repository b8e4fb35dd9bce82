/**
 * The set-up the OpenTelemetry docs give for a Node agent: NodeSDK with the official OpenAI
 * instrumentation (content capture on), every exporter left to its default and configured only by
 * the standard OTEL_* variables the test passes (endpoint, protocol). The instrumentation sends
 * prompts and completions as log records, so they reach Sightline only through its logs receiver.
 */
import { createRequire } from 'node:module';
import { metrics, trace } from '@opentelemetry/api';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type OpenAIType from 'openai';
import { agentEnv, runOpenAILoop, SCENARIO } from '../scenario.js';

const { openaiBaseURL } = agentEnv();
const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
const sdk = new NodeSDK({ instrumentations: [instrumentation] });
sdk.start();
// 0.21.0 loses its metric instruments to a class-field reset (see agents/genai.ts).
instrumentation.setMeterProvider(metrics.getMeterProvider());
const OpenAI = (createRequire(import.meta.url)('openai') as { default: typeof OpenAIType }).default;
const client = new OpenAI({ baseURL: openaiBaseURL, apiKey: 'test-key', maxRetries: 0 });

await trace.getTracer('weather-agent').startActiveSpan(
  `invoke_agent ${SCENARIO.agent}`,
  {
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': SCENARIO.agent,
      'gen_ai.conversation.id': SCENARIO.session,
    },
  },
  async (agent) => {
    await runOpenAILoop(client);
    agent.end();
  },
);
await sdk.shutdown();
