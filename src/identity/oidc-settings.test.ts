import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config/load.js';
import { StartupError } from '../gateway/server.js';
import { startTestGateway } from '../test-support/gateway.js';

const oidc = {
  issuer: 'https://login.example.com',
  clientId: 'claude-gateway',
  groupsClaim: 'groups',
  adminGroups: [],
};

describe('auth.oidc at start', () => {
  it('names the key of a misconfigured block', () => {
    const missing = () => parseConfig({ auth: { oidc: { ...oidc, groupsClaim: undefined } } });
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow('auth.oidc.groupsClaim');
    expect(() => parseConfig({ auth: { oidc: { ...oidc, tokenTtl: '5 minutes' } } })).toThrow(
      'auth.oidc.tokenTtl: must be a length of time like 1h',
    );
    expect(() => parseConfig({ auth: { oidc: { ...oidc, grupsClaim: 'x' } } })).toThrow(
      'did you mean "groupsClaim"?',
    );
    expect(parseConfig({ auth: { oidc } }).auth.oidc).toMatchObject({
      tokenTtl: 3_600_000,
      refreshTokenTtl: 2_592_000_000,
    });
  });

  it('stops the start when the discovery document cannot be read, saying where it looked', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const error = await startTestGateway({
      config: { auth: { oidc: { ...oidc, issuer: `http://127.0.0.1:${port}` } } },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toContain(
      `auth.oidc.issuer: cannot read the discovery document of http://127.0.0.1:${port} (http://127.0.0.1:${port}/.well-known/openid-configuration)`,
    );
  });

  it("checks the dashboard's redirect URI names the gateway's callback path", () => {
    expect(() =>
      parseConfig({ auth: { oidc: { ...oidc, dashboardRedirectUri: 'https://gw.example.com/callback' } } }),
    ).toThrow('auth.oidc.dashboardRedirectUri: must end in /ui/auth/callback');
    const uri = 'https://gw.example.com/ui/auth/callback';
    expect(
      parseConfig({ auth: { oidc: { ...oidc, dashboardRedirectUri: uri } } }).auth.oidc?.dashboardRedirectUri,
    ).toBe(uri);
  });

  it('stops the start when the dashboard sign-in is on and the IdP has no authorization or token endpoint', async () => {
    const issuer = await new Promise<{ url: string; close: () => void }>((resolve) => {
      const server = createHttpServer((request, response) => {
        const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            issuer: url,
            jwks_uri: `${url}/jwks`,
            device_authorization_endpoint: `${url}/device`,
            ...(request.url?.includes('with-token') ? { token_endpoint: `${url}/token` } : {}),
          }),
        );
      });
      server.listen(0, '127.0.0.1', () =>
        resolve({
          url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
          close: () => server.close(),
        }),
      );
    });
    try {
      const error = await startTestGateway({
        config: { auth: { oidc: { ...oidc, issuer: issuer.url, adminGroups: ['platform-admins'] } } },
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toContain(
        `has no authorization_endpoint or token_endpoint in its discovery document, which the dashboard's sign-in for auth.oidc.adminGroups needs`,
      );
      // Without admin groups the dashboard sign-in is off, and the device flow needs neither.
      const started = await startTestGateway({ config: { auth: { oidc: { ...oidc, issuer: issuer.url } } } });
      await started.close();
    } finally {
      issuer.close();
    }
  });

  it('refuses a plain-HTTP issuer that is not on this machine', async () => {
    const error = await startTestGateway({
      config: { auth: { oidc: { ...oidc, issuer: 'http://login.example.com' } } },
    }).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('auth.oidc.issuer: http://login.example.com is plain HTTP');
  });
});
