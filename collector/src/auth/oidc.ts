/**
 * OpenID Connect single sign-on through `openid-client` (the certified client of the field): the
 * authorization code flow with PKCE (S256), `state` and `nonce`. The collector holds the client
 * secret and does the protocol; the dashboard only carries the browser:
 *   start():  the provider's authorization URL, and the flow (PKCE verifier, state, nonce, expiry)
 *             sealed with the collector's secret key, which the dashboard keeps in an HTTP-only
 *             cookie of its own origin until the browser comes back;
 *   finish(): the query string the provider redirected back with, and that flow: the code is
 *             exchanged, the ID token checked (issuer, audience, signature, nonce), the email read.
 * A flow that was not started by this browser (no cookie), is older than 10 minutes, or whose
 * state differs is refused, so a sign-in cannot be planted into someone else's browser.
 */
import * as client from 'openid-client';
import { SightlineError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The dashboard's callback, registered with the provider. */
  redirectUrl: string;
}

/** Seals and opens the flow state (AES-GCM under the collector's secret key). */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

export interface OidcIdentity {
  subject: string;
  email: string;
  emailVerified: boolean;
}

const FLOW_TTL_MS = 10 * 60_000;

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
  expiresAt: number;
}

/** A provider on this machine (tests, a local IdP) may speak plain HTTP; any other must use HTTPS. */
function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

export class OidcClient {
  private config: Promise<client.Configuration> | undefined;

  constructor(
    private readonly settings: OidcSettings,
    private readonly sealer: Sealer,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Discovery happens on first use and is retried after a failure (the provider may start after us). */
  private configuration(): Promise<client.Configuration> {
    this.config ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
      return client.discovery(
        issuer,
        this.settings.clientId,
        undefined,
        client.ClientSecretBasic(this.settings.clientSecret),
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      );
    })().catch((error: unknown) => {
      this.config = undefined;
      this.logger.warn('OpenID provider discovery failed', { issuer: this.settings.issuer, error });
      throw new SightlineError('unavailable', 'the single sign-on provider cannot be reached; try again', { retryAfterSeconds: 5 });
    });
    return this.config;
  }

  async start(): Promise<{ authorizationUrl: string; flow: string }> {
    const config = await this.configuration();
    const flow: Flow = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
      expiresAt: this.now() + FLOW_TTL_MS,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { authorizationUrl: url.href, flow: this.sealer.seal(JSON.stringify(flow)) };
  }

  async finish(query: string, sealedFlow: string): Promise<OidcIdentity> {
    const flow = this.openFlow(sealedFlow);
    const config = await this.configuration();
    const callback = new URL(this.settings.redirectUrl);
    callback.search = query.startsWith('?') ? query : `?${query}`;
    let tokens;
    try {
      tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      // The provider's answer or the ID token failed a check: the browser's attempt is refused, the reason logged.
      this.logger.warn('single sign-on refused', { reason: error instanceof Error ? error.message : String(error) });
      throw new SightlineError('unauthorized', 'single sign-on failed; start again', { field: 'query' });
    }
    const claims = tokens.claims();
    if (!claims) throw new SightlineError('unauthorized', 'single sign-on failed: no ID token', { field: 'query' });
    let email = typeof claims.email === 'string' ? claims.email : undefined;
    let verified = claims.email_verified === true;
    if (email === undefined) {
      // Some providers put the email only in the userinfo answer.
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      email = typeof info.email === 'string' ? info.email : undefined;
      verified = info.email_verified === true;
    }
    if (!email) throw new SightlineError('forbidden', 'the single sign-on provider gave no email address');
    return { subject: claims.sub, email: email.trim().toLowerCase(), emailVerified: verified };
  }

  private openFlow(sealed: string): Flow {
    let flow: Flow;
    try {
      flow = JSON.parse(this.sealer.open(sealed)) as Flow;
    } catch {
      throw new SightlineError('unauthorized', 'single sign-on failed: the sign-in was not started here; start again', { field: 'flow' });
    }
    if (typeof flow.expiresAt !== 'number' || flow.expiresAt <= this.now())
      throw new SightlineError('unauthorized', 'single sign-on took too long; start again', { field: 'flow' });
    return flow;
  }
}
