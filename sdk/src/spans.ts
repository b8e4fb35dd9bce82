/**
 * The helpers an agent is instrumented with. Each calls `fn` with the caller's `this` and a span
 * handle, and returns exactly what `fn` returns (see record-span.ts for the guarantees).
 */
import { context, createContextKey, SpanKind, type Attributes, type Context } from '@opentelemetry/api';
import { toInputMessages } from './messages.js';
import { ChunkAccumulator, readModelResponse } from './model-response.js';
import { recordSpan } from './record-span.js';
import {
  GEN_AI_AGENT_DESCRIPTION,
  GEN_AI_AGENT_ID,
  GEN_AI_AGENT_NAME,
  GEN_AI_OPERATION_NAME,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MAX_TOKENS,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_REQUEST_STREAM,
  GEN_AI_REQUEST_TEMPERATURE,
  GEN_AI_TOOL_CALL_ARGUMENTS,
  GEN_AI_TOOL_CALL_ID,
  GEN_AI_TOOL_CALL_RESULT,
  GEN_AI_TOOL_DESCRIPTION,
  GEN_AI_TOOL_NAME,
  GEN_AI_TOOL_TYPE,
  OPERATION_CHAT,
  OPERATION_EXECUTE_TOOL,
  OPERATION_INVOKE_AGENT,
  OPERATION_STEP,
  SIGHTLINE_STEP_INDEX,
  SIGHTLINE_STEP_NAME,
  spanNames,
} from './semconv.js';
import { withSessionId } from './session.js';
import type { SightlineSpan } from './span-handle.js';

export type { SightlineSpan } from './span-handle.js';

type SpanFn<T> = (this: unknown, span: SightlineSpan) => T;

/** Runs `fn` with every span inside it carrying `session.id` and `gen_ai.conversation.id`. */
export function session<T>(this: unknown, id: string, fn: (this: unknown) => T): T {
  return context.with(withSessionId(context.active(), id), fn, this);
}

// ---------------------------------------------------------------- agent

export interface AgentOptions {
  id?: string;
  description?: string;
  attributes?: Attributes;
}

/** Steps count per agent invocation; kept in the context so nested agents count their own. */
const STEP_COUNTER = createContextKey('sightline.step.counter');
interface StepCounter {
  next: number;
}

/** An `invoke_agent {name}` span: one run of an agent. */
export function agent<T>(this: unknown, name: string, fn: SpanFn<T>, options: AgentOptions = {}): T {
  const attributes: Attributes = { ...options.attributes };
  attributes[GEN_AI_OPERATION_NAME] = OPERATION_INVOKE_AGENT;
  attributes[GEN_AI_AGENT_NAME] = name;
  if (options.id !== undefined) attributes[GEN_AI_AGENT_ID] = options.id;
  if (options.description !== undefined) attributes[GEN_AI_AGENT_DESCRIPTION] = options.description;
  const counter: StepCounter = { next: 0 };
  return recordSpan({ name: spanNames.agent(name), attributes, context: context.active().setValue(STEP_COUNTER, counter) }, fn, this);
}

// ---------------------------------------------------------------- step

export interface StepOptions {
  name?: string;
  /** Defaults to the number of steps already taken in the enclosing `agent()`, from 0. */
  index?: number;
  attributes?: Attributes;
}

/**
 * One iteration of the agent loop: a `step {name|index}` span with operation `step` (Sightline's
 * own operation name; the GenAI conventions have none for it) and `sightline.step.index`.
 */
export function step<T>(this: unknown, fn: SpanFn<T>): T;
export function step<T>(this: unknown, nameOrOptions: string | StepOptions | undefined, fn: SpanFn<T>): T;
export function step<T>(this: unknown, a: string | StepOptions | undefined | SpanFn<T>, b?: SpanFn<T>): T {
  const fn = (typeof a === 'function' ? a : b) as SpanFn<T>;
  const options: StepOptions = typeof a === 'string' ? { name: a } : typeof a === 'object' && a !== null ? a : {};
  const ctx = context.active();
  const counter = ctx.getValue(STEP_COUNTER) as StepCounter | undefined;
  const index = options.index ?? (counter ? counter.next++ : 0);
  const attributes: Attributes = { ...options.attributes };
  attributes[GEN_AI_OPERATION_NAME] = OPERATION_STEP;
  attributes[SIGHTLINE_STEP_INDEX] = index;
  if (options.name !== undefined) attributes[SIGHTLINE_STEP_NAME] = options.name;
  return recordSpan({ name: spanNames.step(options.name, index), attributes, context: ctx }, fn, this);
}

// ---------------------------------------------------------------- tool

export interface ToolOptions {
  /** The id the model gave this call (`tool_calls[].id`). */
  callId?: string;
  description?: string;
  /** `function` (default), `extension` or `datastore`. */
  type?: string;
  attributes?: Attributes;
}

