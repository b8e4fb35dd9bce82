/**
 * The acceptance case of issue 16: an agent instrumented with the official OpenAI instrumentation
 * (content capture on) and NodeSDK's default exporters, pointed at Sightline by
 * OTEL_EXPORTER_OTLP_ENDPOINT alone, over the default http/protobuf and over gRPC. The
 * instrumentation sends prompts and completions only as log records; the trace view must show
 * them on the model-call spans.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SessionDetail, TraceDetail } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../../src/index.js';
import { apiReader, eventually } from '../../src/test-support/otel.js';
import { tempDataDir } from '../../src/test-support/temp-storage.js';
import { MOCK_ANSWER, startMockOpenAI, type MockOpenAI } from '../support/mock-openai.js';
import { runAgent } from './run-agent.js';
import { SCENARIO } from './scenario.js';

/** One session per protocol; no '/' in it, it goes into a URL path. */
const session = (protocol: string) => `sess-${protocol.replace('/', '-')}`;

const tmp = tempDataDir();
let collector: RunningCollector;
let mock: MockOpenAI;
const api = apiReader(() => collector.url);

const PROTOCOLS = {
  'http/protobuf': () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }),
  grpc: () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.grpcPort}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
} as const;

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'warn', flushIntervalMs: 100, alertsTickMs: 0 });
  mock = await startMockOpenAI();
  for (const [protocol, otel] of Object.entries(PROTOCOLS)) {
    await runAgent('genai-default-sdk', {
      sightlineUrl: collector.url,
      openaiBaseURL: mock.baseURL,
      session: session(protocol),
      otel: { OTEL_SERVICE_NAME: 'weather-agent', ...otel() },
    });
  }
}, 180_000);
afterAll(async () => {
  await mock?.close();
  await collector?.stop();
  tmp.remove();
});

describe.each(Object.keys(PROTOCOLS))('OpenAI instrumentation with the default %s exporters', (protocol) => {
  test('the trace view shows the prompts and completions of its model calls', async () => {
    const chats = await eventually(async () => {
      const d = await api(`/sessions/${session(protocol)}`, SessionDetail);
      const spans = (await Promise.all(d.traces.map((t) => api(`/traces/${t.traceId}`, TraceDetail)))).flatMap((t) => t.spans);
      const chat = spans.filter((s) => s.operation === 'chat');
      return chat.length === 2 && chat.every((s) => s.input !== '' && s.output !== '') ? chat : undefined;
    }, 30_000);
    const [toolStep, answer] = chats.sort((a, b) => (BigInt(a.startTime) < BigInt(b.startTime) ? -1 : 1));
    expect(JSON.parse(toolStep!.input)).toEqual([{ role: 'user', content: SCENARIO.question }]);
    expect(toolStep!.output).toContain('get_weather'); // the choice asking for the tool
    // The three messages of the second call, emitted with one timestamp, in the order sent.
    const sent = JSON.parse(answer!.input) as Array<{ role: string; content?: string }>;
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(sent[2]!.content).toContain('sunny'); // the tool result went back to the model
    expect(JSON.parse(answer!.output)).toEqual([
      expect.objectContaining({ finish_reason: 'stop', message: expect.objectContaining({ content: MOCK_ANSWER }) }),
    ]);
    expect(answer!.logs).toEqual([]); // every record was content, folded into input/output
  });
});
