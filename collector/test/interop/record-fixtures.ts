/**
 * Records normalize/fixtures/<convention>.json from the REAL instrumentation packages:
 * each agents/<convention>.ts runs once against the loopback mock model and exports OTLP to a
 * capturing receiver here; the bodies are decoded by the collector's own decoder (no
 * normalization) and written as SpanFixtures. Run: `pnpm tsx test/interop/record-fixtures.ts [convention...]`.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { decodeTraceRequest } from '../../src/otlp/decode.js';
import type { SpanRow } from '../../src/storage/span-row.js';
import { startMockOpenAI } from '../support/mock-openai.js';
import type { RecordedFixtures } from '../../src/normalize/fixtures.js';
import { CONVENTION_AGENTS, runAgent, type ConventionAgent } from './run-agent.js';

const PACKAGES: Record<ConventionAgent, string[]> = {
  genai: ['@opentelemetry/instrumentation-openai', 'openai'],
  openinference: ['@arizeai/openinference-instrumentation-openai', '@arizeai/openinference-core', 'openai'],
  'vercel-ai': ['ai', '@ai-sdk/openai'],
  traceloop: ['@traceloop/node-server-sdk', 'openai'],
  langfuse: ['@langfuse/otel', '@langfuse/tracing'],
};

const require = createRequire(import.meta.url);
function version(pkg: string): string {
  // Some packages do not export ./package.json; read it from the resolved entry's package root.
  let dir = require.resolve(pkg);
  for (;;) {
    const parent = dir.slice(0, dir.lastIndexOf('/'));
    if (parent === dir || !parent) return '?';
    dir = parent;
    try {
      const p = require(`${dir}/package.json`) as { name?: string; version?: string };
      if (p.name === pkg) return p.version ?? '?';
    } catch {
      // keep walking up
    }
  }
}

function toFixture(r: SpanRow, byId: Map<string, SpanRow>) {
  return {
    name: r.name,
    kind: r.kind,
    status: r.status_code,
    parent: byId.get(r.parent_span_id)?.name ?? '',
    scope: r.scope_name,
    attributes: r.span_attributes,
    ...(r.event_names.length ? { events: r.event_names.map((name, i) => ({ name, attributes: r.event_attributes[i]! })) } : {}),
  };
}

async function record(agent: ConventionAgent): Promise<void> {
  const rows: SpanRow[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const format = (req.headers['content-type'] ?? '').includes('json') ? 'json' : 'protobuf';
      rows.push(...decodeTraceRequest(Buffer.concat(chunks), format).rows);
      res
        .writeHead(200, { 'content-type': format === 'json' ? 'application/json' : 'application/x-protobuf' })
        .end(format === 'json' ? '{}' : '');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const mock = await startMockOpenAI();
  try {
    const port = (receiver.address() as AddressInfo).port;
    await runAgent(agent, { sightlineUrl: `http://127.0.0.1:${port}`, openaiBaseURL: mock.baseURL });
  } finally {
    await mock.close();
    receiver.closeAllConnections();
    receiver.close();
  }
  rows.sort((a, b) => (a.start_time < b.start_time ? -1 : a.start_time > b.start_time ? 1 : 0));
  const byId = new Map(rows.map((r) => [r.span_id, r]));
  const out: RecordedFixtures = {
    recordedWith: Object.fromEntries(PACKAGES[agent].map((p) => [p, version(p)])),
    spans: rows.map((r) => toFixture(r, byId)),
  };
  const file = fileURLToPath(new URL(`../../src/normalize/fixtures/${agent}.json`, import.meta.url));
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`${agent}: ${rows.length} spans → ${file}`);
}

const wanted = process.argv.slice(2) as ConventionAgent[];
for (const agent of wanted.length ? wanted : CONVENTION_AGENTS) await record(agent);
