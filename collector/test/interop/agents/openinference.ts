/** An agent instrumented with Arize OpenInference: the OpenAI instrumentation plus openinference-core's agent/tool wrappers. */
import { setSession, traceAgent, traceChain, traceTool } from '@arizeai/openinference-core';
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { context } from '@opentelemetry/api';
import OpenAI from 'openai';
import { startNodeSdk } from '../otel-setup.js';
import { agentEnv, failingCall, runOpenAILoop, SCENARIO } from '../scenario.js';

const { otlpBase, openaiBaseURL } = agentEnv();
const sdk = startNodeSdk(otlpBase);
// ESM imports are not seen by require hooks; OpenInference documents manual instrumentation for that.
new OpenAIInstrumentation().manuallyInstrument(OpenAI);
const client = new OpenAI({ baseURL: openaiBaseURL, apiKey: 'test-key', maxRetries: 0 });

const agent = traceAgent(
  async (question: string) => {
    const answer = await runOpenAILoop(client, {
      // Not streamed: 4.2.7 records no token counts and only the request model on streamed calls.
      embed: true,
      runTool: (callId, args, run) =>
        traceTool(async (_a: { city: string }) => run(), { name: SCENARIO.tool, attributes: { 'tool.id': callId } })(args),
    });
    // 4.2.7 leaves the LLM span of a rejected request unended (never exported), so the failure
    // is recorded by the enclosing chain span, as an app using OpenInference would see it.
    await traceChain(() => failingCall(client, { rethrow: true }), { name: 'ask-again' })().catch(() => undefined);
    return `${question} → ${answer}`;
  },
  { name: SCENARIO.agent, attributes: { 'agent.name': SCENARIO.agent } },
);

await context.with(setSession(context.active(), { sessionId: SCENARIO.session }), () => agent(SCENARIO.question));
await sdk.shutdown();
