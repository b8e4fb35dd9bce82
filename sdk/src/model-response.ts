/**
 * Reads model, token usage, finish reasons and output from what a model call returned, for the
 * response shapes of the OpenAI SDK (completions and stream chunks), Anthropic, and the Vercel
 * AI SDK. The `llm` helper uses it when the wrapped function did not report these itself.
 */
import { toOutputMessages, type ConventionMessage } from './messages.js';

export interface ModelResponse {
  model?: string;
  id?: string;
  inputTokens?: number;
  outputTokens?: number;
  finishReasons?: string[];
  output?: unknown;
}

type Loose = Record<string, unknown>;

export function readModelResponse(value: unknown): ModelResponse | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Loose;
  const r: ModelResponse = {};
  if (typeof v.model === 'string') r.model = v.model;
  if (typeof v.id === 'string') r.id = v.id;
  const usage = v.usage as Loose | undefined;
  if (usage && typeof usage === 'object') {
    r.inputTokens = num(usage.prompt_tokens) ?? num(usage.input_tokens) ?? num(usage.inputTokens) ?? num(usage.promptTokens);
    r.outputTokens = num(usage.completion_tokens) ?? num(usage.output_tokens) ?? num(usage.outputTokens) ?? num(usage.completionTokens);
  }
  if (Array.isArray(v.choices)) {
    const reasons = (v.choices as Loose[]).map((c) => c?.finish_reason).filter((x): x is string => typeof x === 'string');
    if (reasons.length > 0) r.finishReasons = reasons;
    r.output = toOutputMessages(v.choices);
  } else if (typeof v.stop_reason === 'string') {
    r.finishReasons = [v.stop_reason];
  } else if (typeof v.finishReason === 'string') {
    r.finishReasons = [v.finishReason];
  }
  if (r.output === undefined && typeof v.text === 'string') {
    r.output = [{ role: 'assistant', parts: [{ type: 'text', content: v.text }] }];
  }
  return Object.keys(r).length > 0 ? r : undefined;
}

/** Folds OpenAI chat-completion stream chunks into one response. */
export class ChunkAccumulator {
  private model?: string;
  private id?: string;
  private inputTokens?: number;
  private outputTokens?: number;
  private readonly choices = new Map<number, { text: string; finish?: string; tools: Map<number, Loose> }>();

  add(chunk: unknown): void {
    if (typeof chunk !== 'object' || chunk === null) return;
    const c = chunk as Loose;
    if (typeof c.model === 'string') this.model = c.model;
    if (typeof c.id === 'string') this.id = c.id;
    const usage = c.usage as Loose | undefined | null;
    if (usage) {
      this.inputTokens = num(usage.prompt_tokens) ?? this.inputTokens;
      this.outputTokens = num(usage.completion_tokens) ?? this.outputTokens;
    }
    if (!Array.isArray(c.choices)) return;
    for (const choice of c.choices as Loose[]) {
      const index = num(choice.index) ?? 0;
      let acc = this.choices.get(index);
      if (!acc) this.choices.set(index, (acc = { text: '', tools: new Map() }));
      if (typeof choice.finish_reason === 'string') acc.finish = choice.finish_reason;
      const delta = choice.delta as Loose | undefined;
      if (!delta) continue;
      if (typeof delta.content === 'string') acc.text += delta.content;
      if (Array.isArray(delta.tool_calls)) {
        for (const t of delta.tool_calls as Loose[]) {
          const i = num(t.index) ?? 0;
          const fn = (t.function ?? {}) as Loose;
          const prev = acc.tools.get(i) ?? { id: undefined, name: '', arguments: '' };
          if (typeof t.id === 'string') prev.id = t.id;
          if (typeof fn.name === 'string') prev.name = String(prev.name) + fn.name;
          if (typeof fn.arguments === 'string') prev.arguments = String(prev.arguments) + fn.arguments;
          acc.tools.set(i, prev);
        }
      }
    }
  }

  result(): ModelResponse {
    const output: ConventionMessage[] = [];
    const finishReasons: string[] = [];
    for (const acc of this.choices.values()) {
      const parts: ConventionMessage['parts'] = [];
      if (acc.text) parts.push({ type: 'text', content: acc.text });
      for (const t of acc.tools.values()) parts.push({ type: 'tool_call', id: t.id, name: t.name, arguments: t.arguments });
      const m: ConventionMessage = { role: 'assistant', parts };
      if (acc.finish) {
        m.finish_reason = acc.finish;
        finishReasons.push(acc.finish);
      }
      output.push(m);
    }
    const r: ModelResponse = { output };
    if (this.model !== undefined) r.model = this.model;
    if (this.id !== undefined) r.id = this.id;
    if (this.inputTokens !== undefined) r.inputTokens = this.inputTokens;
    if (this.outputTokens !== undefined) r.outputTokens = this.outputTokens;
    if (finishReasons.length > 0) r.finishReasons = finishReasons;
    return r;
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
