/**
 * A plain OpenTelemetry GenAI agent: the official @opentelemetry/instrumentation-openai for the
 * model calls, and hand-written invoke_agent / execute_tool spans with gen_ai.* attributes.
 */
import { createRequire } from 'node:module';
import { context, metrics, trace } from '@opentelemetry/api';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import type OpenAIType from 'openai';
import { startNodeSdk } from '../otel-setup.js';
import { agentEnv, failingCall, runOpenAILoop, SCENARIO } from '../scenario.js';

const { otlpBase, openaiBaseURL } = agentEnv();
const sdk = startNodeSdk(otlpBase);
const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
// 0.21.0 loses its metric instruments to a class-field reset after the base constructor; the
// streaming path then throws. Setting the (no-op) meter provider again recreates them.
instrumentation.setMeterProvider(metrics.getMeterProvider());
// The instrumentation hooks require(); load openai through it after enabling, as `node -r` would.
const OpenAI = (createRequire(import.meta.url)('openai') as { default: typeof OpenAIType }).default;
const client = new OpenAI({ baseURL: openaiBaseURL, apiKey: 'test-key', maxRetries: 0 });
const tracer = trace.getTracer('weather-agent');

await tracer.startActiveSpan(
  `invoke_agent ${SCENARIO.agent}`,
  {
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': SCENARIO.agent,
      'gen_ai.conversation.id': SCENARIO.session,
    },
  },
  async (agent) => {
    await runOpenAILoop(client, {
      streamAnswer: true,
      embed: true,
      runTool: (callId, args, run) =>
        tracer.startActiveSpan(
          `execute_tool ${SCENARIO.tool}`,
          {
            attributes: {
              'gen_ai.operation.name': 'execute_tool',
              'gen_ai.tool.name': SCENARIO.tool,
              'gen_ai.tool.call.id': callId,
              'gen_ai.tool.call.arguments': JSON.stringify(args),
              'gen_ai.conversation.id': SCENARIO.session,
            },
          },
          async (span) => {
            const result = await run();
            span.setAttribute('gen_ai.tool.call.result', JSON.stringify(result));
            span.end();
            return result;
          },
        ),
    });
    await context.with(trace.setSpan(context.active(), agent), () => failingCall(client));
    agent.end();
  },
);
await sdk.shutdown();
