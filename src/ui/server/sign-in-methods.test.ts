import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { signInMethods } from './sign-in-methods.js';

const oidc = {
  issuer: 'https://login.example.com/realms/eng',
  clientId: 'claude-gateway',
  groupsClaim: 'groups',
  adminGroups: ['platform-admins'],
};

describe('the sign-ins the login page offers', () => {
  it('offers the admin key and, with admin groups, the identity provider named by its host or label', () => {
    expect(signInMethods(parseConfig({}))).toEqual([]);
    expect(signInMethods(parseConfig({ server: { adminKey: 'admin-key-0123456789abcdef' } }))).toEqual([
      { kind: 'admin-key' },
    ]);
    expect(signInMethods(parseConfig({ auth: { oidc: { ...oidc, adminGroups: [] } } }))).toEqual([]);
    expect(
      signInMethods(parseConfig({ server: { adminKey: 'admin-key-0123456789abcdef' }, auth: { oidc } })),
    ).toEqual([
      { kind: 'admin-key' },
      { kind: 'redirect', id: 'oidc', label: 'Sign in with login.example.com', url: '/ui/auth/oidc' },
    ]);
    expect(signInMethods(parseConfig({ auth: { oidc: { ...oidc, dashboardLabel: 'Okta' } } }))).toEqual([
      { kind: 'redirect', id: 'oidc', label: 'Sign in with Okta', url: '/ui/auth/oidc' },
    ]);
  });
});
