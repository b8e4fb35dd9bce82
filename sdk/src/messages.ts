/**
 * Converts chat messages in the common OpenAI shape into the GenAI convention's message format
 * (`{ role, parts: [{ type: 'text', content }, { type: 'tool_call', ... }] }`), so the
 * collector reads one format. Anything that does not look like a chat message is kept as is.
 */

interface Part {
  type: string;
  [k: string]: unknown;
}
export interface ConventionMessage {
  role: string;
  parts: Part[];
  finish_reason?: string;
}

type Loose = Record<string, unknown>;

export function toInputMessages(messages: unknown): unknown {
  if (!Array.isArray(messages)) return messages;
  return messages.map((m) => (isMessage(m) ? toMessage(m) : m));
}

/** From OpenAI-shaped `choices`. */
export function toOutputMessages(choices: unknown): ConventionMessage[] | undefined {
  if (!Array.isArray(choices)) return undefined;
  const out: ConventionMessage[] = [];
  for (const c of choices as Loose[]) {
    const message = c?.message;
    if (!isMessage(message)) continue;
    const m = toMessage(message);
    if (typeof c.finish_reason === 'string') m.finish_reason = c.finish_reason;
    out.push(m);
  }
  return out;
}

function isMessage(m: unknown): m is Loose {
  return typeof m === 'object' && m !== null && typeof (m as Loose).role === 'string';
}

function toMessage(m: Loose): ConventionMessage {
  if (Array.isArray(m.parts)) return m as unknown as ConventionMessage;
  const parts: Part[] = [];
  const role = m.role as string;
  if (role === 'tool') {
    parts.push({ type: 'tool_call_response', id: m.tool_call_id, response: m.content });
    return { role, parts };
  }
  const content = m.content;
  if (typeof content === 'string') parts.push({ type: 'text', content });
  else if (Array.isArray(content)) {
    for (const p of content as Loose[]) {
      if (p?.type === 'text' && typeof p.text === 'string') parts.push({ type: 'text', content: p.text });
      else parts.push({ type: String(p?.type ?? 'unknown'), ...p });
    }
  }
  if (Array.isArray(m.tool_calls)) {
    for (const call of m.tool_calls as Loose[]) {
      const fn = (call.function ?? {}) as Loose;
      parts.push({ type: 'tool_call', id: call.id, name: fn.name, arguments: parseJson(fn.arguments) });
    }
  }
  return { role, parts };
}

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
