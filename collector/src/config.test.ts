/** The sign-in settings of the environment: when sign-in is required, the first admin, single sign-on. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('sign-in configuration', () => {
  it('leaves the loopback start open, and requires sign-in on any other address or when asked', () => {
    expect(loadConfig({}).auth.required).toBe(false);
    expect(loadConfig({ SIGHTLINE_HOST: '127.0.0.1' }).auth.required).toBe(false);
    expect(loadConfig({ SIGHTLINE_HOST: '0.0.0.0' }).auth.required).toBe(true);
    expect(loadConfig({ SIGHTLINE_HOST: '192.168.1.20' }).auth.required).toBe(true);
    expect(loadConfig({ SIGHTLINE_AUTH: 'required' }).auth.required).toBe(true);
  });

  it('takes the first admin as a pair, with a password of at least 12 characters', () => {
    expect(loadConfig({ SIGHTLINE_ADMIN_EMAIL: 'Ops@Example.com', SIGHTLINE_ADMIN_PASSWORD: 'twelve chars' }).auth).toMatchObject({
      adminEmail: 'ops@example.com',
      adminPassword: 'twelve chars',
    });
    expect(() => loadConfig({ SIGHTLINE_ADMIN_EMAIL: 'ops@example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ SIGHTLINE_ADMIN_EMAIL: 'ops@example.com', SIGHTLINE_ADMIN_PASSWORD: 'short' })).toThrow(
      /SIGHTLINE_ADMIN_PASSWORD/,
    );
  });

  it('turns single sign-on on with an issuer and its client, the callback defaulting to the dashboard', () => {
    expect(loadConfig({}).auth.oidc).toBeUndefined();
    expect(() => loadConfig({ SIGHTLINE_OIDC_ISSUER: 'https://idp.example' })).toThrow(/SIGHTLINE_OIDC_CLIENT_ID/);
    const oidc = loadConfig({
      SIGHTLINE_OIDC_ISSUER: 'https://idp.example',
      SIGHTLINE_OIDC_CLIENT_ID: 'sightline',
      SIGHTLINE_OIDC_CLIENT_SECRET: 's3cret',
      SIGHTLINE_OIDC_ALLOWED_DOMAINS: 'Example.com, team.example ',
      SIGHTLINE_DASHBOARD_URL: 'https://sightline.example/',
    }).auth.oidc;
    expect(oidc).toEqual({
      issuer: 'https://idp.example',
      clientId: 'sightline',
      clientSecret: 's3cret',
      redirectUrl: 'https://sightline.example/auth/oidc/callback',
      allowedDomains: ['example.com', 'team.example'],
      provisionRole: 'viewer',
      provisionProject: 'default',
    });
  });
});

describe('ClickHouse cluster configuration', () => {
  it('takes a cluster name (an identifier, it goes into DDL) only with a ClickHouse server', () => {
    const url = 'http://ch-1:8123';
    expect(loadConfig({ SIGHTLINE_CLICKHOUSE_URL: url }).clickhouse).toMatchObject({ kind: 'server', cluster: undefined });
    expect(loadConfig({ SIGHTLINE_CLICKHOUSE_URL: url, SIGHTLINE_CLICKHOUSE_CLUSTER: 'sightline' }).clickhouse).toMatchObject({
      kind: 'server',
      cluster: 'sightline',
    });
    expect(() => loadConfig({ SIGHTLINE_CLICKHOUSE_CLUSTER: 'sightline' })).toThrow(/SIGHTLINE_CLICKHOUSE_URL/);
    expect(() => loadConfig({ SIGHTLINE_CLICKHOUSE_URL: url, SIGHTLINE_CLICKHOUSE_CLUSTER: "x' --" })).toThrow(
      /SIGHTLINE_CLICKHOUSE_CLUSTER/,
    );
  });
});
