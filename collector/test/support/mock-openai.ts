/**
 * A loopback stand-in for the OpenAI chat completions API, for driving real instrumentations in
 * tests without network. Deterministic script, so recorded fixtures and end-to-end checks can
 * name exact values:
 *  - a request offering tools, whose last message is not a tool result → one tool call
 *    `get_weather` (id `call_1`, arguments `{"city":"Paris"}`), finish `tool_calls`, 100/20 tokens;
 *  - otherwise → "It is sunny in Paris.", finish `stop`, 120/45 tokens;
 *  - model `rate-limited` → HTTP 429 with an OpenAI error body (the client throws RateLimitError);
 *  - POST /v1/embeddings → one 3-dimensional vector, 8 tokens.
 * Both plain and `stream: true` (SSE, with a usage chunk when `stream_options.include_usage`).
 * Every response completes at once; `close()` drops open connections, so nothing can hang a test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MOCK_RESPONSE_MODEL = 'gpt-4o-2024-08-06';
export const MOCK_ANSWER = 'It is sunny in Paris.';
export const MOCK_TOOL_CALL = { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' } as const;
export const MOCK_USAGE = {
  toolCall: { prompt_tokens: 100, completion_tokens: 20 },
  answer: { prompt_tokens: 120, completion_tokens: 45 },
  embedding: { prompt_tokens: 8 },
} as const;

export interface MockOpenAI {
  /** Base URL to give the OpenAI client: `http://127.0.0.1:<port>/v1`. */
  baseURL: string;
  /** Paths of the requests received, in order. */
  requests: string[];
  close(): Promise<void>;
}

interface ChatRequest {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: unknown[];
  messages?: { role?: string }[];
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new Error('mock-openai: body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function usage(u: { prompt_tokens: number; completion_tokens: number }) {
  return { ...u, total_tokens: u.prompt_tokens + u.completion_tokens };
}

function chat(req: ChatRequest, res: ServerResponse): void {
  if (req.model === 'rate-limited') {
    json(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded', param: null } });
    return;
  }
  const last = req.messages?.[req.messages.length - 1];
  const wantsTool = (req.tools?.length ?? 0) > 0 && last?.role !== 'tool';
  const id = wantsTool ? 'chatcmpl-mock-tool' : 'chatcmpl-mock-answer';
  const created = Math.floor(Date.now() / 1000);
  const u = usage(wantsTool ? MOCK_USAGE.toolCall : MOCK_USAGE.answer);
  const finish = wantsTool ? 'tool_calls' : 'stop';
  const toolCalls = [
    { id: MOCK_TOOL_CALL.id, type: 'function', function: { name: MOCK_TOOL_CALL.name, arguments: MOCK_TOOL_CALL.arguments } },
  ];

  if (!req.stream) {
    const message = wantsTool
      ? { role: 'assistant', content: null, tool_calls: toolCalls, refusal: null }
      : { role: 'assistant', content: MOCK_ANSWER, refusal: null };
    json(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: MOCK_RESPONSE_MODEL,
      system_fingerprint: 'fp_mock',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage: u,
    });
    return;
  }

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id, object: 'chat.completion.chunk', created, model: MOCK_RESPONSE_MODEL, system_fingerprint: 'fp_mock' };
  const send = (chunk: object) => res.write(`data: ${JSON.stringify({ ...base, ...chunk })}\n\n`);
  const choice = (delta: object, finish_reason: string | null = null) => ({
    choices: [{ index: 0, delta, logprobs: null, finish_reason }],
  });
  if (wantsTool) {
    send(
      choice({
        role: 'assistant',
        content: null,
        tool_calls: [{ index: 0, ...toolCalls[0], function: { name: MOCK_TOOL_CALL.name, arguments: '' } }],
      }),
    );
    send(choice({ tool_calls: [{ index: 0, function: { arguments: MOCK_TOOL_CALL.arguments } }] }));
  } else {
    send(choice({ role: 'assistant', content: '' }));
    for (const word of MOCK_ANSWER.split(/(?<= )/)) send(choice({ content: word }));
  }
  send(choice({}, finish));
  if (req.stream_options?.include_usage) send({ choices: [], usage: u });
  res.end('data: [DONE]\n\n');
}

export async function startMockOpenAI(): Promise<MockOpenAI> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    readBody(req)
      .then((text) => {
        const body = (text ? JSON.parse(text) : {}) as ChatRequest;
        if (req.method === 'POST' && req.url?.endsWith('/chat/completions')) return chat(body, res);
        if (req.method === 'POST' && req.url?.endsWith('/embeddings')) {
          return json(res, 200, {
            object: 'list',
            model: 'text-embedding-3-small',
            data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }],
            usage: { prompt_tokens: MOCK_USAGE.embedding.prompt_tokens, total_tokens: MOCK_USAGE.embedding.prompt_tokens },
          });
        }
        return json(res, 404, { error: { message: `mock-openai: no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
      })
      .catch((err: unknown) => json(res, 400, { error: { message: String(err), type: 'invalid_request_error' } }));
  });
  // A stuck client must not keep a test alive.
  server.requestTimeout = 5_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
