/**
 * What a wrapped function receives: a thin handle over the OTel span that knows the GenAI
 * attribute names and applies content capture (redact + cap) to anything it records.
 */
import type { AttributeValue, Attributes, Span } from '@opentelemetry/api';
import type { ModelResponse } from './model-response.js';
import { captureValue, type ContentField } from './redact.js';
import {
  GEN_AI_INPUT_MESSAGES,
  GEN_AI_OUTPUT_MESSAGES,
  GEN_AI_RESPONSE_FINISH_REASONS,
  GEN_AI_RESPONSE_ID,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_TOOL_CALL_RESULT,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
} from './semconv.js';
import type { SdkState } from './state.js';

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
}

export class SightlineSpan {
  /** Set once the function reported these itself, so values read from its return do not overwrite them. */
  usageReported = false;
  responseReported = false;
  resultReported = false;

  constructor(
    /** The underlying OpenTelemetry span, for anything the helpers do not cover. */
    readonly span: Span,
    private readonly settings: SdkState,
  ) {}

  /** False when the span is not sampled (or tracing is off): skip building expensive attributes. */
  get isRecording(): boolean {
    return this.span.isRecording();
  }

  setAttribute(key: string, value: AttributeValue): this {
    this.span.setAttribute(key, value);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    this.span.setAttributes(attributes);
    return this;
  }

  /** Token counts of a model call. */
  setUsage(usage: Usage): this {
    this.usageReported = true;
    if (usage.inputTokens !== undefined) this.span.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens);
    if (usage.outputTokens !== undefined) this.span.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens);
    return this;
  }

  /** Response model, id, finish reasons and (when content capture is on) the output messages. */
  setResponse(response: Omit<ModelResponse, 'inputTokens' | 'outputTokens'> & Usage): this {
    this.responseReported = true;
    if (response.model !== undefined) this.span.setAttribute(GEN_AI_RESPONSE_MODEL, response.model);
    if (response.id !== undefined) this.span.setAttribute(GEN_AI_RESPONSE_ID, response.id);
    if (response.finishReasons !== undefined) this.span.setAttribute(GEN_AI_RESPONSE_FINISH_REASONS, response.finishReasons);
    if (response.inputTokens !== undefined || response.outputTokens !== undefined) this.setUsage(response);
    if (response.output !== undefined) this.captureContent(GEN_AI_OUTPUT_MESSAGES, response.output);
    return this;
  }

  /** Input messages of a model call (captured only when content capture is on). */
  setInput(messages: unknown): this {
    this.captureContent(GEN_AI_INPUT_MESSAGES, messages);
    return this;
  }

  /** A tool's result, when the returned value is not what should be recorded. */
  setResult(result: unknown): this {
    this.resultReported = true;
    this.captureContent(GEN_AI_TOOL_CALL_RESULT, result);
    return this;
  }

  /** @internal */
  captureContent(field: ContentField, value: unknown): void {
    if (!this.settings.captureContent || !this.span.isRecording()) return;
    const text = captureValue(value, field, this.settings);
    if (text !== undefined) this.span.setAttribute(field, text);
  }
}
