/**
 * Writes simulated agent sessions through the real write path (IngestPipeline.accept), as OTel
 * GenAI spans: invoke_agent → (chat → execute_tool)* → chat with the final answer.
 * Deterministic for a seed; agents run in parallel streams so one scenario never shifts another's
 * random numbers.
 */
import type { IngestPipeline } from '../../src/ingest/pipeline.js';
import { spanRow } from '../../src/test-support/span-rows.js';
import type { SpanRow } from '../../src/storage/span-row.js';
import { Rng } from './prng.js';
import type { Behaviour, Scenario } from './scenarios.js';

const HOUR = 3_600_000;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export interface SimulationOptions {
  startMs: number;
  days: number;
  /** Mean sessions per hour and agent before seasonality and scenario factors. */
  baseRate: number;
  seed: number;
}

export interface SimulatedAgent {
  agent: string;
  scenario: Scenario;
  sessions: number;
}

let traceCounter = 0;

export async function simulate(
  pipeline: IngestPipeline,
  list: Scenario[],
  o: SimulationOptions,
  onProgress?: (day: number) => void,
): Promise<SimulatedAgent[]> {
  const agents = list.map((scenario, i) => ({
    agent: `agent-${scenario.name}`,
    scenario,
    sessions: 0,
    rng: new Rng(o.seed * 1000 + i + 1),
  }));
  const jitterRng = new Rng(o.seed);
  const hours = o.days * 24;
  let dayJitter = 0;
  let batch: SpanRow[] = [];
  for (let h = 0; h < hours; h++) {
    if (h % 24 === 0) {
      dayJitter = (jitterRng.next() * 2 - 1) * 1; // ±1 pt, for the noise scenario
      onProgress?.(h / 24);
    }
    const hourStart = o.startMs + h * HOUR;
    const hourOfDay = new Date(hourStart).getUTCHours();
    for (const a of agents) {
      const n = a.rng.poisson(o.baseRate * a.scenario.rate(h * HOUR, hourOfDay) * seasonalFor(a.scenario, hourOfDay));
      for (let i = 0; i < n; i++) {
        const t = hourStart + a.rng.next() * HOUR;
        const b = a.scenario.behaviour(t - o.startMs, hourOfDay, dayJitter);
        batch.push(...session(a.agent, a.scenario, b, t, a.rng));
        a.sessions++;
      }
    }
    if (batch.length >= 50_000) {
      await pipeline.accept(batch, 'default');
      batch = [];
    }
  }
  // A partial batch waits for the pipeline's flush timer, which is unref'd: flush explicitly.
  if (batch.length > 0) await Promise.all([pipeline.accept(batch, 'default'), pipeline.flush()]);
  return agents.map(({ agent, scenario, sessions }) => ({ agent, scenario, sessions }));
}

/** Volume seasonality applies to every agent; the seasonal scenario sets its own in rate(). */
const seasonalFor = (s: Scenario, hour: number) => (s.name === 'null-seasonal' ? 1 : 0.6 + 0.4 * seasonalCurve(hour));
const seasonalCurve = (hour: number) => 0.25 + 1.5 * ((1 - Math.cos((2 * Math.PI * (hour - 3)) / 24)) / 2);

function session(agent: string, scenario: Scenario, b: Behaviour, startMs: number, rng: Rng): SpanRow[] {
  const traceNo = ++traceCounter;
  const traceId = hex(traceNo, 32);
  let span = 0;
  const id = () => hex(traceNo * 64 + ++span, 16);
  const sessionId = scenario.sessionIds ? `s-${traceId.slice(-12)}` : '';
  const common = {
    trace_id: traceId,
    service_name: 'sim-support',
    session_id: sessionId,
    environment: 'sim',
    release: '1.0.0',
    convention: 'genai',
  };
  const ns = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();
  const rootId = id();
  const rows: SpanRow[] = [];
  let t = startMs + 1;
  const chat = (finish: string, output: string) => {
    const dur = rng.lognormal(700, 0.4);
    rows.push(
      spanRow({
        ...common,
        span_id: id(),
        parent_span_id: rootId,
        name: 'chat sim-model',
        kind: 'CLIENT',
        operation: 'chat',
        provider: 'sim',
        request_model: 'sim-model',
        response_model: 'sim-model-1',
        input_tokens: Math.round(rng.lognormal(800, 0.3)),
        output_tokens: Math.round(rng.lognormal(120, 0.4)),
        finish_reasons: [finish],
        start_time: ns(t),
        end_time: ns(t + dur),
        output,
      }),
    );
    t += dur;
  };
  const tool = (name: string, input: string, fail: boolean) => {
    const dur = rng.lognormal(150, 0.5);
    rows.push(
      spanRow({
        ...common,
        span_id: id(),
        parent_span_id: rootId,
        name: `execute_tool ${name}`,
        operation: 'execute_tool',
        tool_name: name,
        status_code: fail ? 'ERROR' : 'UNSET',
        error_type: fail ? 'TimeoutError' : '',
        start_time: ns(t),
        end_time: ns(t + dur),
        input,
      }),
    );
    t += dur;
  };
  const steps = 1 + rng.poisson(b.extraSteps);
  for (let s = 0; s < steps; s++) {
    const name = rng.pick(b.tools);
    const input = `{"q":"${name}-${rng.poisson(20)}"}`;
    for (let r = 0; r <= b.repeatCalls; r++) {
      chat('tool_calls', '');
      const fail = rng.chance(b.toolErrorRate);
      tool(name, input, fail);
      if (fail) tool(name, input, false); // the agent retries the failed call once
    }
  }
  const refusal = rng.chance(b.refusalRate);
  const answer = refusal ? "I'm sorry, I can't help with that request." : answerJson(b, rng);
  const finish = rng.chance(0.03) ? 'length' : 'stop';
  chat(finish, JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: answer }], finish_reason: finish }]));
  rows.unshift(
    spanRow({
      ...common,
      span_id: rootId,
      name: `invoke_agent ${agent}`,
      operation: 'invoke_agent',
      agent_name: agent,
      start_time: ns(startMs),
      end_time: ns(t + 1),
    }),
  );
  return rows;
}

function answerJson(b: Behaviour, rng: Rng): string {
  const chars = Math.max(20, Math.round(rng.lognormal(b.outputChars, 0.35)));
  const [textKey, ...rest] = b.outputKeys;
  const obj: Record<string, unknown> = { [textKey!]: 'x'.repeat(chars) };
  for (const k of rest) obj[k] = ['kb-1'];
  return JSON.stringify(obj);
}
