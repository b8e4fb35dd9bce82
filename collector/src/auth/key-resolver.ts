/**
 * Project API keys as credentials: `Authorization: Bearer sl_<prefix>_<secret>` on every path, and
 * on the Langfuse receiver path (`/api/public/otel/v1/traces`) Langfuse's own Basic pair, mapped
 * to a key: the public key is the key's prefix as listed (`sl_<prefix>`), the secret key is the
 * whole key. So a Langfuse SDK switches to Sightline with LANGFUSE_BASE_URL, LANGFUSE_PUBLIC_KEY
 * and LANGFUSE_SECRET_KEY alone.
 *
 * The bootstrap key (SIGHTLINE_BOOTSTRAP_API_KEY) is checked against its digest, computed at start:
 * an admin key of the default project that may also manage the instance, so a fresh docker-compose
 * install can create projects and keys without any other step.
 */
import { keyDigest, keyPrefix, matchesDigest } from './api-keys.js';
import type { CredentialResolver } from './caller.js';
import type { KeyStore } from './key-store.js';
import { DEFAULT_PROJECT_ID, type Principal } from './principal.js';

/** The Langfuse OTel SDK's traces path (served by the OTLP receiver, see otlp/routes.ts). */
const LANGFUSE_PATH = '/api/public/otel/v1/traces';

export interface BootstrapKey {
  sha256: string;
}

export function bootstrapKey(key: string | undefined): BootstrapKey | undefined {
  return key === undefined ? undefined : { sha256: keyDigest(key) };
}

const BOOTSTRAP_PRINCIPAL: Principal = {
  kind: 'key',
  keyId: 'bootstrap',
  projectId: DEFAULT_PROJECT_ID,
  scopes: ['admin'],
  instanceAdmin: true,
};

/**
 * The key a header carries: a Bearer token shaped like a key, or (Langfuse path) the secret of a
 * Basic pair whose user is its prefix. `invalid`: a Langfuse pair of our keys that does not match;
 * undefined: not one of ours (another scheme, or a Langfuse pair of Langfuse's own).
 */
function presentedKey(authorization: string, path: string | undefined): string | 'invalid' | undefined {
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return keyPrefix(value) === undefined ? undefined : value;
  if (scheme?.toLowerCase() !== 'basic' || path !== LANGFUSE_PATH) return undefined;
  const pair = Buffer.from(value, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  if (colon < 0) return undefined;
  const [user, secret] = [pair.slice(0, colon), pair.slice(colon + 1)];
  const prefix = keyPrefix(secret);
  if (prefix === undefined) return undefined;
  return user === `sl_${prefix}` || user === secret ? secret : 'invalid';
}

/**
 * Project API keys as a credential scheme. Of the same signature as any other resolver (the
 * session tokens of signed-in users are another), so a gate can try them in turn.
 */
export function keyResolver(keys: KeyStore, bootstrap?: BootstrapKey): CredentialResolver {
  return async (authorization, path) => {
    const key = presentedKey(authorization, path);
    if (key === undefined || key === 'invalid') return key;
    if (bootstrap && matchesDigest(key, bootstrap.sha256)) return BOOTSTRAP_PRINCIPAL;
    return (await keys.authenticate(key)) ?? 'invalid';
  };
}