/**
 * An `execute_tool {name}` span. With content capture on, `args` and the returned value are
 * recorded as `gen_ai.tool.call.arguments` / `.result` (or call `span.setResult(...)`).
 */
export function tool<T>(this: unknown, name: string, args: unknown, fn: SpanFn<T>, options: ToolOptions = {}): T {
  const attributes: Attributes = { ...options.attributes };
  attributes[GEN_AI_OPERATION_NAME] = OPERATION_EXECUTE_TOOL;
  attributes[GEN_AI_TOOL_NAME] = name;
  attributes[GEN_AI_TOOL_TYPE] = options.type ?? 'function';
  if (options.callId !== undefined) attributes[GEN_AI_TOOL_CALL_ID] = options.callId;
  if (options.description !== undefined) attributes[GEN_AI_TOOL_DESCRIPTION] = options.description;
  return recordSpan(
    {
      name: spanNames.tool(name),
      attributes,
      onValue: (span, value) => {
        if (!span.resultReported) span.captureContent(GEN_AI_TOOL_CALL_RESULT, value);
      },
    },
    function (this: unknown, span: SightlineSpan) {
      span.captureContent(GEN_AI_TOOL_CALL_ARGUMENTS, args);
      return fn.call(this, span);
    },
    this,
  );
}

// ---------------------------------------------------------------- llm

export interface LlmOptions {
  /** `gen_ai.provider.name`: openai, anthropic, aws.bedrock, gcp.vertex_ai, ... */
  provider: string;
  /** The requested model. */
  model: string;
  /** Default `chat`. */
  operation?: string;
  /** Input messages (captured only when content capture is on). */
  messages?: unknown;
  temperature?: number;
  maxTokens?: number;
  stream?: boolean;
  attributes?: Attributes;
}

/**
 * A `chat {model}` span (kind CLIENT). Response model, tokens, finish reasons and output are
 * taken from what `fn` returns when it is shaped like an OpenAI, Anthropic or Vercel AI SDK
 * response (or an OpenAI chunk stream), unless `fn` reports them with `span.setUsage()` /
 * `span.setResponse()`.
 */
export function llm<T>(this: unknown, options: LlmOptions, fn: SpanFn<T>): T {
  const operation = options.operation ?? OPERATION_CHAT;
  const attributes: Attributes = { ...options.attributes };
  attributes[GEN_AI_OPERATION_NAME] = operation;
  attributes[GEN_AI_PROVIDER_NAME] = options.provider;
  attributes[GEN_AI_REQUEST_MODEL] = options.model;
  if (options.temperature !== undefined) attributes[GEN_AI_REQUEST_TEMPERATURE] = options.temperature;
  if (options.maxTokens !== undefined) attributes[GEN_AI_REQUEST_MAX_TOKENS] = options.maxTokens;
  if (options.stream !== undefined) attributes[GEN_AI_REQUEST_STREAM] = options.stream;
  let chunks: ChunkAccumulator | undefined;
  return recordSpan(
    {
      name: spanNames.inference(operation, options.model),
      kind: SpanKind.CLIENT,
      attributes,
      onValue: (span, value) => applyResponse(span, readModelResponse(value)),
      onChunk: (_span, chunk) => (chunks ??= new ChunkAccumulator()).add(chunk),
      onStreamEnd: (span) => applyResponse(span, chunks?.result()),
    },
    function (this: unknown, span: SightlineSpan) {
      if (options.messages !== undefined) span.setInput(toInputMessages(options.messages));
      return fn.call(this, span);
    },
    this,
  );
}

function applyResponse(span: SightlineSpan, r: ReturnType<typeof readModelResponse>): void {
  if (!r) return;
  if (!span.usageReported && (r.inputTokens !== undefined || r.outputTokens !== undefined)) {
    span.setUsage({ inputTokens: r.inputTokens, outputTokens: r.outputTokens });
  }
  if (!span.responseReported) {
    const { inputTokens: _i, outputTokens: _o, ...rest } = r;
    span.setResponse(rest);
  }
}

// ---------------------------------------------------------------- function wrappers

/**
 * Wraps a tool implementation once, keeping its signature, `this` and arguments. The arguments
 * are recorded as the call's arguments (the first one alone when there is exactly one).
 */
export function wrapTool<A extends unknown[], R>(name: string, fn: (...args: A) => R, options?: ToolOptions): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    const run = function (this: unknown): R {
      return fn.apply(this, args);
    };
    return tool.call(this, name, args.length === 1 ? args[0] : args, run, options) as R;
  };
}

/** Wraps an agent entry point once, keeping its signature, `this` and arguments. */
export function wrapAgent<A extends unknown[], R>(name: string, fn: (...args: A) => R, options?: AgentOptions): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    const run = function (this: unknown): R {
      return fn.apply(this, args);
    };
    return agent.call(this, name, run, options) as R;
  };
}

/** The active context with a session, for code that manages contexts itself. */
export function contextWithSession(id: string, ctx: Context = context.active()): Context {
  return withSessionId(ctx, id);
}
