/** Who a request is, by bind address, credentials and the project it names. */
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, loadConfig } from '../config.js';
import type { SightlineError } from '../errors.js';
import { newKey } from './api-keys.js';
import { RequestAuth, type CallerRequest } from './caller.js';
import { bootstrapKey, keyResolver } from './key-resolver.js';
import type { KeyStore } from './key-store.js';
import type { Principal } from './principal.js';

const LANGFUSE = '/api/public/otel/v1/traces';
const req = (authorization: string | undefined, project?: string, path = '/v1/traces'): CallerRequest => ({ authorization, project, path });
const refused = async (p: Promise<unknown>): Promise<string> => {
  const e = (await p.then(
    () => undefined,
    (err: unknown) => err,
  )) as SightlineError | undefined;
  return `${e?.status} ${e?.code}`;
};

/** Only the key store's `authenticate` is used by the resolver: one known key of project `team-a`. */
function storeKnowing(key: string): KeyStore {
  const principal: Principal = { kind: 'key', keyId: 'k1', projectId: 'team-a', scopes: ['ingest'] };
  return { authenticate: async (k: string) => (k === key ? principal : undefined) } as unknown as KeyStore;
}

describe('bind address → whether credentials are required', () => {
  it('is open only on loopback, and only with SIGHTLINE_AUTH=auto', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
      expect(loadConfig({ SIGHTLINE_HOST: host }).auth.required).toBe(false);
      expect(loadConfig({ SIGHTLINE_HOST: host, SIGHTLINE_AUTH: 'required' }).auth.required).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'sightline.internal', 'example.com']) {
      expect(isLoopbackHost(host), host).toBe(false);
      expect(loadConfig({ SIGHTLINE_HOST: host }).auth.required).toBe(true);
    }
  });
});

describe('RequestAuth', () => {
  const { key } = newKey();
  const boot = newKey().key;
  const resolver = keyResolver(storeKnowing(key), bootstrapKey(boot));

  it('treats a request without credentials as the local mode on loopback, and refuses it elsewhere', async () => {
    expect(await new RequestAuth('open', [resolver]).principal(undefined, '/api/traces')).toEqual({ kind: 'local' });
    expect(await refused(new RequestAuth('required', [resolver]).principal(undefined, '/api/traces'))).toBe('401 unauthorized');
  });

  it('never takes a wrong Sightline key for no key, even on loopback', async () => {
    const open = new RequestAuth('open', [resolver]);
    expect(await refused(open.principal(`Bearer ${newKey().key}`, '/v1/traces'))).toBe('401 unauthorized');
    // Credentials of another scheme (a Langfuse SDK's own pair) are no credentials: ignored when open only.
    const foreign = `Basic ${Buffer.from('pk-lf-1:sk-lf-2').toString('base64')}`;
    expect(await open.principal(foreign, LANGFUSE)).toEqual({ kind: 'local' });
    expect(await refused(new RequestAuth('required', [resolver]).principal(foreign, LANGFUSE))).toBe('401 unauthorized');
  });

  it('maps the Langfuse pair (public = key prefix, secret = key) on the Langfuse path only', async () => {
    const auth = new RequestAuth('required', [resolver]);
    const prefix = key.slice(0, key.lastIndexOf('_', key.length - 44));
    const pair = `Basic ${Buffer.from(`${prefix}:${key}`).toString('base64')}`;
    expect(await auth.principal(pair, LANGFUSE)).toMatchObject({ kind: 'key', projectId: 'team-a' });
    expect(await refused(auth.principal(pair, '/v1/traces'))).toBe('401 unauthorized');
    const mismatched = `Basic ${Buffer.from(`pk-lf-other:${key}`).toString('base64')}`;
    expect(await refused(new RequestAuth('open', [resolver]).principal(mismatched, LANGFUSE))).toBe('401 unauthorized');
  });

  it("takes a key's own project, refuses another one named, and lets the local mode act in its default only", async () => {
    const auth = new RequestAuth('required', [resolver]);
    expect(await auth.ingestProject(req(`Bearer ${key}`))).toBe('team-a');
    expect(await refused(auth.ingestProject(req(`Bearer ${key}`, 'team-b')))).toBe('403 forbidden');
    const open = new RequestAuth('open', [resolver]);
    expect(await open.ingestProject(req(undefined))).toBe('default');
    expect(await refused(open.ingestProject(req(undefined, 'team-b')))).toBe('403 forbidden');
    expect(await refused(open.ingestProject(req(undefined, 'Not A Slug')))).toBe('400 invalid_parameter');
  });

  it('knows the bootstrap key as an instance administrator of the default project', async () => {
    const p = await new RequestAuth('required', [resolver]).principal(`Bearer ${boot}`, '/api/projects');
    expect(p).toEqual({ kind: 'key', keyId: 'bootstrap', projectId: 'default', scopes: ['admin'], instanceAdmin: true });
  });

  it('asks schemes added later (signed-in users) after the key scheme', async () => {
    const auth = new RequestAuth('required', [resolver]);
    const user: Principal = { kind: 'user', userId: 'u1', email: 'a@b.c', roles: { 'team-a': 'viewer' }, instanceAdmin: false };
    auth.use(async (authorization) => {
      if (!authorization.startsWith('Session ')) return undefined;
      return authorization === 'Session ok' ? user : 'invalid';
    });
    expect(await auth.principal('Session ok', '/api/traces')).toBe(user);
    expect(await refused(auth.principal('Session stale', '/api/traces'))).toBe('401 unauthorized');
  });
});
