/**
 * Builds SpanRow values for storage tests and the ingest benchmark's baseline: realistic agent
 * traces (agent → steps → llm + tool calls) with deterministic ids.
 */
import type { SpanRow } from '../storage/span-row.js';

const hex = (n: bigint, width: number) => n.toString(16).padStart(width, '0');

export function spanRow(overrides: Partial<SpanRow> & Pick<SpanRow, 'trace_id' | 'span_id'>): SpanRow {
  const start = overrides.start_time ?? '1700000000000000000';
  const end = overrides.end_time ?? (BigInt(start) + 1_000_000n).toString();
  return {
    parent_span_id: '',
    trace_state: '',
    name: 'span',
    kind: 'INTERNAL',
    start_time: start,
    end_time: end,
    duration_ns: (BigInt(end) - BigInt(start)).toString(),
    status_code: 'UNSET',
    status_message: '',
    service_name: 'test-service',
    scope_name: 'test',
    scope_version: '',
    session_id: '',
    operation: '',
    agent_name: '',
    tool_name: '',
    tool_call_id: '',
    request_model: '',
    response_model: '',
    provider: '',
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    input_cost: 0,
    output_cost: 0,
    total_cost: 0,
    cost_source: '',
    finish_reasons: [],
    error_type: '',
    environment: '',
    release: '',
    convention: '',
    input: '',
    output: '',
    resource_attributes: {},
    span_attributes: {},
    event_times: [],
    event_names: [],
    event_attributes: [],
    link_trace_ids: [],
    link_span_ids: [],
    link_attributes: [],
    project_id: 'default',
    ...overrides,
  };
}

export interface AgentTraceOptions {
  traceIndex: number;
  startNs: bigint;
  sessionId?: string;
  agent?: string;
  steps?: number;
  failTool?: boolean;
  slowFactor?: number;
}

/** One agent run: invoke_agent → N × (step → chat + execute_tool). 1 + 3N spans. */
export function agentTrace(o: AgentTraceOptions): SpanRow[] {
  const traceId = hex(BigInt(o.traceIndex) + 1n, 32);
  let spanSeq = BigInt(o.traceIndex) * 1000n + 1n;
  const nextId = () => hex(spanSeq++, 16);
  const agent = o.agent ?? 'support-agent';
  const steps = o.steps ?? 3;
  const slow = BigInt(o.slowFactor ?? 1);
  const common = {
    trace_id: traceId,
    service_name: 'support-bot',
    session_id: o.sessionId ?? '',
    agent_name: agent,
    environment: 'production',
    release: '1.4.2',
    convention: 'genai',
    resource_attributes: { 'service.name': 'support-bot', 'service.version': '1.4.2', 'deployment.environment.name': 'production' },
  };
  const rootId = nextId();
  const rows: SpanRow[] = [];
  let t = o.startNs;
  for (let s = 0; s < steps; s++) {
    const stepId = nextId();
    const llmStart = t + 1_000_000n;
    const llmEnd = llmStart + 400_000_000n * slow;
    const toolEnd = llmEnd + 120_000_000n;
    const fail = o.failTool === true && s === steps - 1;
    rows.push(
      spanRow({
        ...common,
        span_id: stepId,
        parent_span_id: rootId,
        name: `step ${s}`,
        operation: 'step',
        start_time: t.toString(),
        end_time: (toolEnd + 1_000_000n).toString(),
        span_attributes: { 'sightline.step.index': String(s) },
      }),
      spanRow({
        ...common,
        span_id: nextId(),
        parent_span_id: stepId,
        name: 'chat gpt-4o',
        kind: 'CLIENT',
        operation: 'chat',
        provider: 'openai',
        request_model: 'gpt-4o',
        response_model: 'gpt-4o-2024-08-06',
        input_tokens: 812,
        output_tokens: 96,
        finish_reasons: ['tool_calls'],
        start_time: llmStart.toString(),
        end_time: llmEnd.toString(),
        input: '[{"role":"user","content":"Where is my order #4411?"}]',
        output: '[{"role":"assistant","tool_calls":[{"name":"lookup_order"}]}]',
        span_attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.request.temperature': '0.2',
          'gen_ai.usage.input_tokens': '812',
          'gen_ai.usage.output_tokens': '96',
        },
      }),
      spanRow({
        ...common,
        span_id: nextId(),
        parent_span_id: stepId,
        name: 'execute_tool lookup_order',
        operation: 'execute_tool',
        tool_name: 'lookup_order',
        tool_call_id: `call_${o.traceIndex}_${s}`,
        status_code: fail ? 'ERROR' : 'UNSET',
        status_message: fail ? 'order service timed out' : '',
        error_type: fail ? 'TimeoutError' : '',
        start_time: llmEnd.toString(),
        end_time: toolEnd.toString(),
        input: '{"order_id":"4411"}',
        output: fail ? '' : '{"status":"shipped","eta":"2024-11-28"}',
        span_attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_order' },
        ...(fail
          ? {
              event_times: [toolEnd.toString()],
              event_names: ['exception'],
              event_attributes: [{ 'exception.type': 'TimeoutError', 'exception.message': 'order service timed out' }],
            }
          : {}),
      }),
    );
    t = toolEnd + 2_000_000n;
  }
  rows.unshift(
    spanRow({
      ...common,
      span_id: rootId,
      name: `invoke_agent ${agent}`,
      operation: 'invoke_agent',
      status_code: o.failTool ? 'ERROR' : 'UNSET',
      start_time: o.startNs.toString(),
      end_time: t.toString(),
      span_attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': agent },
    }),
  );
  return rows;
}
