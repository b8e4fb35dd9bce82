import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, CollectorApiError, CollectorUnreachableError, settle, traceListSupports } from './api';

/** A stand-in collector answering fixed bodies, to test the client's parsing and error mapping. */
const routes: Record<string, { status: number; body: unknown }> = {
  '/api/filters': { status: 200, body: { services: ['a'], agents: [], environments: [], operations: [], tools: [], models: [] } },
  '/api/traces': { status: 400, body: { error: { code: 'invalid_query', message: 'limit too large', field: 'limit' } } },
  '/api/traces/unknown': { status: 404, body: { error: { code: 'not_found', message: 'no such trace' } } },
  '/api/sessions': { status: 200, body: { sessions: 'not a list', nextCursor: null } },
};
let server: Server;
let seen: URL[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push(url);
    const route = routes[url.pathname] ?? { status: 500, body: 'oops' };
    res.writeHead(route.status, { 'content-type': 'application/json' }).end(JSON.stringify(route.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.env.SIGHTLINE_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('collector client', () => {
  it('parses answers with the contract and sends only set params', async () => {
    seen = [];
    await expect(api.filters({ from: 1, to: 2 })).resolves.toMatchObject({ services: ['a'] });
    expect(seen[0]!.search).toBe('?from=1&to=2');
  });

  it('maps error bodies to CollectorApiError with code and field', async () => {
    const err = await api.traces({ limit: 9999, agent: undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CollectorApiError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_query', field: 'limit' });
  });

  it('returns null for an unknown trace', async () => {
    await expect(api.trace('unknown')).resolves.toBeNull();
  });

  it('rejects answers that break the contract instead of rendering them', async () => {
    const res = await settle(api.sessions({}));
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.code).toBe('contract_mismatch');
  });

  it('reports an unreachable collector with a typed error', async () => {
    const saved = process.env.SIGHTLINE_API_URL;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    process.env.SIGHTLINE_API_URL = `http://127.0.0.1:${port}`;
    try {
      const err = await api.health().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CollectorUnreachableError);
      expect((err as CollectorUnreachableError).reason).toBe('ECONNREFUSED');
    } finally {
      process.env.SIGHTLINE_API_URL = saved;
    }
  });

  it('knows which trace filters the contract has', () => {
    expect(traceListSupports('agent')).toBe(true);
    expect(traceListSupports('nonsense')).toBe(false);
  });
});
