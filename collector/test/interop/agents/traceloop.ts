/** An agent instrumented with Traceloop's OpenLLMetry SDK: its OpenAI instrumentation plus withAgent/withTool. */
import * as traceloop from '@traceloop/node-server-sdk';
import OpenAI from 'openai';
import { agentEnv, failingCall, runOpenAILoop, SCENARIO } from '../scenario.js';

const { otlpBase, openaiBaseURL } = agentEnv();
// Traceloop sets up its own OTel SDK and OTLP exporter; Sightline is its baseUrl.
traceloop.initialize({
  appName: SCENARIO.service,
  baseUrl: otlpBase,
  apiKey: 'unused',
  disableBatch: true,
  traceloopSyncEnabled: false,
  silenceInitializationMessage: true,
  // ESM imports are not seen by require hooks; Traceloop documents passing the module instead.
  // (The CJS and ESM typings of openai differ only in resolution mode.)
  instrumentModules: { openAI: OpenAI as unknown as NonNullable<traceloop.InitializeOptions['instrumentModules']>['openAI'] },
});
const client = new OpenAI({ baseURL: openaiBaseURL, apiKey: 'test-key', maxRetries: 0 });

await traceloop.withAssociationProperties({ session_id: SCENARIO.session }, () =>
  traceloop.withAgent({ name: SCENARIO.agent }, async () => {
    await runOpenAILoop(client, {
      // Not streamed: 0.27.0 estimates streamed usage with a tokenizer instead of reading the usage chunk.
      runTool: (_callId, args, run) => traceloop.withTool({ name: SCENARIO.tool }, async (_a: { city: string }) => run(), args),
    });
    // 0.27.0 exports no span for a rejected request (its LLM span and withTask/withAgent wrappers
    // never end on a rejection); the call is still made so the end-to-end test can show that.
    await failingCall(client);
  }),
);
await traceloop.forceFlush();
